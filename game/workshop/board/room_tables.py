"""The live room on a board: games in progress, and what the trainer asks of them.

A workshop game reports after every move (its turn, loyalty, score so far and run
log); the trainer's console reads those reports and writes the room's state: paused
or not, the events put into every game, and whether the round has ended. A game
reads the room's state in the same round trip as it reports, so a pause or an event
reaches it at its next move whatever host it plays on.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Literal

from game.workshop.board.transaction import Transaction

GameStatus = Literal["playing", "finished", "ended"]
"""Playing; finished (and submitted); or scored as it stood when the trainer ended the round."""

#: The room's tables (schema version 4); {float} is the dialect's floating type.
ROOM_MIGRATION = """
CREATE TABLE rooms (
    code TEXT PRIMARY KEY,
    paused INTEGER NOT NULL,
    ended INTEGER NOT NULL,
    updated TEXT NOT NULL
);
CREATE TABLE injections (
    workshop TEXT NOT NULL,
    id INTEGER NOT NULL,
    event TEXT NOT NULL,
    created TEXT NOT NULL,
    PRIMARY KEY (workshop, id)
);
CREATE TABLE live_games (
    workshop TEXT NOT NULL,
    player TEXT NOT NULL,
    scenario TEXT NOT NULL,
    turn INTEGER NOT NULL,
    turns INTEGER NOT NULL,
    loyalty {float} NOT NULL,
    score INTEGER NOT NULL,
    status TEXT NOT NULL,
    run_log TEXT NOT NULL,
    started TEXT NOT NULL,
    updated TEXT NOT NULL,
    PRIMARY KEY (workshop, player)
);
ALTER TABLE entries ADD COLUMN finished INTEGER NOT NULL DEFAULT 1;
CREATE TABLE teams (
    workshop TEXT NOT NULL,
    team TEXT NOT NULL,
    scenario TEXT NOT NULL,
    seed {bigint} NOT NULL,
    size INTEGER NOT NULL,
    created TEXT NOT NULL,
    PRIMARY KEY (workshop, team)
);
CREATE TABLE team_seats (
    workshop TEXT NOT NULL,
    team TEXT NOT NULL,
    seat INTEGER NOT NULL,
    player TEXT NOT NULL,
    PRIMARY KEY (workshop, team, seat)
);
CREATE TABLE team_moves (
    workshop TEXT NOT NULL,
    team TEXT NOT NULL,
    n INTEGER NOT NULL,
    seat INTEGER NOT NULL,
    move TEXT NOT NULL,
    created TEXT NOT NULL,
    PRIMARY KEY (workshop, team, n)
);
"""

_LIVE_COLUMNS = (
    "workshop, player, scenario, turn, turns, loyalty, score, status, run_log, started, updated"
)


@dataclass(frozen=True)
class RoomInjection:
    """One of the scenario's events the trainer put into every game in progress."""

    id: int
    event: str
    created: str


@dataclass(frozen=True)
class RoomState:
    """What the trainer asks of a workshop's games now."""

    code: str
    paused: bool = False
    ended: bool = False
    injections: tuple[RoomInjection, ...] = ()


@dataclass(frozen=True)
class GameReport:
    """A game in progress as it reports itself after a move."""

    workshop: str
    player: str
    scenario: str
    turn: int
    turns: int
    loyalty: float
    score: int
    run_log: str
    finished: bool = False
    new_game: bool = False
    """No move made yet: the game starts here (a restart begins a new game)."""


@dataclass(frozen=True)
class LiveGame:
    """A workshop game as the board last heard of it."""

    workshop: str
    player: str
    scenario: str
    turn: int
    turns: int
    loyalty: float
    score: int
    status: GameStatus
    run_log: str
    started: str
    updated: str


