"""Competitors' approaches: a stakeholder offered a deal is *in play* before deciding.

An offer never decides on the spot. The person approached weighs it for
`defection.window` turns: until the end of the turn `decides`, they are in
play, and everything the player does meanwhile counts: contact raises their
trust, a discount narrows the price gap, a colleague won back pulls them along.
At the end of that turn they decide on the terms as they stand then (see
:func:`terms`): the chance to leave is the hazard of `game.engine.defection`,
and one keyed die decides.

While in play, the engine's views show the terms they are weighing, what
would tip them (the loyalty at which they would very likely stay), and by when.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from game.engine.defection import Hazard, Reason, defection_hazard
from game.engine.graph import COMPETITOR, CUSTOMER
from game.engine.rng import Dice
from game.engine.state import Approach, DefectionRecord
from game.engine.text import percent
from game.engine.world import World
from scoring.loyalty import personal_loyalty


def threshold(doubt: float, draw: float) -> float:
    """The pressure past which a person leaves: a point between 0.5 − `doubt` and
    0.5 + `doubt`, set by a uniform `draw`."""
    return 0.5 + doubt * (2.0 * draw - 1.0)


def leave_chance(pressure: float, doubt: float) -> float:
    """The chance that `pressure` passes the threshold: 0 at 0.5 − `doubt` or below,
    1 at 0.5 + `doubt` or above, in proportion between."""
    if doubt <= 0:
        return 1.0 if pressure > 0.5 else 0.0
    return min(1.0, max(0.0, (pressure - 0.5 + doubt) / (2.0 * doubt)))


@dataclass(frozen=True, slots=True)
class Terms:
    """What a person in play is weighing now, and how it would come out."""

    who: str
    competitor: str
    since: int
    """The turn the offer was made."""
    decides: int
    """The turn at whose end they decide."""
    own_loyalty: float
    """Their own loyalty to you (trust in your people and your firm)."""
    colleagues: float | None
    """The average loyalty of their colleagues still buying from you (None: no one)."""
    loyalty: float
    """What they bring to the decision: their own loyalty blended with their colleagues'."""
    colleagues_weight: float
    """How much the colleagues' loyalty counts in `loyalty`."""
    satisfaction: float
    price_gap: float
    """How much cheaper the offer is than your price (negative: dearer)."""
    value_gap: float
    """The price gap less what your better reliability is worth."""
    pull: float
    """Their trust in the competitor's own people (a rep who moved there)."""
    met: bool
    """Whether they have met you: someone who has not knows you only from their
    colleagues, whose loyalty then decides for them (`colleagues_weight` is 1)."""
    hazard: Hazard
    """How hard each reason pushes them to leave; `hazard.chance` is the pressure."""
    doubt: float
    """How far chance sways the decision (`defection.doubt`)."""
    stay_at: float | None
    """The least own loyalty at which they would surely stay, all else as it is (None:
    no loyalty would do, for the price or their colleagues' pull outweighs it)."""

    @property
    def pressure(self) -> float:
        """How strongly the offer pulls them, 0..1: they leave when it passes a
        threshold between 0.5 − doubt and 0.5 + doubt, drawn once for the offer."""
        return self.hazard.chance

    @property
    def chance(self) -> float:
        """Their chance to leave if they decided now."""
        return leave_chance(self.hazard.chance, self.doubt)


def in_play(world: World) -> list[Approach]:
    """Everyone weighing an offer now, the soonest to decide first."""
    return sorted(
        (a for a in world.state.approaches.values() if can_be_approached(world, a.who)),
        key=lambda a: (a.decides, a.since, a.who),
    )


def can_be_approached(world: World, person: str) -> bool:
    """Anyone who is at the customer and still buying from you can be offered a deal,
    met or not: a rival does not wait for your introduction, and someone you have
    never met weighs its offer on what their colleagues say of you."""
    data = world.nodes[person]
    return data["side"] == CUSTOMER and not data["defected"]


