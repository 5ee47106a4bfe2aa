"""The leaderboard as the app uses it: read the standings and the room, submit a game.

Textual-free, between the app and the board's stores: the app never opens a
store (an import-linter contract in pyproject.toml). Every call opens the board,
does one thing and closes it, so it runs as well in a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from game.common.errors import UserError
from game.scenario.catalog import find_scenario_id
from game.workshop.board import BoardError, Entry, Ranking, Standing, Workshop, open_board
from game.workshop.room import RoomAnalysis
from game.workshop.submit import Submitted, Submitter
from game.workshop.workshops import workshop_scenario

__all__ = [
    "BoardError",
    "BoardFeed",
    "BoardRead",
    "LeaderboardError",
    "Ranking",
    "Standing",
    "Submitted",
    "Workshop",
    "submit_game",
    "workshop_scenario",
]


class LeaderboardError(UserError):
    """The board could not be read or written; the message says why."""


@dataclass(frozen=True)
class BoardRead:
    """One read of the board: the standings, the entries new since the last read, the
    newest entry's id and how many games the board holds."""

    standings: list[Standing]
    new: list[Entry]
    last_id: int
    games: int


class BoardFeed:
    """Reads a board again and again (the live board polls it), keeping track of what is new
    and of each scenario's room analysis."""

    def __init__(
        self,
        db: Path | str,
        *,
        workshop: str | None = None,
        scenario: str | None = None,
        rank: Ranking = "score",
    ) -> None:
        self.db = db  # a SQLite file, or a PostgreSQL URL
        self.workshop = workshop
        self.scenario = scenario
        self.rank: Ranking = rank
        self.last_id = 0
        self._rooms: dict[str, RoomAnalysis] = {}

    def read(self) -> BoardRead:
        """The board now; raise :class:`LeaderboardError` if it cannot be read."""
        try:
            with open_board(self.db) as board:
                standings = board.standings(
                    workshop=self.workshop, scenario=self.scenario, rank=self.rank
                )
                last = board.last_id()
                new = (
                    board.entries(
                        workshop=self.workshop, scenario=self.scenario, after=self.last_id
                    )
                    if last > self.last_id
                    else []
                )
                games = board.count()
        except (BoardError, OSError) as error:
            raise LeaderboardError(str(error)) from None
        self.last_id = last
        return BoardRead(standings, new, last, games)

    def room(self, read: BoardRead) -> RoomAnalysis | None:
        """How the room played the scenario shown (the first standing's, without a
        filter), with the read's new entries added; None if it cannot be analysed."""
        standings = read.standings
        scenario = self.scenario or (standings[0].entry.scenario if standings else None)
        if scenario is None:
            return None
        new = read.new
        if scenario not in self._rooms:
            try:
                room = RoomAnalysis(find_scenario_id(scenario))
            except UserError:  # a scenario no longer on this machine: no room view for it
                return None
            try:
                with open_board(self.db) as board:
                    new = board.entries(workshop=self.workshop, scenario=scenario)
            except (BoardError, OSError):  # try again at the next read
                return None
            self._rooms[scenario] = room
        room = self._rooms[scenario]
        for entry in new:
            if entry.scenario == scenario:
                room.add(entry.id, entry.run_log)
        return room


def submit_game(
    db: Path | str | None,
    log_text: str,
    *,
    workshop: str,
    scenario_file: str | None,
    name: str | None = None,
) -> Submitted:
    """Score a finished game's run log by replay and put it on the workshop's board (under
    `name`, if given: a team's)."""
    try:
        with open_board(db) as board:
            return Submitter(board, scenario_file).submit(log_text, workshop=workshop, name=name)
    except (BoardError, OSError) as error:
        raise LeaderboardError(str(error)) from None
