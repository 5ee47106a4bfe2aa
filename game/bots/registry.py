"""Every built-in bot by name: the heuristic policies, then the expert that plays them."""

from __future__ import annotations

from collections.abc import Callable

from game.bots.base import Bot
from game.bots.builtin import HEURISTIC_BOTS
from game.bots.expert import ExpertBot

BUILTIN_BOTS: dict[str, Callable[[], Bot]] = {**HEURISTIC_BOTS, "expert": ExpertBot}
