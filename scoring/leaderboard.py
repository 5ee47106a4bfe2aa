"""The leaderboard store: SQLite, safe for many players submitting at once.

Every entry holds the run log it was scored from; scores are computed by the
caller from a replay of that log, never taken from the log itself. The schema
is versioned (`PRAGMA user_version`) and migrated on open. The database runs
in WAL mode with a busy timeout, so concurrent submissions wait their turn
instead of failing with "database is locked", and a process killed mid-write
leaves the last committed state intact.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 2
BUSY_TIMEOUT_MS = 30_000

_MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE entries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        workshop TEXT NOT NULL,
        scenario TEXT NOT NULL,
        scenario_hash TEXT NOT NULL,
        seed INTEGER NOT NULL,
        player TEXT NOT NULL,
        score INTEGER NOT NULL,
        breakdown TEXT NOT NULL,
        run_log TEXT NOT NULL,
        created TEXT NOT NULL
    );
    CREATE INDEX entries_board ON entries (workshop, scenario, score DESC, created);
    CREATE INDEX entries_player ON entries (workshop, scenario, player);
    """,
    # Version 2: each player's best entry kept up to date, so a board reads a few rows.
    2: """
    CREATE TABLE best (
        workshop TEXT NOT NULL,
        scenario TEXT NOT NULL,
        player TEXT NOT NULL,
        entry_id INTEGER NOT NULL,
        score INTEGER NOT NULL,
        created TEXT NOT NULL,
        games INTEGER NOT NULL,
        PRIMARY KEY (workshop, scenario, player)
    );
    CREATE INDEX best_board ON best (workshop, scenario, score DESC, created, entry_id);
    CREATE INDEX best_workshop ON best (workshop, score DESC, created, entry_id);
    CREATE INDEX best_all ON best (score DESC, created, entry_id);
    INSERT INTO best (workshop, scenario, player, entry_id, score, created, games)
        SELECT workshop, scenario, player, id, score, created, games FROM (
            SELECT *, ROW_NUMBER() OVER (
                PARTITION BY workshop, scenario, player ORDER BY score DESC, created, id
            ) AS nth, COUNT(*) OVER (PARTITION BY workshop, scenario, player) AS games
            FROM entries
        ) WHERE nth = 1;
    """,
}

_KEEP_BEST = """
INSERT INTO best (workshop, scenario, player, entry_id, score, created, games)
VALUES (?, ?, ?, ?, ?, ?, 1)
ON CONFLICT (workshop, scenario, player) DO UPDATE SET
    games = games + 1,
    entry_id = CASE WHEN excluded.score > best.score THEN excluded.entry_id ELSE best.entry_id END,
    created = CASE WHEN excluded.score > best.score THEN excluded.created ELSE best.created END,
    score = MAX(best.score, excluded.score)
"""


class LeaderboardError(Exception):
    """The database cannot be used (not a Rapport leaderboard, or from a newer version)."""


@dataclass(frozen=True)
class Entry:
    """One scored game on the board."""

    id: int
    workshop: str
    scenario: str
    scenario_hash: str
    seed: int
    player: str
    score: int
    breakdown: dict[str, Any]
    run_log: str
    created: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "workshop": self.workshop,
            "scenario": self.scenario,
            "seed": self.seed,
            "player": self.player,
            "score": self.score,
            "breakdown": self.breakdown,
            "created": self.created,
        }


@dataclass(frozen=True)
class Standing:
    """A player's best entry and place on a board."""

    rank: int
    entry: Entry
    games: int


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


class Leaderboard:
    """A leaderboard database file. Open one per process; it is cheap."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as error:
            raise LeaderboardError(f"{path}: not a usable leaderboard database ({error})") from None

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Leaderboard:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that takes the lock at once, so waits happen in one place."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise LeaderboardError(
                f"{self.path}: written by a newer Rapport (schema {version}); upgrade Rapport"
            )
        if version == SCHEMA_VERSION:
            return
        with self._write() as db:
            current = db.execute("PRAGMA user_version").fetchone()[0]  # another process may have
            for step in range(current + 1, SCHEMA_VERSION + 1):
                for statement in _MIGRATIONS[step].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {step}")

    # ------------------------------------------------------------------ writing

    def add(
        self,
        *,
        workshop: str,
        scenario: str,
        scenario_hash: str,
        seed: int,
        player: str,
        score: int,
        breakdown: dict[str, Any],
        run_log: str,
    ) -> int:
        """Store a scored game (and keep the player's best up to date); return its id."""
        created = _now()
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO entries (workshop, scenario, scenario_hash, seed, player, score, "
                "breakdown, run_log, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    workshop,
                    scenario,
                    scenario_hash,
                    seed,
                    player,
                    score,
                    json.dumps(breakdown, sort_keys=True),
                    run_log,
                    created,
                ),
            )
            entry_id = int(cursor.lastrowid or 0)
            db.execute(_KEEP_BEST, (workshop, scenario, player, entry_id, score, created))
            return entry_id

    # ------------------------------------------------------------------ reading

    def standings(
        self, *, workshop: str | None = None, scenario: str | None = None, limit: int | None = None
    ) -> list[Standing]:
        """Each player's best score, highest first; ties go to whoever got there first."""
        where, params = _filters(workshop, scenario, table="best")
        sql = (
            "SELECT entries.*, best.games FROM best JOIN entries ON entries.id = best.entry_id "
            f"{where} ORDER BY best.score DESC, best.created, best.entry_id"
            f"{' LIMIT ?' if limit else ''}"
        )
        rows = self._db.execute(sql, (*params, limit) if limit else params).fetchall()
        return [Standing(index, _entry(row), row[-1]) for index, row in enumerate(rows, 1)]

    def entries(
        self, *, workshop: str | None = None, scenario: str | None = None, after: int = 0
    ) -> list[Entry]:
        """All entries (optionally only those with an id above `after`), oldest first."""
        where, params = _filters(workshop, scenario)
        where = f"{where} {'AND' if where else 'WHERE'} id > ?"
        rows = self._db.execute(
            f"SELECT * FROM entries {where} ORDER BY id", (*params, after)
        ).fetchall()
        return [_entry(row) for row in rows]

    def count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM entries").fetchone()[0])

    def last_id(self) -> int:
        return int(self._db.execute("SELECT COALESCE(MAX(id), 0) FROM entries").fetchone()[0])

    def integrity(self) -> str:
        """SQLite's own integrity check: "ok" when the file is sound."""
        return str(self._db.execute("PRAGMA integrity_check").fetchone()[0])


def _filters(
    workshop: str | None, scenario: str | None, table: str = "entries"
) -> tuple[str, tuple[str, ...]]:
    clauses, params = [], []
    if workshop is not None:
        clauses.append(f"{table}.workshop = ?")
        params.append(workshop)
    if scenario is not None:
        clauses.append(f"{table}.scenario = ?")
        params.append(scenario)
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), tuple(params)


def _entry(row: tuple[Any, ...]) -> Entry:
    return Entry(
        row[0], row[1], row[2], row[3], row[4], row[5], row[6], json.loads(row[7]), row[8], row[9]
    )
