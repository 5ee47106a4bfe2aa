"""What happens between turns: orders and deliveries, trust leaking and spreading,
satisfaction drifting, people resigning, competitors making offers."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from game.engine.defection import Reason, defection_hazard
from game.engine.graph import COMPETITOR, CUSTOMER, trust
from game.engine.rng import Dice
from game.engine.satisfaction import buying, change_satisfaction, drift_and_experience
from game.engine.state import DefectionRecord
from game.engine.text import percent
from game.engine.trust import change_trust, leak_all, raise_to
from game.engine.world import bill, depart
from game.scenario.models import FIRM
from scoring.loyalty import personal_loyalty

if TYPE_CHECKING:
    from game.engine.game import Game


def end_of_turn(game: Game, rng: Dice) -> None:
    """Run every between-turn phase in a fixed order."""
    regular_order(game, rng)
    leak(game)
    spread(game)
    drift_satisfaction(game, rng)
    competitors_answer(game, rng)
    count_down_discount(game)
    churn(game, rng)
    offers(game, rng)
    needs_change(game, rng)


def regular_order(game: Game, rng: Dice) -> None:
    """Every `orders_every` turns the customer orders; the delivery is a promise."""
    account = game.scenario.account
    if not account.orders_every or game.state.turn % account.orders_every:
        return
    state = game.state
    state.potential_revenue += account.order_value
    share = game.share()
    if share <= 0:
        return
    before = game.company_loyalty() if game.narrate else 0.0
    value = bill(game, account.order_value * share)
    state.sales += 1
    kept = rng.random() < state.reliability
    nodes = game.nodes
    people = buying(nodes, game.rules.stakeholder_ids)
    dyn = game.dyn
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
        player = game.rules.player
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
    if not game.narrate:
        return
    if kept:
        text = f"Order delivered in full and on time ({game.money(value)})."
    else:
        text = (
            f"Order delivered late ({game.money(value)}): trust in your company fell, "
            f"satisfaction {percent(game.satisfaction())}."
        )
    game.log(
        "delivery",
        text,
        cause="delivery" if kept else "late delivery",
        loyalty_delta=game.company_loyalty() - before,
    )


def leak(game: Game) -> None:
    """Idle relationships cool toward the baseline."""
    if not game.narrate:
        leak_all(game.state, game.dyn)
        return
    before = game.company_loyalty()
    losses = leak_all(game.state, game.dyn)
    delta = game.company_loyalty() - before
    if losses and delta <= -0.0005:
        worst = sorted(losses, key=lambda p: -losses[p])[:3]
        names = _names(game, worst, len(losses))
        game.log(
            "leak",
            f"Without contact this turn, trust cooled: {names}.",
            cause="leak",
            loyalty_delta=delta,
        )


def spread(game: Game) -> None:
    """A trusted manager's endorsement lifts their reports' trust, but only up to
    `endorsement_cap`: vouching earns you a hearing; only contact earns more."""
    state = game.state
    graph = state.graph
    nodes = game.nodes
    rate = game.dyn.spread
    cap = game.dyn.endorsement_cap
    if not rate:
        return
    before = game.company_loyalty() if game.narrate else 0.0
    moves: list[tuple[str, str, float]] = []
    for person in game.rules.stakeholder_ids:
        data = nodes[person]
        if data["defected"] or data["side"] != CUSTOMER:
            continue
        boss = game.rules.managers.get(person)
        if boss is None or nodes[boss]["defected"] or nodes[boss]["side"] != CUSTOMER:
            continue
        for target, edge in game.succ[boss].items():
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
    if not game.narrate:
        return
    delta = game.company_loyalty() - before
    if delta >= 0.0005:
        lifted = list(dict.fromkeys(person for person, _t, _v in moves))
        game.log(
            "endorsement",
            f"Managers who trust you vouched for you to {_names(game, lifted[:3], len(lifted))}.",
            cause="endorsement",
            loyalty_delta=delta,
        )


def _names(game: Game, people: list[str], total: int) -> str:
    """'Rosa, Amir and 2 others'."""
    names = [game.nodes[p]["name"].split()[0] for p in people]
    if total > len(names):
        names.append(f"{total - len(names)} other{'s' if total - len(names) > 1 else ''}")
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def drift_satisfaction(game: Game, rng: Dice) -> None:
    """Each person's satisfaction returns toward what the product and service are worth,
    and moves with their everyday experience of them."""
    dyn = game.dyn
    drift_and_experience(
        game.nodes,
        game.rules.stakeholder_ids,
        baseline=game.scenario.account.satisfaction_baseline,
        drift=dyn.satisfaction_drift,
        experience=dyn.experience,
        rng=rng,
    )


def competitors_answer(game: Game, rng: Dice) -> None:
    """A competitor may match your discount with a cut of its own, so a price edge fades."""
    state = game.state
    if not state.discount:
        return
    for competitor in game.scenario.competitors:
        matched = state.rival_discount.get(competitor.id, 0.0)
        if matched >= state.discount or not competitor.price_match:
            continue
        if rng.random() < competitor.price_match:
            state.rival_discount[competitor.id] = state.discount
            if game.narrate:
                game.log(
                    "info",
                    f"{competitor.name} has matched your {percent(state.discount)} discount "
                    "with one of its own.",
                    cause="discount",
                )


def count_down_discount(game: Game) -> None:
    state = game.state
    if state.discount_turns:
        state.discount_turns -= 1
        if not state.discount_turns:
            state.discount = 0.0
            state.rival_discount.clear()
            game.log("info", "Your discount has ended; prices are back to list, and so are theirs.")


def per_turn(yearly: float, days_per_turn: int) -> float:
    """The chance per turn that matches a chance per year: 1 − (1 − yearly)^(days / 365)."""
    if yearly >= 1.0:
        return 1.0
    return 1.0 - math.exp(math.log1p(-yearly) * days_per_turn / 365.0)


def churn_rate(game: Game, yearly: float | None, per_turn_rate: float | None) -> float | None:
    """A person's chance to resign this turn, from a yearly or a per-turn rate."""
    if yearly is not None:
        return per_turn(yearly, game.scenario.calendar.days_per_turn)
    return per_turn_rate


