"""Changes to the world that effects and dynamics make: introductions, orders,
people leaving and joining. Each returns phrases for the log line."""

from __future__ import annotations

from game.engine.graph import COMPETITOR, CUSTOMER, GONE, proof, trust
from game.engine.text import percent
from game.engine.trust import credit, raise_to
from game.engine.world import World
from game.scenario.models import FIRM


def introduce(world: World, person: str, actor: str, *, introducer: str | None) -> list[str]:
    """Open access to `person`; with an introducer, some of their trust carries over."""
    graph = world.graph
    data = world.nodes[person]
    if data["met"] or data["defected"] or data["side"] != CUSTOMER:
        return []
    data["met"] = True
    world.people_changed()
    if introducer is None:
        return [f"you can now meet {world.full_name(person)}"]
    if graph.has_edge(introducer, person):
        graph.edges[introducer, person]["introduced"] = world.turn
    else:
        graph.add_edge(introducer, person, introduced=world.turn)
    transfer = world.scenario.introductions.transfer
    for target in (actor, FIRM):
        raise_to(
            world.state,
            person,
            target,
            transfer * trust(graph, introducer, target),
            "networking",
        )
    return [
        f"{world.rules.names[person]} starts trusting {world.name(actor)} at "
        f"{percent(trust(graph, person, actor))}"
    ]


def bill(world: World, list_value: float) -> float:
    """Book an order worth `list_value` at list price; return what the customer pays.

    A discount comes off the price, so it comes straight off the margin too:
    a 5% discount on a 22% margin gives away almost a quarter of the profit. So does
    the cut the customer has come to expect from discounts past (`state.anchor`).
    """
    state = world.state
    cut = 1.0 - (1.0 - state.discount) * (1.0 - state.anchor)
    paid = list_value * (1.0 - cut)
    state.revenue += paid
    state.margin_earned += list_value * (world.scenario.account.margin - cut)
    return paid


def count_sale(world: World) -> str | None:
    """The customer has bought once more: from the second sale on, all of its people's
    loyalty counts as loyalty to the company. Returns what a first or second sale
    means, to tell with the order."""
    state = world.state
    state.sales += 1
    state.sale_turns.append(state.turn)
    world.graph.graph["proof"] = proof(world.dyn.provisional, state.sales)
    if state.sales == 1:
        return "first sale!"
    if state.sales == 2:
        return "second sale: loyalty can begin"
    return None


def book_order(world: World, value: float, *, counts_as_sale: bool) -> list[str]:
    """The customer places an order outside the regular rhythm (at your current price)."""
    state = world.state
    state.potential_revenue += value
    paid = bill(world, value)
    phrases = [f"order booked ({world.money(paid)})"]
    if counts_as_sale and (milestone := count_sale(world)):
        phrases.append(milestone)
    return phrases


def depart(
    world: World, person: str, competitor: str | None, *, announce: bool = False
) -> list[str]:
    """Supplier person `person` leaves; trust only they held goes with them.

    A customer person who leaves retires or moves on instead (see
    :func:`customer_leaves`)."""
    nodes = world.nodes
    data = nodes[person]
    if data["side"] == CUSTOMER:
        return customer_leaves(world, person)
    if data["side"] != "supplier" or not data["active"]:
        return []
    since = world.narrator.mark()
    data["active"] = False
    world.people_changed()
    world.state.departures[person] = competitor
    name = world.rules.names[person]
    if competitor is None:
        data["side"] = GONE
        remove_trust_in(world, person, "departure")
        text = f"{name} has left {world.scenario.supplier.name}."
    else:
        data["side"] = COMPETITOR
        data["employer"] = competitor
        rival = next(c.name for c in world.scenario.competitors if c.id == competitor)
        held = 0.0
        for source in world.pred[person]:
            value = world.graph.edges[source, person].get("trust", 0.0)
            held += nodes[source].get("influence", 0.0) * value
        world.state.attribution["departure"] -= held / world.graph.graph["total_influence"]
        text = (
            f"{name} has left to join {rival}. The customer's trust in {name} "
            f"now works for {rival}."
        )
    world.state.loyalty.team_changed()
    if announce:
        world.narrator.tell("departure", text, cause="departure", since=since)
        return []
    return [text.rstrip(".")]


def customer_leaves(world: World, person: str) -> list[str]:
    """Customer person `person` retires or moves on, and the trust they held goes with
    them: whoever takes their seat starts from nothing."""
    graph = world.graph
    data = world.nodes[person]
    if data["side"] != CUSTOMER:
        return []
    share = data["influence"] / (graph.graph["total_influence"] or 1.0)
    for target, edge in list(world.succ[person].items()):
        value = edge.pop("trust", None)
        if value:
            world.state.attribution["turnover"] -= share * value
        if not edge:
            graph.remove_edge(person, target)
    data["side"] = GONE
    data["met"] = False
    world.state.customer_departures.append(person)
    _customers_changed(world)
    return [f"{world.full_name(person)} has left {world.scenario.customer.name}"]


def customer_arrives(world: World, person: str) -> list[str]:
    """A customer person who was not there yet arrives, unmet."""
    data = world.nodes[person]
    if data["side"] != "absent":
        return []
    data["side"] = CUSTOMER
    data["met"] = False
    data["satisfaction"] = world.scenario.account.satisfaction_baseline
    _customers_changed(world)
    return [f"{world.full_name(person)} joins {world.scenario.customer.name}; you have not met yet"]


def _customers_changed(world: World) -> None:
    """Someone joined or left the customer: who counts, and how much, has changed."""
    nodes = world.nodes
    graph = world.graph
    graph.graph["total_influence"] = sum(
        nodes[p]["influence"] for p in world.rules.stakeholder_ids if nodes[p]["side"] == CUSTOMER
    )
    world.state.loyalty.team_changed()
    world.people_changed()
    world.shares_changed()


def arrive(world: World, person: str) -> list[str]:
    """A supplier person who was not yet active joins the team (or, for a customer
    person, arrives at the customer: see :func:`customer_arrives`)."""
    data = world.nodes[person]
    if data["side"] == "absent":
        return customer_arrives(world, person)
    if data["side"] != "supplier" or data["active"]:
        return []
    data["active"] = True
    world.people_changed()
    return [f"{world.full_name(person)} joins your team"]


def remove_trust_in(world: World, person: str, cause: str) -> None:
    """Drop every customer's trust in `person` (who has gone), crediting the loss."""
    graph = world.state.graph
    for source in list(world.pred[person]):
        edge = graph.edges[source, person]
        value = edge.pop("trust", None)
        if value:
            credit(world.state, source, -value, cause)
        if not edge:
            graph.remove_edge(source, person)
