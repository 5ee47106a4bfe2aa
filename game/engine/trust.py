"""The trust update rules: gains saturate, losses bite, idle trust leaks.

- A gain of `amount` moves trust `amount * (1 - t)` of the way up, and each
  repeat between the same two people in one turn is worth `repeat_factor` less.
- A loss takes `amount` off, flat: trust is easier to destroy than to create.
- Without contact for `contact_grace` turns, trust leaks a share `leak` of its
  distance above `baseline` each turn (trust in the firm by `firm_leak`).

Every change is credited to a cause (a behaviour or a dynamic such as `leak`),
weighted by the customer person's influence, for the debrief's breakdown.
"""

from __future__ import annotations

from typing import NamedTuple

from game.engine.graph import CUSTOMER
from game.engine.state import GameState
from game.scenario.models import FIRM, Dynamics


class Cooled(NamedTuple):
    """One relationship that cooled for want of contact."""

    person: str
    """The customer's person whose trust cooled."""
    target: str
    """Whom they trusted: one of your people, or the firm."""
    weighted: float
    """The loss, weighted by the person's influence."""
    since: int
    """The turn of the last contact between them (0: none since the start)."""


def change_trust(
    state: GameState,
    dyn: Dynamics,
    source: str,
    target: str,
    amount: float,
    cause: str,
    *,
    contact: bool = True,
) -> float:
    """Apply a gain (amount > 0) or loss (amount < 0); return the actual change."""
    edge = state.succ[source].get(target)
    before = edge.get("trust", 0.0) if edge else 0.0
    if amount >= 0:
        repeats = state.touches[(source, target)] if contact else 0
        after = before + amount * (1.0 - before) * dyn.repeat_factor**repeats
        after = min(1.0, after)
        if contact:
            state.touches[(source, target)] = repeats + 1
    else:
        after = max(0.0, before + amount)
    if edge is None:
        state.graph.add_edge(source, target, trust=after, contact=state.turn if contact else 0)
    else:
        edge["trust"] = after
        if contact:
            edge["contact"] = state.turn
    delta = after - before
    if delta:
        # credit(), written out: this runs for almost every trust change
        influence = state.nodes[source].get("influence", 0.0)
        state.attribution[cause] += influence * delta / state.graph.graph["total_influence"]
        state.loyalty.dirty.add(source)
    return delta


def raise_to(
    state: GameState, source: str, target: str, value: float, cause: str, *, contact: bool = True
) -> float:
    """Lift trust to at least `value` (an introduction, an endorsement); return the change."""
    edge = state.succ[source].get(target)
    before = edge.get("trust", 0.0) if edge else 0.0
    if value <= before:
        return 0.0
    if edge is None:
        state.graph.add_edge(source, target, trust=value, contact=state.turn if contact else 0)
    else:
        edge["trust"] = value
        if contact:
            edge["contact"] = state.turn
    credit(state, source, value - before, cause)
    return value - before


def credit(state: GameState, source: str, delta: float, cause: str) -> None:
    """Record a trust change of customer person `source` against its cause.

    Credits are influence-weighted shares of the whole customer, so they read as
    points of average trust (and sum comparably across causes).
    """
    influence = state.nodes[source].get("influence", 0.0)
    state.attribution[cause] += influence * delta / state.graph.graph["total_influence"]
    state.loyalty.mark(source)


def leak_all(
    state: GameState, dyn: Dynamics, pairs: list[Cooled] | None = None
) -> dict[str, float]:
    """Let idle trust decay toward the baseline; return each person's weighted loss.

    With `pairs`, also list each relationship that cooled (for the narration).
    """
    graph = state.graph
    nodes, succ = state.nodes, state.succ
    turn = state.turn
    grace = dyn.contact_grace
    baseline = dyn.baseline
    losses: dict[str, float] = {}
    for person, data in nodes.items():
        if data["side"] != CUSTOMER or data["defected"]:
            continue
        influence = data["influence"]
        for target, edge in succ[person].items():
            value = edge.get("trust")
            if value is None or value <= baseline or turn - edge["contact"] < grace:
                continue
            side = nodes[target]["side"]
            if target == FIRM:
                rate = dyn.firm_leak
            elif side == "supplier":
                rate = dyn.leak
            else:
                continue
            loss = rate * (value - baseline)
            edge["trust"] = value - loss
            losses[person] = losses.get(person, 0.0) + influence * loss
            if pairs is not None:
                pairs.append(Cooled(person, target, influence * loss, edge["contact"]))
            state.loyalty.mark(person)
    if losses:
        state.attribution["leak"] -= sum(losses.values()) / graph.graph["total_influence"]
    return losses
