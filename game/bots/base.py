"""What a bot is, and the loop that lets one play a whole game."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from game.common.errors import UserError
from game.engine.choices import END, InvalidChoice
from game.engine.game import Game
from game.engine.view import GameView

MAX_STEPS_PER_TURN = 500


@runtime_checkable
class Bot(Protocol):
    """A policy: given the view, return the id of an open choice."""

    name: str

    def reset(self, seed: int) -> None:
        """Start a new game (bots with randomness seed themselves here)."""

    def choose(self, view: GameView) -> str:
        """The id of one of `view.choices`."""


class BotError(UserError, RuntimeError):
    """A bot that returned something that is not an open choice, or never ends its turn."""


def play(game: Game, bot: Bot, *, until_turn: int | None = None) -> Game:
    """Let `bot` play `game` to the end (or until turn `until_turn` begins); return it."""
    view = GameView(game)
    bot.reset(view.seed)
    steps = 0
    turn = game.turn
    while not game.finished and (until_turn is None or game.turn < until_turn):
        choice = bot.choose(view)
        try:
            game.step(choice)
        except (InvalidChoice, TypeError) as error:
            raise BotError(f"bot '{bot.name}' chose {choice!r}: {error}") from None
        steps = steps + 1 if game.turn == turn else 0
        turn = game.turn
        if steps > MAX_STEPS_PER_TURN:
            raise BotError(
                f"bot '{bot.name}' made {MAX_STEPS_PER_TURN} moves in turn {turn} without ending it"
            )
    return game


def default_answer(view: GameView) -> str:
    """What doing nothing means: the event's default answer, or ending the turn."""
    if view.pending_event is not None:
        choices = view.choices
        return next((c.id for c in choices if c.default), choices[0].id)
    return END
