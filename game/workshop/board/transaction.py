"""One write transaction on a board: what every backend provides."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any


class Transaction(ABC):
    """One write transaction, holding the board's write lock."""

    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run `sql` (with `?` placeholders); return its rows (empty if none)."""

    @abstractmethod
    def insert_entry(self, values: Sequence[Any]) -> int:
        """Insert one row of `entries`; return its id."""

    @abstractmethod
    def now(self) -> str:
        """The time, as ISO 8601 text in UTC with microseconds, taken under the lock."""