def approach(
    world: World,
    competitor_id: str,
    dice: Dice,
    *,
    who: str | None,
    extra_discount: float,
    occasion: str = "offer",
) -> list[str]:
    """A competitor makes one stakeholder an offer: they are in play until they decide.

    With `who` None the competitor picks among the people it pitches to (in proportion
    to their influence), by a die keyed by the turn, the competitor and `occasion`.
    Someone already weighing an offer weighs the better of the two.
    """
    competitor = world.competitor(competitor_id)
    nodes = world.nodes
    if who is None:
        pool = competitor.pitches or world.rules.stakeholder_ids
        candidates = [p for p in pool if can_be_approached(world, p) and nodes[p]["influence"] > 0]
        if not candidates:
            return []
        weights = [nodes[p]["influence"] for p in candidates]
        who = dice.pick(candidates, weights, "approach", world.turn, competitor_id, occasion)
    elif not can_be_approached(world, who):
        return []
    state = world.state
    window = world.dyn.defection.window
    offer = Approach(who, competitor_id, world.turn, world.turn + window, extra_discount, occasion)
    current = state.approaches.get(who)
    if current is not None and offer_gap(world, current) >= offer_gap(world, offer):
        return world.narrator.phrase(
            lambda: f"{world.name(who)} is already weighing a better offer"
        )
    state.approaches[who] = offer
    if window == 0:
        return decide(world, offer, dice)

    def told() -> str:
        name = world.name(who)
        turn_name = world.scenario.calendar.turn_name.lower()
        when = (
            f"this {turn_name}" if offer.decides == world.turn else f"{turn_name} {offer.decides}"
        )
        now = terms(world, offer)
        return (
            f"{competitor.name} made {name} an offer ({price_words(now.price_gap)}). {name} "
            f"is weighing it and decides at the end of {when}: "
            f"{percent(now.chance)} likely to leave as things stand."
        )

    world.narrator.tell("offer", told, cause="offer")
    return world.narrator.phrase(lambda: f"{competitor.name} made {world.name(who)} an offer")


def offer_gap(world: World, offer: Approach) -> float:
    """How much cheaper than yours `offer` is, as a share of your price."""
    state = world.state
    competitor = world.competitor(offer.competitor)
    matched = state.rival_discount.get(offer.competitor, 0.0)
    their_price = competitor.price * (1.0 - matched) * (1.0 - offer.discount)
    our_price = 1.0 - state.discount
    return (our_price - their_price) / our_price if our_price > 0 else 0.0


def price_words(gap: float) -> str:
    """'12% below your price', 'no cheaper than you', '3% above your price'."""
    if gap > 0.005:
        return f"{percent(gap)} below your price"
    if gap > -0.005:
        return "no cheaper than you"
    return f"{percent(-gap)} above your price"


def terms(world: World, offer: Approach) -> Terms:
    """The terms `offer.who` weighs now: their loyalty and their colleagues', the price
    gap, their satisfaction and the competitor's pull, and the chance to leave."""
    who = offer.who
    nodes = world.nodes
    rules = world.dyn.defection
    competitor = world.competitor(offer.competitor)
    gap = offer_gap(world, offer)
    reliability_edge = max(0.0, world.state.reliability - competitor.reliability)
    value_gap = gap - rules.reliability * reliability_edge
    pull = max(
        (
            edge.get("trust", 0.0)
            for target, edge in world.succ[who].items()
            if nodes[target]["side"] == COMPETITOR
            and nodes[target].get("employer") == offer.competitor
        ),
        default=0.0,
    )
    own = personal_loyalty(world.graph, who)
    colleagues = colleagues_loyalty(world, who)
    met = bool(nodes[who]["met"])
    weight = 0.0 if colleagues is None else rules.colleagues if met else 1.0
    satisfaction = nodes[who]["satisfaction"]

    def hazard_at(own_loyalty: float) -> Hazard:
        blended = (1.0 - weight) * own_loyalty + weight * (colleagues or 0.0)
        return defection_hazard(
            rules,
            loyalty=blended,
            pull=pull,
            price_gap=value_gap,
            satisfaction=satisfaction,
            price_taught=world.state.price_taught,
        )

    hazard = hazard_at(own)
    return Terms(
        who=who,
        competitor=offer.competitor,
        since=offer.since,
        decides=offer.decides,
        own_loyalty=own,
        colleagues=colleagues,
        loyalty=(1.0 - weight) * own + weight * (colleagues or 0.0),
        colleagues_weight=weight,
        satisfaction=satisfaction,
        price_gap=gap,
        value_gap=value_gap,
        pull=pull,
        met=met,
        hazard=hazard,
        doubt=rules.doubt,
        stay_at=_stay_at(hazard_at, own, 0.5 - rules.doubt),
    )


def _stay_at(at: Callable[[float], Hazard], own: float, safe: float) -> float | None:
    """The least own loyalty at which the pressure is at most `safe`."""
    if at(own).chance <= safe:
        return own
    if at(1.0).chance > safe:
        return None
    low, high = own, 1.0
    for _ in range(20):
        middle = (low + high) / 2
        if at(middle).chance <= safe:
            high = middle
        else:
            low = middle
    return high


def colleagues_loyalty(world: World, who: str) -> float | None:
    """The average loyalty of `who`'s colleagues still buying from you: everyone at the
    customer has one voice, whatever their influence on the contract. Those who have
    left for a competitor have no say here (their pull is their trust in its people)."""
    nodes = world.nodes
    graph = world.graph
    voices = [
        personal_loyalty(graph, p)
        for p in world.rules.stakeholder_ids
        if p != who and nodes[p]["side"] == CUSTOMER and not nodes[p]["defected"]
    ]
    return sum(voices) / len(voices) if voices else None


def decide_due(world: World, dice: Dice) -> None:
    """Everyone whose time to decide has come decides, in a fixed order."""
    for offer in in_play(world):
        if offer.decides <= world.turn and offer.who in world.state.approaches:
            decide(world, offer, dice)