def churn(game: Game, rng: Dice) -> None:
    """Teammates may resign at their churn rate (the player's rep never does)."""
    nodes = game.nodes
    dyn = game.dyn
    default = churn_rate(game, dyn.churn_per_year, dyn.churn) or 0.0
    for person in game.scenario.supplier.people:
        rate = churn_rate(game, person.churn_per_year, person.churn)
        rate = default if rate is None else rate
        data = nodes[person.id]
        if person.player or not rate or data["side"] != "supplier" or not data["active"]:
            continue
        if rng.random() < rate:
            depart(game, person.id, None, announce=True)


def offers(game: Game, rng: Dice) -> None:
    """Each competitor may approach a stakeholder with an offer."""
    for competitor in game.scenario.competitors:
        if rng.random() < competitor.offer_chance and game.turn >= competitor.from_turn:
            consider_offer(game, competitor.id, rng, who=None, extra_discount=0.0)


def needs_change(game: Game, rng: Dice) -> None:
    """Now and then a stakeholder's needs change and they stop buying from you."""
    rate = game.dyn.defection.needs_change
    if not rate:
        return
    for person in game.rules.stakeholder_ids:
        data = game.nodes[person]
        if not can_defect(game, person) or not data["influence"]:
            continue
        if rng.random() < rate:
            defect(game, person, None, "needs changed", price_gap=0.0)


def can_defect(game: Game, person: str) -> bool:
    """Only someone who is there, still buying and has met you can take their business
    elsewhere: people you have never met buy through those you have."""
    data = game.nodes[person]
    return data["side"] == CUSTOMER and not data["defected"] and bool(data["met"])


