"""Changes to the world that effects and dynamics make: introductions, orders,
people leaving and joining. Each returns phrases for the log line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from game.engine.graph import COMPETITOR, CUSTOMER, GONE, trust
from game.engine.text import percent, points
from game.engine.trust import credit, raise_to
from game.scenario.models import FIRM

if TYPE_CHECKING:
    from game.engine.game import Game


def describe_trust(game: Game, moves: Sequence[tuple[str, float, float]], to: str) -> list[str]:
    """Phrases for trust changes of several people in one supplier node."""
    moved = [(p, b, a) for p, b, a in moves if abs(a - b) >= 0.0005]
    if not moved:
        return []
    whom = "your company" if to == FIRM else game.name(to)
    if len(moved) == 1:
        person, before, after = moved[0]
        return [
            f"{game.rules.names[person]}'s trust in {whom} {percent(before)} → {percent(after)}"
        ]
    change = sum(a - b for _p, b, a in moved) / len(moved)
    return [
        f"trust in {whom} {points(change).replace(' pts', ' pts on average')} "
        f"for {len(moved)} people"
    ]


def introduce(game: Game, person: str, actor: str, *, introducer: str | None) -> list[str]:
    """Open access to `person`; with an introducer, some of their trust carries over."""
    graph = game.graph
    data = game.nodes[person]
    if data["met"] or data["defected"] or data["side"] != CUSTOMER:
        return []
    data["met"] = True
    game.people_changed()
    if introducer is None:
        return [f"you can now meet {game.full_name(person)}"]
    if graph.has_edge(introducer, person):
        graph.edges[introducer, person]["introduced"] = game.turn
    else:
        graph.add_edge(introducer, person, introduced=game.turn)
    transfer = game.scenario.introductions.transfer
    for target in (actor, FIRM):
        raise_to(
            game.state,
            person,
            target,
            transfer * trust(graph, introducer, target),
            "networking",
        )
    return [
        f"{game.rules.names[person]} starts trusting {game.name(actor)} at "
        f"{percent(trust(graph, person, actor))}"
    ]


def bill(game: Game, list_value: float) -> float:
    """Book an order worth `list_value` at list price; return what the customer pays.

    A discount comes off the price, so it comes straight off the margin too:
    a 5% discount on a 22% margin gives away almost a quarter of the profit.
    """
    state = game.state
    paid = list_value * (1.0 - state.discount)
    state.revenue += paid
    state.margin_earned += list_value * (game.scenario.account.margin - state.discount)
    return paid


def book_order(game: Game, value: float, *, counts_as_sale: bool) -> list[str]:
    """The customer places an order outside the regular rhythm (at your current price)."""
    state = game.state
    state.potential_revenue += value
    paid = bill(game, value)
    if counts_as_sale:
        state.sales += 1
    phrases = [f"order booked ({game.money(paid)})"]
    if counts_as_sale and state.sales in (1, 2):
        phrases.append("first sale!" if state.sales == 1 else "second sale: loyalty can begin")
    return phrases


def depart(game: Game, person: str, competitor: str | None, *, announce: bool = False) -> list[str]:
    """Supplier person `person` leaves; trust only they held goes with them.

    A customer person who leaves retires or moves on instead (see
    :func:`customer_leaves`)."""
    nodes = game.nodes
    data = nodes[person]
    if data["side"] == CUSTOMER:
        return customer_leaves(game, person)
    if data["side"] != "supplier" or not data["active"]:
        return []
    before = game.company_loyalty()
    data["active"] = False
    game.people_changed()
    game.state.departures[person] = competitor
    name = game.rules.names[person]
    if competitor is None:
        data["side"] = GONE
        remove_trust_in(game, person, "departure")
        text = f"{name} has left {game.scenario.supplier.name}."
    else:
        data["side"] = COMPETITOR
        data["employer"] = competitor
        rival = next(c.name for c in game.scenario.competitors if c.id == competitor)
        held = 0.0
        for source in game.pred[person]:
            value = game.graph.edges[source, person].get("trust", 0.0)
            held += nodes[source].get("influence", 0.0) * value
        game.state.attribution["departure"] -= held / game.graph.graph["total_influence"]
        text = (
            f"{name} has left to join {rival}. The customer's trust in {name} "
            f"now works for {rival}."
        )
    game.state.loyalty.team_changed()
    delta = game.company_loyalty() - before
    if announce:
        game.log(
            "departure",
            text,
            cause="departure",
            loyalty_delta=delta,
        )
        return []
    return [text.rstrip(".")]


def customer_leaves(game: Game, person: str) -> list[str]:
    """Customer person `person` retires or moves on, and the trust they held goes with
    them: whoever takes their seat starts from nothing."""
    graph = game.graph
    data = game.nodes[person]
    if data["side"] != CUSTOMER:
        return []
    share = data["influence"] / (graph.graph["total_influence"] or 1.0)
    for target, edge in list(game.succ[person].items()):
        value = edge.pop("trust", None)
        if value:
            game.state.attribution["turnover"] -= share * value
        if not edge:
            graph.remove_edge(person, target)
    data["side"] = GONE
    data["met"] = False
    game.state.customer_departures.append(person)
    _customers_changed(game)
    return [f"{game.full_name(person)} has left {game.scenario.customer.name}"]


def customer_arrives(game: Game, person: str) -> list[str]:
    """A customer person who was not there yet arrives, unmet."""
    data = game.nodes[person]
    if data["side"] != "absent":
        return []
    data["side"] = CUSTOMER
    data["met"] = False
    data["satisfaction"] = game.scenario.account.satisfaction_baseline
    _customers_changed(game)
    return [f"{game.full_name(person)} joins {game.scenario.customer.name}; you have not met yet"]


def _customers_changed(game: Game) -> None:
    """Someone joined or left the customer: who counts, and how much, has changed."""
    nodes = game.nodes
    graph = game.graph
    graph.graph["total_influence"] = sum(
        nodes[p]["influence"] for p in game.rules.stakeholder_ids if nodes[p]["side"] == CUSTOMER
    )
    game.state.loyalty.team_changed()
    game.people_changed()
    game.shares_changed()


def arrive(game: Game, person: str) -> list[str]:
    """A supplier person who was not yet active joins the team (or, for a customer
    person, arrives at the customer: see :func:`customer_arrives`)."""
    data = game.nodes[person]
    if data["side"] == "absent":
        return customer_arrives(game, person)
    if data["side"] != "supplier" or data["active"]:
        return []
    data["active"] = True
    game.people_changed()
    return [f"{game.full_name(person)} joins your team"]


def remove_trust_in(game: Game, person: str, cause: str) -> None:
    """Drop every customer's trust in `person` (who has gone), crediting the loss."""
    graph = game.state.graph
    for source in list(game.pred[person]):
        edge = graph.edges[source, person]
        value = edge.pop("trust", None)
        if value:
            credit(game.state, source, -value, cause)
        if not edge:
            graph.remove_edge(source, person)