def decide(world: World, offer: Approach, dice: Dice) -> list[str]:
    """`offer.who` decides on the terms as they stand: leave, or turn the offer down."""
    world.state.approaches.pop(offer.who, None)
    if not can_be_approached(world, offer.who):
        return []
    now = terms(world, offer)
    key = ("decide", offer.since, offer.competitor, offer.who, offer.occasion)
    competitor = world.competitor(offer.competitor)
    if now.pressure > threshold(world.dyn.defection.doubt, dice.roll(*key)):
        reason = now.hazard.draw_reason(dice.roll("reason", *key))
        defect(world, offer.who, offer.competitor, reason, price_gap=now.price_gap, terms=now)
        return world.narrator.phrase(lambda: f"{competitor.name} won {world.name(offer.who)} over")

    def declined() -> str:
        name = world.name(offer.who)
        owner = competitor.name + ("'" if competitor.name.endswith("s") else "'s")
        return (
            f"{name} turned down {owner} offer ({price_words(now.price_gap)}) "
            f"and stays with you (loyalty {percent(now.own_loyalty)}, colleagues "
            f"{percent(now.colleagues or 0.0)})."
        )

    world.narrator.tell("offer", declined, cause="offer")
    return world.narrator.phrase(lambda: f"{world.name(offer.who)} turned down {competitor.name}")


STATED = {
    "relationship": "the relationship had gone cold",
    "price": "the price was better",
    "needs changed": "their needs have changed",
}


def stated_reason(world: World, who: str, reason: Reason, price_gap: float) -> Reason:
    """What the defector tells you, by a fixed rule: people are candid only with
    someone they still trust.

    A defector who left over the relationship says so only if they still trust one of
    your people at least `defection.candour` (someone you never met speaks through the
    colleague who trusts you most); otherwise they name the price when the
    offer was cheaper, and a change in their needs when it was not. Price and changed
    needs are named as they are.
    """
    if reason != "relationship":
        return reason
    candour = world.dyn.defection.candour
    nodes = world.nodes
    # someone you never met tells you nothing: you hear it through a colleague
    tellers = (
        [who]
        if nodes[who]["met"]
        else [
            p
            for p in world.rules.stakeholder_ids
            if p != who
            and nodes[p]["met"]
            and nodes[p]["side"] == CUSTOMER
            and not nodes[p]["defected"]
        ]
    )
    trusted = max(
        (
            edge.get("trust", 0.0)
            for teller in tellers
            for target, edge in world.succ[teller].items()
            if nodes[target]["side"] == "supplier"
        ),
        default=0.0,
    )
    if trusted >= candour:
        return "relationship"
    return "price" if price_gap > 0 else "needs changed"


def defect(
    world: World,
    who: str,
    competitor_id: str | None,
    reason: Reason,
    *,
    price_gap: float,
    terms: Terms | None = None,
) -> None:
    """Stakeholder `who` takes their business elsewhere; record why, what they say, and
    the terms they decided on (None when their needs changed)."""
    state = world.state
    loyalty = personal_loyalty(state.graph, who)
    satisfaction = world.nodes[who]["satisfaction"]
    before = world.company_loyalty()
    stated = stated_reason(world, who, reason, price_gap)
    met = bool(world.nodes[who]["met"])
    world.mark_defected(who, competitor_id)
    record = DefectionRecord(
        state.turn,
        who,
        competitor_id,
        reason,
        satisfaction,
        loyalty,
        stated,
        colleagues=None if terms is None else terms.colleagues,
        price_gap=price_gap,
        chance=None if terms is None else terms.chance,
        since=None if terms is None else terms.since,
        met=met,
    )
    state.defections.append(record)
    lost = world.company_loyalty() - before
    state.attribution["defection"] += lost
    world.narrator.tell(
        "defection", lambda: defection_text(world, record), cause="defection", since=before
    )


def defection_text(world: World, record: DefectionRecord) -> str:
    """How the event log tells a defection."""
    name = world.name(record.who)
    stated = STATED[record.stated]
    if record.competitor is None:
        return f"{name} no longer buys from you: {stated}."
    rival = world.competitor(record.competitor).name
    told = f"{name} moved their business to {rival}, saying {stated}."
    if record.chance is None:
        return told
    turn_name = world.scenario.calendar.turn_name.lower()
    colleagues = (
        "" if record.colleagues is None else f", their colleagues' {percent(record.colleagues)}"
    )
    unmet = "" if record.met else "; they had never met you and went by their colleagues"
    return (
        f"{told} Weighed since {turn_name} {record.since}{unmet}: the offer was "
        f"{price_words(record.price_gap)}; their loyalty {percent(record.loyalty)}{colleagues}; "
        f"satisfaction {percent(record.satisfaction)}; {percent(record.chance)} likely to leave."
    )
