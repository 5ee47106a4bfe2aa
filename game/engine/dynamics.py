"""What happens between turns: orders and deliveries, trust leaking and spreading,
satisfaction drifting, people resigning, people in play deciding, competitors making
offers."""

from __future__ import annotations

import math

from game.common.names import first_name
from game.engine.approaches import approach, can_be_approached, decide_due, defect
from game.engine.changes import bill, count_sale, depart
from game.engine.contract import review_contract
from game.engine.graph import CUSTOMER, trust
from game.engine.rng import Dice
from game.engine.satisfaction import buying, change_satisfaction, drift_and_experience
from game.engine.text import percent
from game.engine.trust import Cooled, change_trust, leak_all, raise_to
from game.engine.world import World
from game.scenario.models import FIRM


def end_of_turn(world: World, rng: Dice) -> None:
    """Run every between-turn phase in a fixed order."""
    regular_order(world, rng)
    leak(world)
    spread(world)
    drift_satisfaction(world, rng)
    competitors_answer(world, rng)
    count_down_discount(world)
    churn(world, rng)
    decide_due(world, rng)
    review_contract(world, rng)
    offers(world, rng)
    needs_change(world, rng)


def regular_order(world: World, rng: Dice) -> None:
    """Every `orders_every` turns the customer orders; the delivery is a promise."""
    account = world.scenario.account
    if not account.orders_every or world.state.turn % account.orders_every:
        return
    state = world.state
    state.potential_revenue += account.order_value
    share = world.share()
    if share <= 0:
        return
    since = world.narrator.mark()
    value = bill(world, account.order_value * share)
    milestone = count_sale(world)
    kept = rng.roll("delivery", state.turn) < state.reliability
    nodes = world.nodes
    people = buying(nodes, world.rules.stakeholder_ids)
    dyn = world.dyn
    if kept:
        state.promises_kept += 1
        for person in people:
            change_satisfaction(nodes[person], 0.03)
            change_trust(state, dyn, person, FIRM, 0.02, "delivery", contact=False)
    else:
        state.promises_broken += 1
        for person in people:
            change_satisfaction(nodes[person], -0.03 * dyn.loss_aversion)
        for person in people:
            change_trust(
                state, dyn, person, FIRM, -0.02 * dyn.loss_aversion, "late delivery", contact=False
            )
        player = world.rules.player
        for person in people:
            if trust(state.graph, person, player) > 0:
                change_trust(
                    state,
                    dyn,
                    person,
                    player,
                    -0.02 * dyn.loss_aversion,
                    "late delivery",
                    contact=False,
                )

    def told() -> str:
        after = f" The {milestone}" if milestone else ""
        if kept:
            return f"Order delivered in full and on time ({world.money(value)}).{after}"
        return (
            f"Order delivered late ({world.money(value)}): trust in your company fell, "
            f"satisfaction {percent(world.satisfaction())}.{after}"
        )

    cause = "delivery" if kept else "late delivery"
    world.narrator.tell("delivery", told, cause=cause, since=since)


def leak(world: World) -> None:
    """Idle relationships cool toward the baseline."""
    since = world.narrator.mark()
    pairs: list[Cooled] | None = [] if world.narrator.listening else None
    losses = leak_all(world.state, world.dyn, pairs)
    if not losses:
        return

    def cooled() -> str:
        return cooled_text(world, pairs or [])

    world.narrator.tell("leak", cooled, cause="leak", since=since, min_change=0.0005)


#: How many cooled relationships the log names; the rest are counted.
COOLED_NAMED = 3


def cooled_text(world: World, pairs: list[Cooled]) -> str:
    """'Trust cooled where no one kept in touch: Rosa's trust in Marta (no contact
    since fortnight 3), Tom's trust in the firm (no contact yet) and 2 more.'"""
    worst = sorted(pairs, key=lambda c: -c.weighted)[:COOLED_NAMED]
    turn_name = world.scenario.calendar.turn_name.lower()
    parts = []
    for c in worst:
        person = first_name(world.nodes[c.person]["name"])
        if c.target == FIRM:
            whom = "the firm"
        elif c.target == world.rules.namer.player:
            whom = "you"
        else:
            whom = first_name(world.nodes[c.target]["name"])
        when = f"no contact since {turn_name} {c.since}" if c.since else "no contact yet"
        parts.append(f"{person}'s trust in {whom} ({when})")
    rest = len(pairs) - len(worst)
    if rest:
        parts.append(f"{rest} more")
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"Trust cooled where no one kept in touch: {listed}."