def consider_offer(
    game: Game, competitor_id: str, rng: Dice, *, who: str | None, extra_discount: float
) -> list[str]:
    """A competitor's offer to one stakeholder; they may defect."""
    competitor = next(c for c in game.scenario.competitors if c.id == competitor_id)
    graph = game.state.graph
    nodes = game.nodes
    if who is None:
        pool = competitor.pitches or game.rules.stakeholder_ids
        candidates = [p for p in pool if can_defect(game, p) and nodes[p]["influence"] > 0]
        if not candidates:
            return []
        weights = [nodes[p]["influence"] for p in candidates]
        who = rng.choices(candidates, weights)[0]
    elif not can_defect(game, who):
        return []
    state = game.state
    matched = state.rival_discount.get(competitor_id, 0.0)
    their_price = competitor.price * (1.0 - matched) * (1.0 - extra_discount)
    our_price = 1.0 - state.discount
    gap = (our_price - their_price) / our_price if our_price > 0 else 0.0
    # A cheaper but less reliable supplier is worth a little less than its price says.
    reliability_edge = max(0.0, state.reliability - competitor.reliability)
    value_gap = gap - game.dyn.defection.reliability * reliability_edge
    pull = max(
        (
            edge.get("trust", 0.0)
            for target, edge in game.succ[who].items()
            if nodes[target]["side"] == COMPETITOR
            and nodes[target].get("employer") == competitor_id
        ),
        default=0.0,
    )
    loyalty = personal_loyalty(graph, who)
    hazard = defection_hazard(
        game.dyn.defection,
        loyalty=buying_centre_loyalty(game, who, loyalty),
        pull=pull,
        price_gap=value_gap,
        satisfaction=nodes[who]["satisfaction"],
        price_taught=state.price_taught,
    )
    if rng.random() < hazard.chance:
        defect(game, who, competitor_id, hazard.draw_reason(rng.random()), price_gap=gap)
        return [f"{competitor.name} won {game.name(who)} over"] if game.narrate else []
    if not game.narrate:
        return []
    name = game.name(who)
    price_words = (
        f"{percent(gap)} below your price"
        if gap > 0.005
        else "no cheaper than you"
        if gap > -0.005
        else f"{percent(-gap)} above your price"
    )
    game.log(
        "offer",
        f"{competitor.name} made {name} an offer ({price_words}); {name} stayed with "
        f"you (loyalty {percent(loyalty)}).",
        cause="offer",
    )
    return [f"{name} turned down {competitor.name}"]


def buying_centre_loyalty(game: Game, who: str, own: float) -> float:
    """The loyalty `who` brings to an offer: their own, blended with what their
    colleagues say (`defection.colleagues`). Everyone at the customer has one voice,
    whatever their influence on the contract: one who has left for a competitor
    speaks for it, one who has never met you has no reason of their own to stay.
    Nobody decides alone, and neglected colleagues expose your best contacts."""
    weight = game.dyn.defection.colleagues
    if not weight:
        return own
    nodes = game.nodes
    graph = game.graph
    voices = [
        personal_loyalty(graph, p)
        for p in game.rules.stakeholder_ids
        if p != who and nodes[p]["side"] == CUSTOMER and not nodes[p]["defected"]
    ]
    if not voices:
        return own
    return (1.0 - weight) * own + weight * sum(voices) / len(voices)


STATED = {
    "relationship": "the relationship had gone cold",
    "price": "the price was better",
    "needs changed": "their needs have changed",
}


def stated_reason(game: Game, who: str, reason: Reason, price_gap: float) -> Reason:
    """What the defector tells you, by a fixed rule: people are candid only with
    someone they still trust.

    A defector who left over the relationship says so only if they still trust one of
    your people at least `defection.candour`; otherwise they name the price when the
    offer was cheaper, and a change in their needs when it was not. Price and changed
    needs are named as they are.
    """
    if reason != "relationship":
        return reason
    candour = game.dyn.defection.candour
    nodes = game.nodes
    trusted = max(
        (
            edge.get("trust", 0.0)
            for target, edge in game.succ[who].items()
            if nodes[target]["side"] == "supplier"
        ),
        default=0.0,
    )
    if trusted >= candour:
        return "relationship"
    return "price" if price_gap > 0 else "needs changed"


def defect(
    game: Game, who: str, competitor_id: str | None, reason: Reason, *, price_gap: float
) -> None:
    """Stakeholder `who` takes their business elsewhere; record why, and what they say."""
    state = game.state
    loyalty = personal_loyalty(state.graph, who)
    satisfaction = game.nodes[who]["satisfaction"]
    before = game.company_loyalty()
    stated = stated_reason(game, who, reason, price_gap)
    game.mark_defected(who, competitor_id)
    record = DefectionRecord(state.turn, who, competitor_id, reason, satisfaction, loyalty, stated)
    state.defections.append(record)
    lost = game.company_loyalty() - before
    state.attribution["defection"] += lost
    if not game.narrate:
        return
    name = game.name(who)
    if competitor_id is None:
        text = f"{name} no longer buys from you: {STATED[stated]}."
    else:
        rival = next(c.name for c in game.scenario.competitors if c.id == competitor_id)
        text = (
            f"{name} moved their business to {rival}, saying {STATED[stated]} "
            f"(satisfaction {percent(satisfaction)}, loyalty {percent(loyalty)})."
        )
    game.log("defection", text, cause="defection", loyalty_delta=lost)