class RoomTables(ABC):
    """The live room's reads and writes, shared by every board backend."""

    @abstractmethod
    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...

    @abstractmethod
    def _write(self) -> AbstractContextManager[Transaction]: ...

    @abstractmethod
    def _guard(self) -> AbstractContextManager[None]: ...

    # ------------------------------------------------------------------ games

    def report(self, report: GameReport) -> tuple[RoomState, LiveGame | None]:
        """Keep a game's progress; return the room's state, for the game to act on, and
        the game as the board now holds it.

        A game the trainer already scored (the round ended) stays as it was scored.
        """
        status = "finished" if report.finished else "playing"
        with self._guard(), self._write() as tx:
            now = tx.now()
            tx.execute(
                f"INSERT INTO live_games ({_LIVE_COLUMNS}) VALUES ({', '.join('?' * 11)}) "
                "ON CONFLICT (workshop, player) DO UPDATE SET scenario = excluded.scenario, "
                "turn = excluded.turn, turns = excluded.turns, loyalty = excluded.loyalty, "
                "score = excluded.score, status = excluded.status, run_log = excluded.run_log, "
                "updated = excluded.updated WHERE live_games.status <> 'ended'",
                (
                    report.workshop,
                    report.player,
                    report.scenario,
                    report.turn,
                    report.turns,
                    report.loyalty,
                    report.score,
                    status,
                    report.run_log,
                    now,
                    now,
                ),
            )
            if report.new_game:
                tx.execute(
                    "UPDATE live_games SET started = ? WHERE workshop = ? AND player = ? "
                    "AND status <> 'ended'",
                    (now, report.workshop, report.player),
                )
            rows = tx.execute(
                f"SELECT {_LIVE_COLUMNS} FROM live_games WHERE workshop = ? AND player = ?",
                (report.workshop, report.player),
            )
            return _room(report.workshop, tx.execute), (_live(rows[0]) if rows else None)

    def live_games(self, workshop: str) -> list[LiveGame]:
        """Every game of the workshop the board has heard of, first started first."""
        with self._guard():
            rows = self._query(
                f"SELECT {_LIVE_COLUMNS} FROM live_games WHERE workshop = ? "
                "ORDER BY started, player",
                (workshop,),
            )
        return [_live(row) for row in rows]

    def live_game(self, workshop: str, player: str) -> LiveGame | None:
        """One player's game, as the board last heard of it."""
        with self._guard():
            rows = self._query(
                f"SELECT {_LIVE_COLUMNS} FROM live_games WHERE workshop = ? AND player = ?",
                (workshop, player),
            )
        return _live(rows[0]) if rows else None

    # ------------------------------------------------------------------ the room

    def room(self, workshop: str) -> RoomState:
        """The room's state now (an untouched room: running, nothing injected)."""
        with self._guard():
            return _room(workshop, self._query)

    def set_paused(self, workshop: str, paused: bool) -> RoomState:
        """Pause the room (games wait at the end of their turn) or let it go on."""
        with self._guard(), self._write() as tx:
            _touch_room(tx, workshop, paused=paused)
            return _room(workshop, tx.execute)

    def add_injection(self, workshop: str, event: str) -> RoomInjection:
        """Put `event` into every game in progress at its next turn; the injection's record."""
        with self._guard(), self._write() as tx:
            _touch_room(tx, workshop)
            rows = tx.execute(
                "SELECT COALESCE(MAX(id), 0) FROM injections WHERE workshop = ?", (workshop,)
            )
            ident, now = int(rows[0][0]) + 1, tx.now()
            tx.execute(
                "INSERT INTO injections (workshop, id, event, created) VALUES (?, ?, ?, ?)",
                (workshop, ident, event, now),
            )
        return RoomInjection(ident, event, now)

    def close_round(self, workshop: str) -> list[LiveGame]:
        """End the round: the room is marked ended and every game still playing is marked
        ended too (its later reports and submissions are refused). Return those games,
        for the caller to score as they stand."""
        with self._guard(), self._write() as tx:
            _touch_room(tx, workshop, ended=True)
            rows = tx.execute(
                f"SELECT {_LIVE_COLUMNS} FROM live_games WHERE workshop = ? AND status = ? "
                "ORDER BY started, player",
                (workshop, "playing"),
            )
            tx.execute(
                "UPDATE live_games SET status = ? WHERE workshop = ? AND status = ?",
                ("ended", workshop, "playing"),
            )
        return [_live(row) for row in rows]


def _touch_room(
    tx: Transaction, workshop: str, *, paused: bool | None = None, ended: bool = False
) -> None:
    """Create the room's row if needed, and set what is given."""
    now = tx.now()
    tx.execute(
        "INSERT INTO rooms (code, paused, ended, updated) VALUES (?, 0, 0, ?) "
        "ON CONFLICT (code) DO NOTHING",
        (workshop, now),
    )
    if paused is not None:
        tx.execute(
            "UPDATE rooms SET paused = ?, updated = ? WHERE code = ?", (int(paused), now, workshop)
        )
    if ended:
        tx.execute("UPDATE rooms SET ended = 1, updated = ? WHERE code = ?", (now, workshop))


def _room(workshop: str, run: Any) -> RoomState:
    rows = run("SELECT paused, ended FROM rooms WHERE code = ?", (workshop,))
    injected = run(
        "SELECT id, event, created FROM injections WHERE workshop = ? ORDER BY id", (workshop,)
    )
    paused, ended = (bool(rows[0][0]), bool(rows[0][1])) if rows else (False, False)
    return RoomState(
        workshop,
        paused,
        ended,
        tuple(RoomInjection(int(i), str(e), str(c)) for i, e, c in injected),
    )


def _live(row: Sequence[Any]) -> LiveGame:
    status: GameStatus = row[7] if row[7] in ("playing", "finished", "ended") else "playing"
    return LiveGame(
        row[0],
        row[1],
        row[2],
        int(row[3]),
        int(row[4]),
        float(row[5]),
        int(row[6]),
        status,
        row[8],
        row[9],
        row[10],
    )
