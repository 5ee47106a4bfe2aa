"""Bots: policies that play through the same API as a human player."""

from __future__ import annotations

from game.bots.base import Bot, BotError, play
from game.bots.custom import CustomBotError, load_bot_file
from game.bots.registry import BUILTIN_BOTS
from game.scenario.suggest import did_you_mean

__all__ = [
    "BUILTIN_BOTS",
    "QUICK_BOTS",
    "SLOW_BOTS",
    "Bot",
    "BotError",
    "CustomBotError",
    "make_bot",
    "play",
]

#: Built-in bots that take seconds a game (they look ahead on forks of the game).
SLOW_BOTS = frozenset({"expert"})
#: The built-in bots that play a game in milliseconds, in the order they are listed.
QUICK_BOTS = tuple(name for name in BUILTIN_BOTS if name not in SLOW_BOTS)


def make_bot(name: str) -> Bot:
    """A built-in bot by name, or a custom bot from a `.py` file."""
    if name in BUILTIN_BOTS:
        return BUILTIN_BOTS[name]()
    if name.endswith(".py"):
        return load_bot_file(name)
    raise CustomBotError(
        f"unknown bot '{name}'{did_you_mean(name, BUILTIN_BOTS)}; built-in bots are "
        f"{', '.join(BUILTIN_BOTS)}, or give a .py file that defines choose(view)"
    )
