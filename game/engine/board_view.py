"""The board as a player sees it after a move, computed once and read by every widget.

A :class:`BoardView` is plain, immutable data: the headline metrics and their
history, the score so far, the customer's people in reporting-line order with
their trust in each of your people, the columns the relationship map shows, the
rep-walk test, the open choices and the event waiting for an answer. Front ends
get one from `Game.view()` after each move and never read the engine otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from game.engine.approaches import in_play, terms
from game.engine.choices import Choice
from game.engine.graph import ABSENT, COMPETITOR, CUSTOMER, GONE, SUPPLIER
from game.engine.open_choices import closed_moves
from game.engine.world import World
from game.scenario.models import FIRM
from scoring.facts import RunFacts
from scoring.loyalty import personal_loyalty, snapshot
from scoring.loyalty import proof as proof_now
from scoring.score import score_run

#: How the board marks someone who has left the customer (retired, moved on).
LEFT = "left"


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One of the customer's people, as the relationship map shows them."""

    id: str
    name: str
    role: str
    about: str
    depth: int
    """Steps down the reporting lines from the top."""
    influence: float
    met: bool
    gone: str | None
    """Who they left for (a competitor's name, 'elsewhere'), `LEFT` if they left the
    customer, None while they still buy from you."""
    loyalty: float
    satisfaction: float
    trust: Mapping[str, float]
    """Their trust in each of your people, your firm (`firm`) and competitors' people."""
    rival: float
    """Their strongest trust in a competitor's person."""
    introducers: tuple[str, ...]
    """Names of the people met who could introduce you, while they are not met."""
    intro_trust: float
    """The trust an introducer must have in one of your people to open the door."""
    cooling: frozenset[str] = frozenset()
    """Your people (and `firm`) whose trust from this person cools at the end of this
    turn unless someone gets in touch: no contact for the scenario's grace turns."""
    in_play: bool = False
    """Weighing a competitor's offer (see `BoardView.in_play`)."""


@dataclass(frozen=True, slots=True)
class InPlay:
    """Someone weighing a competitor's offer, and the terms as they stand now."""

    id: str
    name: str
    competitor: str
    """The competitor's name."""
    decides: int
    """The turn at whose end they decide."""
    chance: float
    """Their chance to leave if they decided now."""
    own_loyalty: float
    colleagues: float | None
    """Their colleagues' mean loyalty (None: no one else buys from you)."""
    price_gap: float
    """How much cheaper the offer is than your price (negative: dearer)."""
    satisfaction: float
    stay_at: float | None
    """The own loyalty at which they would surely stay (None: none would do)."""
    met: bool = True
    """False: they have never met you and weigh the offer on their colleagues' loyalty
    alone; meeting them lets their own trust count."""


@dataclass(frozen=True, slots=True)
class Column:
    """One of your people (or the firm) as a column of the relationship map."""

    id: str
    name: str
    player: bool


@dataclass(frozen=True, slots=True)
class PendingEvent:
    """An event waiting for the player's answer."""

    id: str
    title: str
    text: str
    answers: tuple[Choice, ...]


@dataclass(frozen=True, slots=True)
class BoardView:
    """Everything the main screen shows after one move."""

    turn: int
    turns: int
    turn_name: str
    date: dt.date
    time_left: float
    time_budget: float
    time_unit: str
    currency: str
    seed: int
    finished: bool
    metrics: Mapping[str, float]
    """The headline metrics now (`TIMELINE_METRICS`)."""
    timeline: tuple[Mapping[str, float], ...]
    """The metrics at the end of each finished turn, from turn 0."""
    score: int
    """The score of the game so far, out of 1000."""
    people: tuple[PersonRow, ...]
    """The customer's people along reporting lines (not those yet to arrive)."""
    columns: tuple[Column, ...]
    """Your player, the teammates someone trusts, then the firm."""
    weakest: tuple[str, float] | None
    """The person whose departure would cost most, and the share of loyalty that
    would stay if they left (None when there is no loyalty to lose)."""
    choices: tuple[Choice, ...]
    """Every move open now (an event's answers while one is pending)."""
    pending: PendingEvent | None
    names: Mapping[str, str]
    """Every person's name and role, by id."""
    in_play: tuple[InPlay, ...] = ()
    """The people weighing a competitor's offer, soonest to decide first."""
    provisional: float | None = None
    """The share of its people's loyalty the customer counts as company loyalty while it
    has not yet bought twice (None once it has: loyalty starts after the second sale)."""
    closed: tuple[tuple[Choice, str], ...] = ()
    """Moves that exist for people on both sides now but cannot be played this moment,
    each with why: listed in place, so every move keeps its key."""

    @property
    def started(self) -> bool:
        """Whether the player has spent any time yet (before it, the score means nothing:
        it is the customer as the scenario begins)."""
        return self.turn > 1 or self.time_left < self.time_budget or self.finished

    @property
    def concentration(self) -> float:
        return self.metrics["concentration"]

    def history(self, key: str) -> list[float]:
        """A metric at each finished turn, then now."""
        return [t[key] for t in self.timeline] + [self.metrics[key]]


