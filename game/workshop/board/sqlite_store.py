"""A leaderboard in one SQLite file: for one machine (or one terminal server).

WAL mode with a busy timeout, so concurrent submissions wait their turn
instead of failing with "database is locked", and a process killed mid-write
leaves the last committed state intact. The schema version is SQLite's
`PRAGMA user_version`. SQLite's locking is not reliable on network
filesystems: for several machines, use a PostgreSQL board.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

from game.workshop.board.store import SCHEMA_VERSION, BoardError, BoardStore, Transaction

BUSY_TIMEOUT_MS = 30_000

_ENTRY_INSERT = (
    "INSERT INTO entries (workshop, scenario, scenario_hash, seed, player, score, par, "
    "breakdown, run_log, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


class _SqliteTransaction(Transaction):
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self._db.execute(sql, params).fetchall()

    def insert_entry(self, values: Sequence[Any]) -> int:
        return int(self._db.execute(_ENTRY_INSERT, values).lastrowid or 0)

    def now(self) -> str:
        return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


class SqliteBoard(BoardStore):
    """A leaderboard database file (created, with its folder, if missing)."""

    _dialect: ClassVar[dict[str, str]] = {
        "id": "INTEGER PRIMARY KEY AUTOINCREMENT",
        "bigint": "INTEGER",
        "float": "REAL",
        "nulls_last": "",
    }

    def __init__(self, path: Path) -> None:
        self.path = path
        self.location = str(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise BoardError(f"{path}: cannot create its folder ({error.strerror})") from None
        try:
            self._db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as error:
            raise BoardError(f"{path}: not a usable leaderboard database ({error})") from None
        try:
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as error:
            self._db.close()
            raise BoardError(f"{path}: not a usable leaderboard database ({error})") from None
        except BoardError:
            self._db.close()
            raise

    def close(self) -> None:
        self._db.close()

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self._db.execute(sql, params).fetchall()

    @contextmanager
    def _write(self) -> Iterator[Transaction]:
        """BEGIN IMMEDIATE takes the write lock at once, so waits happen in one place."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield _SqliteTransaction(self._db)
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as error:
            raise BoardError(f"{self.location}: {error}") from None

    def _integrity(self) -> str:
        return str(self._db.execute("PRAGMA integrity_check").fetchone()[0])

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise self._too_new(version)
        if version == SCHEMA_VERSION:
            return
        with self._write() as tx:
            current = self._db.execute("PRAGMA user_version").fetchone()[0]  # another process?
            if current > SCHEMA_VERSION:
                raise self._too_new(current)
            self._migrate_steps(tx, current)
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def sqlite_migration(step: int) -> str:
    """One migration's SQL as SQLite runs it (for tests that build old files)."""
    return ";\n".join(SqliteBoard._migration(step)) + ";"
