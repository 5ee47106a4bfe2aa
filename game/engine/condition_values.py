"""What conditions read from a game: named values and functions.

`game.scenario.conditions` compiles a condition; it is evaluated against a
:class:`ConditionValues`, which answers from the game's state and graph.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from game.scenario.conditions import MILESTONES
from scoring import loyalty as metrics

if TYPE_CHECKING:
    from game.engine.game import Game

_STATE_FIELDS = frozenset(
    {
        "turn",
        "time_left",
        "reliability",
        "revenue",
        "sales",
        "promises_kept",
        "promises_broken",
    }
)


class ConditionValues:
    """The :class:`~game.scenario.conditions.ConditionContext` of one game."""

    __slots__ = ("game",)

    def __init__(self, game: Game) -> None:
        self.game = game

    def value(self, name: str) -> float:
        """A named value for conditions (see `game.scenario.conditions.NAMES`)."""
        game = self.game
        state = game.state
        if name in _STATE_FIELDS:
            return getattr(state, name)
        if name == "turns":
            return game.turns
        if name == "defections":
            return len(state.defections)
        if name == "share":
            return game.share()
        if name == "company_loyalty":
            return game.company_loyalty()
        if name == "satisfaction":
            return game.satisfaction()
        raise KeyError(name)

    def call(self, function: str, args: tuple[str, ...]) -> Any:
        """A function for conditions (see `game.scenario.conditions.FUNCTIONS`)."""
        game = self.game
        nodes = game.nodes
        first = args[0]
        if function == "trust":
            target = game.rules.player if args[1] == "player" else args[1]
            return game.trust(first, target)
        if function == "loyalty":
            return metrics.personal_loyalty(game.graph, first)
        if function == "satisfaction":
            return nodes[first]["satisfaction"]
        if function == "met":
            return bool(nodes[first]["met"])
        if function == "defected":
            return bool(nodes[first]["defected"])
        if function == "active":
            return nodes[first]["side"] == "supplier" and bool(nodes[first]["active"])
        if function == "left":
            return first in game.state.departures
        if function == "flag":
            return game.state.flags.get(first, False)
        if function == "milestone":
            return game.state.sales >= MILESTONES.index(first) + 1
        if function == "fired":
            return first in game.state.fired
        raise KeyError(function)
