"""What conditions read from a game: named values and functions.

`game.scenario.conditions` compiles a condition; it is evaluated against a
:class:`ConditionValues`, which answers from a world's state and graph.
"""

from __future__ import annotations

from typing import Any

from game.engine.graph import trust
from game.engine.world import World
from game.scenario.conditions import MILESTONES
from scoring import loyalty as metrics

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
    """The :class:`~game.scenario.conditions.ConditionContext` of one world."""

    __slots__ = ("world",)

    def __init__(self, world: World) -> None:
        self.world = world

    def value(self, name: str) -> float:
        """A named value for conditions (see `game.scenario.condition_tree.NAMES`)."""
        world = self.world
        state = world.state
        if name in _STATE_FIELDS:
            return getattr(state, name)
        if name == "turns":
            return world.scenario.turns
        if name == "defections":
            return len(state.defections)
        if name == "share":
            return world.share()
        if name == "company_loyalty":
            return world.company_loyalty()
        if name == "satisfaction":
            return world.satisfaction()
        raise KeyError(name)

    def call(self, function: str, args: tuple[str, ...]) -> Any:
        """A function for conditions (see `game.scenario.condition_tree.FUNCTIONS_TABLE`)."""
        world = self.world
        nodes = world.nodes
        first = args[0]
        if function == "trust":
            target = world.rules.player if args[1] == "player" else args[1]
            return trust(world.graph, first, target)
        if function == "loyalty":
            return metrics.personal_loyalty(world.graph, first)
        if function == "satisfaction":
            return nodes[first]["satisfaction"]
        if function == "met":
            return bool(nodes[first]["met"])
        if function == "defected":
            return bool(nodes[first]["defected"])
        if function == "active":
            return nodes[first]["side"] == "supplier" and bool(nodes[first]["active"])
        if function == "left":
            return first in world.state.departures
        if function == "flag":
            return world.state.flags.get(first, False)
        if function == "milestone":
            return world.state.sales >= MILESTONES.index(first) + 1
        if function == "fired":
            return first in world.state.fired
        raise KeyError(function)
