"""Random streams, made only when a draw is needed."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Protocol, TypeVar

T = TypeVar("T")


class Dice(Protocol):
    """The draws the engine makes: `random.Random` and :class:`LazyRandom` both fit."""

    def random(self) -> float: ...
    def choices(self, population: Sequence[T], weights: Sequence[float]) -> list[T]: ...


class LazyRandom:
    """A `random.Random` seeded with `seed` on its first use.

    Most of a player's moves roll no dice; seeding a generator costs more
    than the move itself, so each turn's stream for moves starts lazily.
    """

    __slots__ = ("_random", "_seed")

    def __init__(self, seed: str) -> None:
        self._seed = seed
        self._random: random.Random | None = None

    def _get(self) -> random.Random:
        if self._random is None:
            self._random = random.Random(self._seed)
        return self._random

    def random(self) -> float:
        return self._get().random()

    def choices(self, population: Sequence[T], weights: Sequence[float]) -> list[T]:
        return self._get().choices(population, weights)
