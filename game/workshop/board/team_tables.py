"""Account teams on a board: who sits where in a team game, and the team's moves in order.

Each trainee of a team plays the same game in their own process; the board keeps the
one order of everyone's moves (numbered under the write lock), and every process plays
them in that order, so every copy of the game is the same game.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from game.workshop.board.transaction import Transaction


class TeamFull(Exception):
    """Every seat of the named team is taken."""


@dataclass(frozen=True)
class Team:
    """A team game: its scenario and seed, how many seats, and who sits in them."""

    workshop: str
    name: str
    scenario: str
    seed: int
    size: int
    players: tuple[str, ...]
    """The players by seat, in the order they joined (seat 0 leads)."""

    @property
    def full(self) -> bool:
        return len(self.players) >= self.size


@dataclass(frozen=True)
class TeamMove:
    """One entry of a team's log: a seat's move (a choice id, or a marker)."""

    n: int
    seat: int
    move: str


class TeamTables(ABC):
    """The team tables' reads and writes, shared by every board backend."""

    @abstractmethod
    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...

    @abstractmethod
    def _write(self) -> AbstractContextManager[Transaction]: ...

    @abstractmethod
    def _guard(self) -> AbstractContextManager[None]: ...

    def join_team(
        self,
        workshop: str,
        name: str | None,
        player: str,
        *,
        size: int,
        scenario: str,
        seed: int,
    ) -> tuple[Team, int]:
        """Sit `player` in team `name` (made with `size` seats, `scenario` and `seed` if it
        is new), or with `name` None in the oldest team of that size with a free seat (or
        a new one). A player already seated keeps their seat. Return the team and the
        seat; :class:`TeamFull` if the named team has no free seat."""
        with self._guard(), self._write() as tx:
            if name is None:
                name = _open_team(tx, workshop, size) or _new_name(tx, workshop)
            rows = tx.execute(
                "SELECT size FROM teams WHERE workshop = ? AND team = ?", (workshop, name)
            )
            if not rows:
                tx.execute(
                    "INSERT INTO teams (workshop, team, scenario, seed, size, created) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (workshop, name, scenario, seed, size, tx.now()),
                )
            seated = tx.execute(
                "SELECT seat, player FROM team_seats WHERE workshop = ? AND team = ? ORDER BY seat",
                (workshop, name),
            )
            mine = next((seat for seat, who in seated if who == player), None)
            if mine is None:
                team_size = int(rows[0][0]) if rows else size
                if len(seated) >= team_size:
                    raise TeamFull(f"team {name} of workshop {workshop} is full")
                mine = len(seated)
                tx.execute(
                    "INSERT INTO team_seats (workshop, team, seat, player) VALUES (?, ?, ?, ?)",
                    (workshop, name, mine, player),
                )
            team = _team(tx.execute, workshop, name)
        assert team is not None
        return team, int(mine)

    def team(self, workshop: str, name: str) -> Team | None:
        """The team as it stands (its players so far)."""
        with self._guard():
            return _team(self._query, workshop, name)

    def add_team_move(self, workshop: str, name: str, seat: int, move: str) -> int:
        """Append a seat's move to the team's log; its number."""
        with self._guard(), self._write() as tx:
            rows = tx.execute(
                "SELECT COALESCE(MAX(n), 0) FROM team_moves WHERE workshop = ? AND team = ?",
                (workshop, name),
            )
            n = int(rows[0][0]) + 1
            tx.execute(
                "INSERT INTO team_moves (workshop, team, n, seat, move, created) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (workshop, name, n, seat, move, tx.now()),
            )
        return n

    def team_moves(self, workshop: str, name: str, after: int = 0) -> list[TeamMove]:
        """The team's log after entry `after`, in order."""
        with self._guard():
            rows = self._query(
                "SELECT n, seat, move FROM team_moves WHERE workshop = ? AND team = ? AND n > ? "
                "ORDER BY n",
                (workshop, name, after),
            )
        return [TeamMove(int(n), int(seat), str(move)) for n, seat, move in rows]


def _open_team(tx: Transaction, workshop: str, size: int) -> str | None:
    rows = tx.execute(
        "SELECT teams.team FROM teams LEFT JOIN team_seats ON team_seats.workshop = "
        "teams.workshop AND team_seats.team = teams.team WHERE teams.workshop = ? AND "
        "teams.size = ? GROUP BY teams.team, teams.created HAVING COUNT(team_seats.seat) < ? "
        "ORDER BY teams.created, teams.team LIMIT 1",
        (workshop, size, size),
    )
    return str(rows[0][0]) if rows else None


def _new_name(tx: Transaction, workshop: str) -> str:
    count = tx.execute("SELECT COUNT(*) FROM teams WHERE workshop = ?", (workshop,))[0][0]
    return f"team-{int(count) + 1}"


def _team(run: Any, workshop: str, name: str) -> Team | None:
    rows = run(
        "SELECT scenario, seed, size FROM teams WHERE workshop = ? AND team = ?", (workshop, name)
    )
    if not rows:
        return None
    players = run(
        "SELECT player FROM team_seats WHERE workshop = ? AND team = ? ORDER BY seat",
        (workshop, name),
    )
    scenario, seed, size = rows[0]
    return Team(workshop, name, str(scenario), int(seed), int(size), tuple(p for (p,) in players))
