"""What happens between turns: orders and deliveries, trust leaking and spreading,
satisfaction drifting, people resigning, competitors making offers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from game.engine.defection import Reason, defection_hazard
from game.engine.graph import COMPETITOR, trust
from game.engine.rng import Dice
from game.engine.state import DefectionRecord
from game.engine.text import percent
from game.engine.trust import change_trust, leak_all, raise_to
from game.engine.world import depart
from game.scenario.models import FIRM
from scoring.loyalty import personal_loyalty

if TYPE_CHECKING:
    from game.engine.game import Game


def end_of_turn(game: Game, rng: Dice) -> None:
    """Run every between-turn phase in a fixed order."""
    regular_order(game, rng)
    leak(game)
    spread(game)
    drift_satisfaction(game)
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
    value = account.order_value * share * (1.0 - state.discount)
    state.revenue += value
    state.sales += 1
    kept = rng.random() < state.reliability
    people = [p for p in game.rules.stakeholder_ids if game.is_current_customer(p)]
    dyn = game.dyn
    if kept:
        state.promises_kept += 1
        state.satisfaction = min(1.0, state.satisfaction + 0.03)
        for person in people:
            change_trust(state, dyn, person, FIRM, 0.02, "delivery", contact=False)
    else:
        state.promises_broken += 1
        state.satisfaction = max(0.0, state.satisfaction - 0.03 * dyn.loss_aversion)
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
            f"satisfaction {percent(state.satisfaction)}."
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
    """A trusted manager's endorsement lifts their reports' trust."""
    state = game.state
    graph = state.graph
    nodes = game.nodes
    rate = game.dyn.spread
    if not rate:
        return
    before = game.company_loyalty() if game.narrate else 0.0
    moves: list[tuple[str, str, float]] = []
    for person in game.rules.stakeholder_ids:
        data = nodes[person]
        if data["defected"]:
            continue
        boss = game.rules.managers.get(person)
        if boss is None or nodes[boss]["defected"]:
            continue
        for target, edge in game.succ[boss].items():
            value = edge.get("trust")
            if not value:
                continue
            side = nodes[target]["side"]
            if target != FIRM and (side != "supplier" or not data["met"]):
                continue
            own = trust(graph, person, target)
            if value - own > 0.01:
                moves.append((person, target, own + rate * (value - own)))
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


def drift_satisfaction(game: Game) -> None:
    """Satisfaction returns toward what the product and service are worth."""
    state = game.state
    baseline = game.scenario.account.satisfaction_baseline
    state.satisfaction += game.dyn.satisfaction_drift * (baseline - state.satisfaction)


def count_down_discount(game: Game) -> None:
    state = game.state
    if state.discount_turns:
        state.discount_turns -= 1
        if not state.discount_turns:
            state.discount = 0.0
            game.log("info", "Your discount has ended; prices are back to list.")


def churn(game: Game, rng: Dice) -> None:
    """Teammates may resign at their churn rate (the player's rep never does)."""
    nodes = game.nodes
    default = game.dyn.churn
    for person in game.scenario.supplier.people:
        rate = person.churn if person.churn is not None else default
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
        if data["defected"] or not data["influence"]:
            continue
        if rng.random() < rate:
            defect(game, person, None, "needs changed", rng)


def consider_offer(
    game: Game, competitor_id: str, rng: Dice, *, who: str | None, extra_discount: float
) -> list[str]:
    """A competitor's offer to one stakeholder; they may defect."""
    competitor = next(c for c in game.scenario.competitors if c.id == competitor_id)
    graph = game.state.graph
    nodes = game.nodes
    if who is None:
        pool = competitor.pitches or game.rules.stakeholder_ids
        candidates = [p for p in pool if game.is_current_customer(p) and nodes[p]["influence"] > 0]
        if not candidates:
            return []
        weights = [nodes[p]["influence"] for p in candidates]
        who = rng.choices(candidates, weights)[0]
    elif not game.is_current_customer(who):
        return []
    their_price = competitor.price * (1.0 - extra_discount)
    our_price = 1.0 - game.state.discount
    gap = (our_price - their_price) / our_price if our_price > 0 else 0.0
    # A cheaper but less reliable supplier is worth less than its price says.
    reliability_edge = max(0.0, game.state.reliability - competitor.reliability)
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
        loyalty=loyalty,
        pull=pull,
        price_gap=value_gap,
        satisfaction=game.state.satisfaction,
    )
    if rng.random() < hazard.chance:
        defect(game, who, competitor_id, hazard.reason, rng)
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


STATED = {
    "relationship": "the relationship had gone cold",
    "price": "the price was better",
    "needs changed": "their needs have changed",
}


def stated_reason(reason: Reason, rng: Dice) -> Reason:
    """What the defector tells you. Few admit a weak relationship (1 in 5, in the
    research); most name the price, some a change in needs."""
    if reason != "relationship" or rng.random() < 0.2:
        return reason
    return "price" if rng.random() < 0.75 else "needs changed"


def defect(game: Game, who: str, competitor_id: str | None, reason: Reason, rng: Dice) -> None:
    """Stakeholder `who` takes their business elsewhere; record why, and what they say."""
    state = game.state
    loyalty = personal_loyalty(state.graph, who)
    before = game.company_loyalty()
    game.mark_defected(who, competitor_id)
    stated = stated_reason(reason, rng)
    record = DefectionRecord(
        state.turn, who, competitor_id, reason, state.satisfaction, loyalty, stated
    )
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
            f"(satisfaction {percent(state.satisfaction)}, loyalty {percent(loyalty)})."
        )
    game.log("defection", text, cause="defection", loyalty_delta=lost)
