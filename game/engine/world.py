"""The world of one game: all its mutable state, and the one thing rule modules receive.

A :class:`World` holds the scenario's compiled rules, the trust graph and the
game's :class:`~game.engine.state.GameState`, the caches of what is open now, the
random streams, and the narrator. The rule modules (`moves`, `turns`, `effects`,
`dynamics`, `changes`, `open_choices`, `condition_values`) change a world; none of
them knows the :class:`~game.engine.game.Game` facade, and this module imports none
of them.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import networkx as nx

from game.engine.choices import Choice
from game.engine.copying import copy_state
from game.engine.graph import CUSTOMER, build_graph, tables
from game.engine.loyalty_cache import LoyaltyCache
from game.engine.narrator import Narrator, SilentNarrator
from game.engine.rng import Dice, derived_seed
from game.engine.rules import ActionRule, Rules, rules_for
from game.engine.satisfaction import account_satisfaction
from game.engine.state import GameState
from game.scenario.models import Competitor, Dynamics, Event, Scenario
from scoring import loyalty as metrics

#: The roster of this turn's open action choices (see `open_choices`).
Roster = list[tuple[ActionRule, list[Choice]]]


class Reachable(NamedTuple):
    """An action's choices whose actor and target are available, grouped by use key
    (action, target) in the scenario's order (see `open_choices`)."""

    rule: ActionRule
    groups: list[tuple[tuple[str, str | None], list[Choice]]]
    choices: list[Choice]


