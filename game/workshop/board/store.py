"""The leaderboard store: what every backend keeps, and the SQL they share.

A board holds scored games (`entries`), each player's best entry kept up to
date for two rankings (`best` by score, `best_par` by score minus par), and
the workshops a trainer created. Every entry holds the run log it was scored
from; scores and par are computed by the caller from a replay, never read
from the log.

Writes are serialized (SQLite's write lock, a PostgreSQL advisory lock), so
entry ids and times follow commit order and a reader that remembers the last
id it saw never misses an entry. The schema is versioned and migrated on
open. :class:`SqliteBoard` and :class:`PostgresBoard` (in their own modules)
differ only in how they connect, lock and number their rows.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, TypeGuard

from game.workshop.board.board_sql import (
    ENTRY_COLUMNS,
    KEEP_BEST,
    KEEP_BEST_PAR,
    KEEP_FIRST,
    MIGRATIONS,
    WORKSHOP_COLUMNS,
)
from game.workshop.board.room_tables import RoomTables
from game.workshop.board.team_tables import TeamTables
from game.workshop.board.transaction import Transaction

SCHEMA_VERSION = 4
RANKINGS = ("score", "par")
Ranking = Literal["score", "par"]


def _is_ranking(value: object) -> TypeGuard[Ranking]:
    """Whether `value` names one of the RANKINGS."""
    return value in RANKINGS


class BoardError(Exception):
    """The board cannot be used: not a Rapport leaderboard, unreachable, or from a newer version."""


class WorkshopExists(BoardError):
    """A workshop with this code is already on the board."""


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
    par: int | None
    breakdown: dict[str, Any]
    run_log: str
    created: str
    finished: bool = True
    """False for a game the trainer's end of the round scored as it stood."""

    @property
    def margin(self) -> int | None:
        """Score minus par (None for entries stored before par was recorded)."""
        return None if self.par is None else self.score - self.par

    def as_dict(self) -> dict[str, Any]:
        return {
            "workshop": self.workshop,
            "scenario": self.scenario,
            "seed": self.seed,
            "player": self.player,
            "score": self.score,
            "par": self.par,
            "breakdown": self.breakdown,
            "created": self.created,
            "finished": self.finished,
        }


@dataclass(frozen=True)
class Standing:
    """A player's ranking entry and place on a board."""

    rank: int
    entry: Entry
    games: int
    seed_hidden: bool = False


@dataclass(frozen=True)
class Workshop:
    """A workshop a trainer created: everyone plays this scenario on this seed."""

    code: str
    scenario: str
    scenario_hash: str
    seed: int
    seed_hidden: bool
    first_attempt_only: bool
    ranking: Ranking = "score"
    created: str = ""


@dataclass(frozen=True)
class WorkshopSummary:
    """A workshop as `rapport workshop list` shows it; `record` is None for an open one."""

    code: str
    record: Workshop | None
    players: int
    games: int


@dataclass(frozen=True)
class Place:
    """Where a player stands: rank (from 1) of `players`, and the entry that ranks."""

    rank: int
    players: int
    entry_id: int