def spread(world: World) -> None:
    """A trusted manager's endorsement lifts their reports' trust, but only up to
    `endorsement_cap`: vouching earns you a hearing; only contact earns more."""
    state = world.state
    graph = state.graph
    nodes = world.nodes
    rate = world.dyn.spread
    cap = world.dyn.endorsement_cap
    if not rate:
        return
    since = world.narrator.mark()
    moves: list[tuple[str, str, float]] = []
    for person in world.rules.stakeholder_ids:
        data = nodes[person]
        if data["defected"] or data["side"] != CUSTOMER:
            continue
        boss = world.rules.managers.get(person)
        if boss is None or nodes[boss]["defected"] or nodes[boss]["side"] != CUSTOMER:
            continue
        for target, edge in world.succ[boss].items():
            value = edge.get("trust")
            if not value:
                continue
            side = nodes[target]["side"]
            if target != FIRM and (side != "supplier" or not data["met"]):
                continue
            own = trust(graph, person, target)
            goal = min(value, cap)
            if goal - own > 0.01:
                moves.append((person, target, own + rate * (goal - own)))
    for person, target, value in moves:
        raise_to(state, person, target, value, "endorsement", contact=False)
    if not moves:
        return

    def vouched() -> str:
        lifted = list(dict.fromkeys(person for person, _t, _v in moves))
        return (
            f"Managers who trust you vouched for you to {_names(world, lifted[:3], len(lifted))}."
        )

    world.narrator.tell("endorsement", vouched, cause="endorsement", since=since, min_change=0.0005)


def _names(world: World, people: list[str], total: int) -> str:
    """'Rosa, Amir and 2 others'."""
    names = [first_name(world.nodes[p]["name"]) for p in people]
    if total > len(names):
        names.append(f"{total - len(names)} other{'s' if total - len(names) > 1 else ''}")
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def drift_satisfaction(world: World, rng: Dice) -> None:
    """Each person's satisfaction returns toward what the product and service are worth,
    and moves with their everyday experience of them."""
    dyn = world.dyn
    drift_and_experience(
        world.nodes,
        world.rules.stakeholder_ids,
        baseline=world.scenario.account.satisfaction_baseline,
        drift=dyn.satisfaction_drift,
        experience=dyn.experience,
        rng=rng,
        turn=world.turn,
    )


def competitors_answer(world: World, rng: Dice) -> None:
    """A competitor may match your discount with a cut of its own, so a price edge fades."""
    state = world.state
    if not state.discount:
        return
    for competitor in world.scenario.competitors:
        matched = state.rival_discount.get(competitor.id, 0.0)
        if matched >= state.discount or not competitor.price_match:
            continue
        if rng.roll("match", state.turn, competitor.id) < competitor.price_match:
            state.rival_discount[competitor.id] = state.discount
            world.narrator.tell(
                "info",
                f"{competitor.name} has matched your {percent(state.discount)} discount "
                "with one of its own.",
                cause="discount",
            )


def count_down_discount(world: World) -> None:
    state = world.state
    if state.discount_turns:
        state.discount_turns -= 1
        if not state.discount_turns:
            anchoring = world.dyn.defection.anchoring
            state.anchor = 1.0 - (1.0 - state.anchor) * (1.0 - anchoring * state.discount)
            state.discount = 0.0
            state.rival_discount.clear()
            world.narrator.tell(
                "info",
                "Your discount has ended, and so have the rivals' matches; "
                f"{world.scenario.customer.name} now expects {percent(state.anchor)} "
                "off every order."
                if state.anchor >= 0.005
                else "Your discount has ended; prices are back to list, and so are theirs.",
            )


def per_turn(yearly: float, days_per_turn: int) -> float:
    """The chance per turn that matches a chance per year: 1 − (1 − yearly)^(days / 365)."""
    if yearly >= 1.0:
        return 1.0
    return 1.0 - math.exp(math.log1p(-yearly) * days_per_turn / 365.0)


def churn_rate(world: World, yearly: float | None, per_turn_rate: float | None) -> float | None:
    """A person's chance to resign this turn, from a yearly or a per-turn rate."""
    if yearly is not None:
        return per_turn(yearly, world.scenario.calendar.days_per_turn)
    return per_turn_rate


def churn(world: World, rng: Dice) -> None:
    """Teammates may resign at their churn rate (the player's rep never does)."""
    nodes = world.nodes
    dyn = world.dyn
    default = churn_rate(world, dyn.churn_per_year, dyn.churn) or 0.0
    for person in world.scenario.supplier.people:
        rate = churn_rate(world, person.churn_per_year, person.churn)
        rate = default if rate is None else rate
        data = nodes[person.id]
        if person.player or not rate or data["side"] != "supplier" or not data["active"]:
            continue
        if rng.roll("churn", world.turn, person.id) < rate:
            depart(world, person.id, None, announce=True)


def offers(world: World, rng: Dice) -> None:
    """Each competitor may approach a stakeholder with an offer: more often once the
    customer has been taught to buy on price, for it asks for quotes."""
    shopping = 1.0 + world.dyn.defection.shopping * world.state.price_taught
    for competitor in world.scenario.competitors:
        if world.turn < competitor.from_turn:
            continue
        if rng.roll("offer", world.turn, competitor.id) < competitor.offer_chance * shopping:
            approach(world, competitor.id, rng, who=None, extra_discount=0.0)


def needs_change(world: World, rng: Dice) -> None:
    """Now and then a stakeholder's needs change and they stop buying from you."""
    rate = world.dyn.defection.needs_change
    if not rate:
        return
    for person in world.rules.stakeholder_ids:
        data = world.nodes[person]
        if not can_be_approached(world, person) or not data["met"] or not data["influence"]:
            continue  # people you have never met buy through those you have
        if rng.roll("needs", world.turn, person) < rate:
            defect(world, person, None, "needs changed", price_gap=0.0)
