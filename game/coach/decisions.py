"""A run log's decisions, and playing them on forks of the game.

Shared by the turning-point analysis and its account of departures: a decision is a
turn's moves (ending with END) or one answer to an event; on a fork, the player's
recorded moves are played as far as the fork's own dice allow.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from game.bots.base import default_answer
from game.coach.analysis_report import Move
from game.engine.choices import END, Choice, InvalidChoice
from game.engine.game import Game
from game.engine.view import GameView


@dataclass(frozen=True)
class Decision:
    """One decision in a run log: an event's answer, or a turn's moves (ending with END)."""

    index: int  # position of its first choice in the log
    kind: Literal["turn", "event"]
    choices: tuple[str, ...]


def decisions(choices: Sequence[str]) -> list[Decision]:
    """The run log's decisions, in order. A turn's moves left unfinished are not one."""
    found: list[Decision] = []
    start: int | None = None
    for index, choice in enumerate(choices):
        if choice.startswith("event:"):
            found.append(Decision(index, "event", (choice,)))
            continue
        if start is None:
            start = index
        if choice == END:
            found.append(Decision(start, "turn", tuple(choices[start : index + 1])))
            start = None
    return found


def move_of(game: Game, choice: Choice) -> Move:
    """A choice as a turning point records it."""
    target = choice.target
    return Move(
        id=choice.id,
        label=choice.label,
        behaviour=choice.behaviour,
        person=target,
        name=game.full_name(target) if target else None,
        cost=choice.cost,
    )


def play_moves(game: Game, moves: Iterable[str]) -> None:
    """The player's recorded moves of a turn, on a fork: a move the fork's dice closed is
    skipped, an event they brought takes its default answer, and the turn ends."""
    turn = game.turn
    view = GameView(game)
    for move in moves:
        while game.pending_event is not None and not game.finished:
            game.step(default_answer(view))
        if game.finished or game.turn != turn:
            return
        try:
            game.step(move)
        except InvalidChoice:
            continue
    while not game.finished and game.turn == turn:
        game.step(default_answer(view))
