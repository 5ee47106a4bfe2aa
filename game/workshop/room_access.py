"""The live room as the app and the facilitator's console use it.

Textual-free, between them and the board's stores (the app never opens a store: an
import-linter contract). A game keeps one :class:`LiveRoom` open for its whole life;
the console's calls each open the board, do one thing and close it, so they run as
well in a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from game.common.errors import UserError
from game.workshop.board import BoardError, open_board
from game.workshop.board.team_tables import TeamFull
from game.workshop.live import LiveRoom
from game.workshop.par import TurnPars
from game.workshop.room_control import RoomControl, RoomStatus
from game.workshop.team_play import TeamLink

T = TypeVar("T")

__all__ = [
    "LiveRoom",
    "RoomAccessError",
    "RoomControl",
    "RoomStatus",
    "TeamLink",
    "TurnPars",
    "join_team",
    "open_live_room",
    "with_room",
]


class RoomAccessError(UserError):
    """The room's board could not be read or written; the message says why."""


def open_live_room(db: Path | str | None, code: str) -> LiveRoom:
    """The room of workshop `code` for one game (close it with the game)."""
    try:
        return LiveRoom(open_board(db), code)
    except BoardError as error:
        raise RoomAccessError(str(error)) from None


def with_room(
    db: Path | str | None,
    code: str,
    act: Callable[[RoomControl], T],
    *,
    pars: TurnPars | None = None,
) -> T:
    """Open the board, do `act` with the trainer's hold on the room, close it."""
    try:
        with open_board(db) as board:
            return act(RoomControl(board, code, pars=pars))
    except BoardError as error:
        raise RoomAccessError(str(error)) from None


def join_team(
    db: Path | str | None,
    workshop: str,
    name: str | None,
    player: str,
    *,
    size: int,
    scenario: str,
    seed: int,
) -> TeamLink:
    """Sit `player` in a team game of `workshop` (the named team, or the first with a free
    seat); the seat's link to the team (close it with the game)."""
    try:
        board = open_board(db)
    except BoardError as error:
        raise RoomAccessError(str(error)) from None
    try:
        team, seat = board.join_team(
            workshop, name, player, size=size, scenario=scenario, seed=seed
        )
    except TeamFull as error:
        board.close()
        raise RoomAccessError(
            f"{error}: join another team, or start one with another name"
        ) from None
    except BoardError as error:
        board.close()
        raise RoomAccessError(str(error)) from None
    return TeamLink(board, team, seat)