class World:
    """Everything that changes in one game, and what the rules need to change it."""

    __slots__ = (
        "_share",
        "choices",
        "dice",
        "dyn",
        "graph",
        "narrator",
        "nodes",
        "pred",
        "reachable",
        "roster",
        "rules",
        "scenario",
        "state",
        "stream_key",
        "succ",
    )

    def __init__(self, scenario: Scenario, *, stream_key: str, narrate: bool) -> None:
        self.scenario = scenario
        self.rules: Rules = rules_for(scenario)
        self.dyn: Dynamics = scenario.dynamics
        graph = build_graph(scenario)
        state = GameState(
            graph=graph,
            loyalty=LoyaltyCache(graph),
            reliability=scenario.supplier.reliability,
            sales=scenario.account.sales_before,
        )
        self._adopt(state, narrate)
        # What every random stream is seeded from: the seed, or the seed and a fork's salt.
        self.stream_key = stream_key
        self.choices: tuple[Choice, ...] | None = None
        """Everything open now; None when it must be listed again (after every move)."""
        self.roster: Roster | None = None
        """This turn's open action choices; None when they must be rebuilt."""
        self.reachable: list[Reachable] | None = None
        """The action choices whose actor and target are available; None when someone
        was met, left, joined or defected."""
        self._share: float | None = None
        self.dice = Dice(stream_key)

    def _adopt(self, state: GameState, narrate: bool) -> None:
        """Make `state` this world's, with a narrator that does or does not listen."""
        self.state = state
        self.graph: nx.DiGraph = state.graph
        self.nodes, self.succ, self.pred = tables(state.graph)
        state.nodes, state.succ = self.nodes, self.succ
        self.narrator = (Narrator if narrate else SilentNarrator)(state, self.rules.namer)

    def fork(self, salt: str | int, *, narrate: bool) -> World:
        """An independent copy of this world whose future dice come from `salt`."""
        fork = self.replica(narrate=narrate)
        fork.stream_key = f"fork:{derived_seed(self.stream_key, salt):x}"
        fork.dice = Dice(fork.stream_key)
        return fork

    def replica(self, *, narrate: bool) -> World:
        """An independent copy of this world with the same future dice."""
        fork = World.__new__(World)
        fork.scenario, fork.rules, fork.dyn = self.scenario, self.rules, self.dyn
        fork._adopt(copy_state(self.state), narrate)
        # The caches of choices are never changed in place (see open_choices): the
        # fork can start from them, and offers exactly what this world offers now.
        fork.choices = self.choices
        fork.roster = None if self.roster is None else list(self.roster)
        fork.reachable = self.reachable
        fork._share = self._share
        fork.stream_key = self.stream_key
        fork.dice = Dice(fork.stream_key)
        return fork

    # ------------------------------------------------------------------ reading

    @property
    def turn(self) -> int:
        return self.state.turn

    @property
    def pending_event(self) -> Event | None:
        """The event waiting for the player's answer, if any."""
        pending = self.state.pending
        return self.rules.events[pending[0]].event if pending else None

    def company_loyalty(self) -> float:
        """Company loyalty now (kept incrementally; equal to `scoring.loyalty`'s)."""
        return self.state.loyalty.company()

    def share(self) -> float:
        """Share of the customer's business still with you (changes only on defections)."""
        if self._share is None:
            self._share = metrics.share_of_business(self.graph)
        return self._share

    def satisfaction(self) -> float:
        """The account's satisfaction: the influence-weighted mean of the people still buying."""
        return account_satisfaction(self.nodes, self.rules.stakeholder_ids)

    def metrics(self) -> dict[str, float]:
        """The headline metrics now."""
        snap = metrics.snapshot(self.graph)
        return {
            "company_loyalty": snap.company_loyalty,
            "resilience": snap.resilience,
            "concentration": snap.concentration,
            "satisfaction": self.satisfaction(),
            "revenue": self.state.revenue,
            "share": snap.share,
        }

    def is_current_customer(self, person: str) -> bool:
        data = self.nodes[person]
        return bool(data["side"] == CUSTOMER and not data["defected"])

    def date(self, turn: int | None = None) -> dt.date:
        """The calendar date a turn starts on."""
        cal = self.scenario.calendar
        return cal.start + dt.timedelta(days=cal.days_per_turn * ((turn or self.turn) - 1))

    def competitor(self, competitor_id: str) -> Competitor:
        """The scenario's competitor with this id."""
        return next(c for c in self.scenario.competitors if c.id == competitor_id)

    def name(self, node: str) -> str:
        """How the game names a person: 'you' for the player's rep."""
        return self.rules.namer.name(node)

    def full_name(self, node: str) -> str:
        """A person's name and role."""
        return self.rules.namer.full_name(node)

    def fill(self, template: str, actor: str | None, target: str | None) -> str:
        """Scenario text with {actor}, {target}, {customer}, {supplier} filled in."""
        return self.rules.fill(template, actor, target)

    def money(self, value: float) -> str:
        return f"{self.scenario.account.currency}{value:,.0f}"

    def event_actor(self, event: Event) -> str:
        """Who acts in an event: the player's rep for `player`."""
        return self.rules.player if event.actor == "player" else event.actor

    # ------------------------------------------------------------------ changing

    def spend(self, cost: float, actor: str | None = None) -> None:
        """Take `cost` off this turn's time (in a team game, off the time of the seat that
        plays `actor`)."""
        state = self.state
        if state.seats:
            seat = self.seat_of(actor)
            state.hours[seat] = max(0.0, state.hours[seat] - cost)
            state.time_left = sum(state.hours)
        else:
            state.time_left = max(0.0, state.time_left - cost)

    def seat_of(self, actor: str | None) -> int:
        """In a team game, the seat that plays `actor` (the lead's, 0, for anyone else)."""
        seats = self.state.seats
        return seats.index(actor) if actor in seats else 0

    def hours_of(self, actor: str | None) -> float:
        """The time left to the seat that plays `actor` (the turn's time, for one player)."""
        state = self.state
        return state.hours[self.seat_of(actor)] if state.seats else state.time_left

    def moved(self) -> None:
        """The state changed: what is open must be listed again."""
        self.choices = None

    def people_changed(self) -> None:
        """Someone was met, left, joined or defected: rebuild the roster of moves."""
        self.roster = None
        self.reachable = None

    def shares_changed(self) -> None:
        """Someone joined or left the customer: recount the share of business."""
        self._share = None

    def mark_defected(self, person: str, competitor: str | None) -> None:
        """Record that customer person `person` has taken their business elsewhere."""
        data = self.nodes[person]
        if data["defected"]:
            return
        data["defected"] = competitor or "elsewhere"
        self.state.loyalty.mark(person)
        self._share = None
        self.people_changed()