class BoardStore(RoomTables, TeamTables, ABC):
    """A leaderboard. Open one per process (it is cheap); close it, or use `with`."""

    #: Where the board is, for messages (a path, or a URL without its password).
    location: str
    #: Dialect words for the migrations.
    _dialect: ClassVar[dict[str, str]]

    # ------------------------------------------------------------ backend primitives

    @abstractmethod
    def close(self) -> None:
        """Close the connection."""

    @abstractmethod
    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a read (its own snapshot); `?` placeholders."""

    @abstractmethod
    def _write(self) -> AbstractContextManager[Transaction]:
        """A write transaction that holds the write lock from its start."""

    @abstractmethod
    def _guard(self) -> AbstractContextManager[None]:
        """Turn the driver's errors into :class:`BoardError` naming the board."""

    @abstractmethod
    def _integrity(self) -> str:
        """The backend's own check of its storage: "ok" when sound."""

    def __enter__(self) -> BoardStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @classmethod
    def _migration(cls, step: int) -> Iterator[str]:
        """The statements of one migration, in this backend's dialect."""
        text = MIGRATIONS[step].format(**cls._dialect)
        return (s.strip() for s in text.split(";") if s.strip())

    def _migrate_steps(self, tx: Transaction, current: int) -> None:
        for step in range(current + 1, SCHEMA_VERSION + 1):
            for statement in self._migration(step):
                tx.execute(statement)

    def _too_new(self, version: int) -> BoardError:
        return BoardError(
            f"{self.location}: written by a newer Rapport (schema {version}); upgrade Rapport"
        )

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
        par: int | None = None,
        finished: bool = True,
    ) -> int:
        """Store a scored game (and keep the player's best up to date); return its id.

        `finished=False` marks a game scored as it stood when the trainer ended the round.
        """
        margin = None if par is None else score - par
        with self._guard(), self._write() as tx:
            created = tx.now()
            rows = tx.execute(
                "SELECT first_attempt_only FROM workshops WHERE code = ?", (workshop,)
            )
            first_only = bool(rows and rows[0][0])
            entry_id = tx.insert_entry(
                (
                    workshop,
                    scenario,
                    scenario_hash,
                    seed,
                    player,
                    score,
                    par,
                    json.dumps(breakdown, sort_keys=True),
                    run_log,
                    created,
                )
            )
            if not finished:
                tx.execute("UPDATE entries SET finished = 0 WHERE id = ?", (entry_id,))
            key = (workshop, scenario, player, entry_id)
            if first_only:
                tx.execute(KEEP_FIRST.format(table="best", key="score"), (*key, score, created))
                tx.execute(
                    KEEP_FIRST.format(table="best_par", key="margin"), (*key, margin, created)
                )
            else:
                tx.execute(KEEP_BEST, (*key, score, created))
                tx.execute(KEEP_BEST_PAR, (*key, margin, created))
            return entry_id

    def create_workshop(self, workshop: Workshop) -> Workshop:
        """Put a new workshop on the board; :class:`WorkshopExists` if the code is taken."""
        with self._guard(), self._write() as tx:
            if tx.execute("SELECT created FROM workshops WHERE code = ?", (workshop.code,)):
                raise WorkshopExists(f"workshop {workshop.code} already exists on {self.location}")
            created = tx.now()
            tx.execute(
                f"INSERT INTO workshops ({WORKSHOP_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    workshop.code,
                    workshop.scenario,
                    workshop.scenario_hash,
                    workshop.seed,
                    int(workshop.seed_hidden),
                    int(workshop.first_attempt_only),
                    workshop.ranking,
                    created,
                ),
            )
        return self.workshop(workshop.code) or workshop

    # ------------------------------------------------------------------ reading

    def standings(
        self,
        *,
        workshop: str | None = None,
        scenario: str | None = None,
        limit: int | None = None,
        rank: Ranking = "score",
    ) -> list[Standing]:
        """Each player's best, highest first; ties go to whoever got there first.

        `rank="par"` ranks by score minus par: each player's entry with the
        best margin over the reference bot on its seed.
        """
        table, order = _ranking(rank)
        where, params = _filters(workshop, scenario, table=table)
        sql = (
            f"SELECT {ENTRY_COLUMNS}, {table}.games, COALESCE(workshops.seed_hidden, 0) "
            f"FROM {table} JOIN entries ON entries.id = {table}.entry_id "
            f"LEFT JOIN workshops ON workshops.code = {table}.workshop "
            f"{where} ORDER BY {order}{' LIMIT ?' if limit else ''}"
        )
        with self._guard():
            rows = self._query(sql, (*params, limit) if limit else params)
        return [
            Standing(index, _entry(row), int(row[-2]), bool(row[-1]))
            for index, row in enumerate(rows, 1)
        ]

    def place(
        self, *, workshop: str, scenario: str, player: str, rank: Ranking = "score"
    ) -> Place | None:
        """A player's rank on one workshop's board of one scenario, without reading the board."""
        table, _order = _ranking(rank)
        key = "score" if table == "best" else "margin"
        board = "workshop = ? AND scenario = ?"
        with self._guard():
            mine = self._query(
                f"SELECT {key}, created, entry_id FROM {table} WHERE {board} AND player = ?",
                (workshop, scenario, player),
            )
            if not mine:
                return None
            value, created, entry_id = mine[0]
            earlier = "(created < ? OR (created = ? AND entry_id < ?))"
            if value is None:
                ahead = f"{key} IS NOT NULL OR ({key} IS NULL AND {earlier})"
                ahead_params: tuple[Any, ...] = (created, created, entry_id)
            else:
                ahead = f"{key} > ? OR ({key} = ? AND {earlier})"
                ahead_params = (value, value, created, created, entry_id)
            counts = self._query(
                f"SELECT COUNT(*), SUM(CASE WHEN {ahead} THEN 1 ELSE 0 END) "
                f"FROM {table} WHERE {board}",
                (*ahead_params, workshop, scenario),
            )
        players, before = counts[0]
        return Place(int(before or 0) + 1, int(players), int(entry_id))

    def entries(
        self, *, workshop: str | None = None, scenario: str | None = None, after: int = 0
    ) -> list[Entry]:
        """All entries (optionally only those with an id above `after`), oldest first."""
        where, params = _filters(workshop, scenario)
        where = f"{where} {'AND' if where else 'WHERE'} id > ?"
        with self._guard():
            rows = self._query(
                f"SELECT {ENTRY_COLUMNS} FROM entries {where} ORDER BY id", (*params, after)
            )
        return [_entry(row) for row in rows]

    def count(self) -> int:
        with self._guard():
            return int(self._query("SELECT COUNT(*) FROM entries")[0][0])

    def last_id(self) -> int:
        with self._guard():
            return int(self._query("SELECT COALESCE(MAX(id), 0) FROM entries")[0][0])

    def workshop(self, code: str) -> Workshop | None:
        """The workshop created with this code, or None (an open workshop, or none at all)."""
        with self._guard():
            rows = self._query(f"SELECT {WORKSHOP_COLUMNS} FROM workshops WHERE code = ?", (code,))
        return _workshop(rows[0]) if rows else None

    def workshops(self) -> list[WorkshopSummary]:
        """Every workshop: those created (newest first), then open ones (entries only)."""
        with self._guard():
            records = {
                row[0]: _workshop(row)
                for row in self._query(f"SELECT {WORKSHOP_COLUMNS} FROM workshops")
            }
            counts = {
                row[0]: (int(row[1]), int(row[2]))
                for row in self._query(
                    "SELECT workshop, COUNT(*), SUM(games) FROM best GROUP BY workshop"
                )
            }
        created = sorted(records.values(), key=lambda w: (w.created, w.code), reverse=True)
        open_codes = sorted(set(counts) - set(records))
        return [WorkshopSummary(w.code, w, *counts.get(w.code, (0, 0))) for w in created] + [
            WorkshopSummary(code, None, *counts[code]) for code in open_codes
        ]

    def integrity(self) -> str:
        """ "ok" when the storage is sound and every player's best matches their games."""
        with self._guard():
            storage = self._integrity()
            if storage != "ok":
                return storage
            for table in ("best", "best_par"):
                off = self._query(
                    "SELECT COUNT(*) FROM (SELECT workshop, scenario, player, COUNT(*) AS n "
                    "FROM entries GROUP BY workshop, scenario, player) AS counted "
                    f"LEFT JOIN {table} ON {table}.workshop = counted.workshop "
                    f"AND {table}.scenario = counted.scenario AND {table}.player = counted.player "
                    f"WHERE {table}.games IS NULL OR {table}.games <> counted.n"
                )[0][0]
                if off:
                    return f"{off} players' {table} rows do not match their entries"
        return "ok"


def _ranking(rank: str) -> tuple[str, str]:
    """The best table of a ranking and its order."""
    if rank == "score":
        return "best", "best.score DESC, best.created, best.entry_id"
    if rank == "par":
        return "best_par", "best_par.margin DESC NULLS LAST, best_par.created, best_par.entry_id"
    raise ValueError(f"unknown ranking {rank!r}: expected one of {', '.join(RANKINGS)}")


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


def _entry(row: Sequence[Any]) -> Entry:
    return Entry(
        int(row[0]),
        row[1],
        row[2],
        row[3],
        int(row[4]),
        row[5],
        int(row[6]),
        None if row[7] is None else int(row[7]),
        json.loads(row[8]),
        row[9],
        row[10],
        bool(row[11]),
    )


def _workshop(row: Sequence[Any]) -> Workshop:
    ranking: Ranking = row[6] if _is_ranking(row[6]) else "score"
    return Workshop(
        row[0], row[1], row[2], int(row[3]), bool(row[4]), bool(row[5]), ranking, row[7]
    )