def board_view(
    world: World, facts: RunFacts, choices: tuple[Choice, ...], *, seed: int
) -> BoardView:
    """The board of `world` now; `facts` are the run's facts for the score."""
    state = world.state
    scenario = world.scenario
    snap = snapshot(world.graph)
    metrics = {
        "company_loyalty": snap.company_loyalty,
        "resilience": snap.resilience,
        "concentration": snap.concentration,
        "satisfaction": world.satisfaction(),
        "revenue": state.revenue,
        "share": snap.share,
    }
    weakest = None
    if snap.without and snap.company_loyalty > 1e-9:
        person, without = min(snap.without.items(), key=lambda item: item[1])
        weakest = (world.name(person), without / snap.company_loyalty)
    pending = world.pending_event
    return BoardView(
        turn=state.turn,
        turns=scenario.turns,
        turn_name=scenario.calendar.turn_name,
        date=world.date(),
        time_left=state.time_left,
        time_budget=scenario.time_budget,
        time_unit=scenario.time_unit,
        currency=scenario.account.currency,
        seed=seed,
        finished=state.finished,
        metrics=metrics,
        timeline=tuple(state.timeline),
        score=score_run(facts).total,
        people=_people(world),
        columns=_columns(world),
        weakest=weakest,
        choices=choices,
        pending=None
        if pending is None
        else PendingEvent(
            pending.id,
            pending.title,
            world.fill(pending.text, None, pending.target),
            choices,
        ),
        names=world.rules.namer.full_names,
        in_play=_in_play(world),
        closed=closed_moves(world, choices),
        provisional=proof if (proof := proof_now(world.graph)) < 1.0 else None,
    )


def _in_play(world: World) -> tuple[InPlay, ...]:
    rows = []
    for offer in in_play(world):
        now = terms(world, offer)
        rows.append(
            InPlay(
                id=offer.who,
                name=world.nodes[offer.who]["name"],
                competitor=world.competitor(offer.competitor).name,
                decides=offer.decides,
                chance=now.chance,
                own_loyalty=now.own_loyalty,
                colleagues=now.colleagues,
                price_gap=now.price_gap,
                satisfaction=now.satisfaction,
                stay_at=now.stay_at,
                met=now.met,
            )
        )
    return tuple(rows)


def org_order(world: World) -> list[tuple[str, int]]:
    """The customer's people depth-first along reporting lines, with their depth."""
    children: dict[str | None, list[str]] = {}
    managers = world.rules.managers
    for person in world.rules.stakeholder_ids:
        children.setdefault(managers.get(person), []).append(person)
    order: list[tuple[str, int]] = []

    def visit(person: str, depth: int) -> None:
        order.append((person, depth))
        for child in children.get(person, []):
            visit(child, depth + 1)

    for root in children.get(None, []):
        visit(root, 0)
    return order


def _people(world: World) -> tuple[PersonRow, ...]:
    """A row for everyone at the customer (or who was), along reporting lines."""
    nodes = world.nodes
    about = {p.id: p.about for p in world.scenario.customer.people}
    rows = []
    for person, depth in org_order(world):
        data = nodes[person]
        if data["side"] == ABSENT:
            continue  # not at the customer yet
        trust = {t: e["trust"] for t, e in world.succ[person].items() if "trust" in e}
        rival = max((v for t, v in trust.items() if nodes[t]["side"] == COMPETITOR), default=0.0)
        buying = data["side"] == CUSTOMER and not data["defected"]
        rows.append(
            PersonRow(
                id=person,
                name=data["name"],
                role=data["role"],
                about=about.get(person, ""),
                depth=depth,
                influence=data["influence"],
                met=bool(data["met"]),
                gone=_gone(world, person),
                loyalty=personal_loyalty(world.graph, person),
                satisfaction=data["satisfaction"],
                trust=trust,
                rival=rival,
                introducers=() if data["met"] else _introducers(world, person),
                intro_trust=world.rules.intro_trust[person],
                cooling=_cooling(world, person) if buying else frozenset(),
                in_play=person in world.state.approaches,
            )
        )
    return tuple(rows)


def _gone(world: World, person: str) -> str | None:
    """Who `person` left for (a competitor's name), `LEFT`, or None while buying."""
    data = world.nodes[person]
    defected = data["defected"]
    if defected:
        return next((c.name for c in world.scenario.competitors if c.id == defected), defected)
    return LEFT if data["side"] == GONE else None


def _cooling(world: World, person: str) -> frozenset[str]:
    """Your people (and the firm) whose trust from `person` cools at the end of the turn."""
    nodes = world.nodes
    turn, grace, baseline = world.state.turn, world.dyn.contact_grace, world.dyn.baseline
    return frozenset(
        t
        for t, e in world.succ[person].items()
        if e.get("trust", 0.0) > baseline
        and turn - e["contact"] >= grace
        and (t == FIRM or nodes[t]["side"] == SUPPLIER)
    )


def _introducers(world: World, person: str) -> tuple[str, ...]:
    """Names of the people met who could introduce you to `person`."""
    nodes = world.nodes
    return tuple(
        nodes[i]["name"]
        for i in world.rules.introducers[person]
        if nodes[i]["met"] and not nodes[i]["defected"] and nodes[i]["side"] == CUSTOMER
    )


def _columns(world: World) -> tuple[Column, ...]:
    """The player, teammates someone trusts, then the firm: teammates nobody trusts
    yet stay out of the way until they matter."""
    nodes, succ = world.nodes, world.succ
    player = world.rules.player
    trusted = {
        t
        for p in world.rules.stakeholder_ids
        for t, e in succ[p].items()
        if e.get("trust", 0.0) >= 0.005
    }
    team = [
        p
        for p in world.rules.team_ids
        if nodes[p]["side"] == SUPPLIER and nodes[p]["active"] and (p == player or p in trusted)
    ]
    team.sort(key=lambda p: p != player)
    columns = [Column(p, nodes[p]["name"], p == player) for p in team]
    columns.append(Column(FIRM, "firm", False))
    return tuple(columns)
