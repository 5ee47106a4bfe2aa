"""The game: one pure state machine over a scenario, a seed and a list of choices.

Like a Gymnasium environment, a :class:`Game` owns its random generators and
changes only through :meth:`Game.step`. The Textual app, the command line and
the bots all drive it through this class; none of them holds game rules.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

import networkx as nx

from game.engine import dynamics
from game.engine.choices import (
    END,
    Choice,
    InvalidChoice,
    event_choice_id,
    intro_choice_id,
)
from game.engine.effects import Scope, remove_trust_in, run_effects
from game.engine.graph import COMPETITOR, CUSTOMER, GONE, build_graph, tables, trust
from game.engine.loyalty_cache import LoyaltyCache
from game.engine.rng import Dice, LazyRandom
from game.engine.rules import ActionRule, Candidate, Rules, rules_for
from game.engine.runlog import RunLog
from game.engine.state import GameState, LogEntry, LogKind
from game.engine.text import fill, percent, points
from game.engine.trust import raise_to
from game.scenario.conditions import MILESTONES
from game.scenario.loader import content_hash
from game.scenario.models import FIRM, Event, Scenario
from scoring import loyalty as metrics
from scoring.facts import RunFacts
from scoring.score import Score, score_run

#: Metrics kept in the timeline, in display order.
TIMELINE_METRICS = (
    "company_loyalty",
    "resilience",
    "concentration",
    "satisfaction",
    "revenue",
    "share",
)


END_CHOICE = Choice(END, "end", "End the turn", 0.0, "other")
_STATE_FIELDS = frozenset(
    {
        "turn",
        "time_left",
        "satisfaction",
        "reliability",
        "revenue",
        "sales",
        "promises_kept",
        "promises_broken",
    }
)


class Game:
    """One game of a scenario. Deterministic from (scenario, seed, choices)."""

    def __init__(self, scenario: Scenario, seed: int, *, scenario_hash: str | None = None) -> None:
        if not isinstance(seed, int) or isinstance(seed, bool):
            raise TypeError("seed must be an int")
        self.scenario = scenario
        self.seed = seed
        self._scenario_hash = scenario_hash
        self.rules: Rules = rules_for(scenario)
        self.dyn = scenario.dynamics
        account = scenario.account
        graph = build_graph(scenario)
        self.nodes, self.succ, self.pred = tables(graph)
        self.state = GameState(
            graph=graph,
            loyalty=LoyaltyCache(graph),
            nodes=self.nodes,
            succ=self.succ,
            satisfaction=account.satisfaction,
            reliability=scenario.supplier.reliability,
            sales=account.sales_before,
        )
        self._choices: tuple[Choice, ...] | None = None
        self._names = self.rules.names
        self._share: float | None = None
        self._roster: list[tuple[ActionRule, list[Candidate]]] | None = None
        self._record_timeline(0)
        self._start_turn()

    # ------------------------------------------------------------------ reading

    @property
    def scenario_hash(self) -> str:
        """The scenario's content hash (computed once, on first use)."""
        if self._scenario_hash is None:
            self._scenario_hash = content_hash(self.scenario)
        return self._scenario_hash

    @property
    def graph(self) -> nx.DiGraph:
        """The trust graph. Read it; change it only through :meth:`step`."""
        return self.state.graph

    @property
    def turn(self) -> int:
        return self.state.turn

    @property
    def turns(self) -> int:
        return self.scenario.turns

    @property
    def finished(self) -> bool:
        return self.state.finished

    @property
    def time_left(self) -> float:
        return self.state.time_left

    @property
    def log_entries(self) -> list[LogEntry]:
        return self.state.log

    @property
    def timeline(self) -> list[dict[str, float]]:
        """One dict of metrics per finished turn, from turn 0 (the start)."""
        return self.state.timeline

    @property
    def choices_made(self) -> list[str]:
        return self.state.choices_made

    @property
    def pending_event(self) -> Event | None:
        """The event waiting for the player's answer, if any."""
        if not self.state.pending:
            return None
        return self.rules.events[self.state.pending[0]].event

    def date(self, turn: int | None = None) -> dt.date:
        """The calendar date a turn starts on."""
        cal = self.scenario.calendar
        return cal.start + dt.timedelta(days=cal.days_per_turn * ((turn or self.turn) - 1))

    def name(self, node: str) -> str:
        """How the game names a person: 'you' for the player's rep."""
        return "you" if node == self.rules.player else self._names.get(node, node)

    def full_name(self, node: str) -> str:
        """A person's name and role."""
        data = self.nodes[node]
        role = data.get("role")
        return f"{data.get('name', node)} ({role})" if role else data.get("name", node)

    def trust(self, source: str, target: str) -> float:
        """Trust from customer person `source` in `target`."""
        return trust(self.graph, source, target)

    def is_current_customer(self, person: str) -> bool:
        data = self.nodes[person]
        return data["side"] == CUSTOMER and not data["defected"]

    def company_loyalty(self) -> float:
        """Company loyalty now (kept incrementally; equal to `scoring.loyalty`'s)."""
        return self.state.loyalty.company()

    def share(self) -> float:
        """Share of the customer's business still with you (changes only on defections)."""
        if self._share is None:
            self._share = metrics.share_of_business(self.graph)
        return self._share

    def mark_defected(self, person: str, competitor: str | None) -> None:
        """Record that customer person `person` has taken their business elsewhere."""
        data = self.nodes[person]
        if data["defected"]:
            return
        data["defected"] = competitor or "elsewhere"
        self.state.loyalty.mark(person)
        total = self.graph.graph["total_influence"]
        if self._share is not None and total:
            self._share = max(0.0, self._share - data["influence"] / total)
        self._roster = None

    def metrics(self) -> dict[str, float]:
        """The headline metrics now."""
        snap = metrics.snapshot(self.graph)
        return {
            "company_loyalty": snap.company_loyalty,
            "resilience": snap.resilience,
            "concentration": snap.concentration,
            "satisfaction": self.state.satisfaction,
            "revenue": self.state.revenue,
            "share": snap.share,
        }

    def money(self, value: float) -> str:
        return f"{self.scenario.account.currency}{value:,.0f}"

    def fill(self, template: str, actor: str | None, target: str | None) -> str:
        """Scenario text with {actor}, {target}, {customer}, {supplier} filled in."""
        return self.rules.fill(template, actor, target)

    # ------------------------------------------------------------------ conditions

    def value(self, name: str) -> float:
        """A named value for conditions (see `game.scenario.conditions.NAMES`)."""
        state = self.state
        if name in _STATE_FIELDS:
            return getattr(state, name)
        if name == "turns":
            return self.turns
        if name == "defections":
            return len(state.defections)
        if name == "share":
            return self.share()
        if name == "company_loyalty":
            return self.company_loyalty()
        raise KeyError(name)

    def call(self, function: str, args: tuple[str, ...]) -> Any:
        """A function for conditions (see `game.scenario.conditions.FUNCTIONS`)."""
        nodes = self.nodes
        first = args[0]
        if function == "trust":
            target = self.rules.player if args[1] == "player" else args[1]
            return self.trust(first, target)
        if function == "loyalty":
            return metrics.personal_loyalty(self.graph, first)
        if function == "met":
            return bool(nodes[first]["met"])
        if function == "defected":
            return bool(nodes[first]["defected"])
        if function == "active":
            return nodes[first]["side"] == "supplier" and bool(nodes[first]["active"])
        if function == "left":
            return first in self.state.departures
        if function == "flag":
            return self.state.flags.get(first, False)
        if function == "milestone":
            return self.state.sales >= MILESTONES.index(first) + 1
        if function == "fired":
            return first in self.state.fired
        raise KeyError(function)

    # ------------------------------------------------------------------ choices

    def choices(self) -> tuple[Choice, ...]:
        """Everything the player can do now. Empty when the game is over."""
        if self._choices is None:
            self._choices = self._list_choices()
        return self._choices

    def choice(self, choice_id: str) -> Choice:
        """The open choice with this id; raise :class:`InvalidChoice` if it is not open."""
        state = self.state
        if choice_id == END and self._choices is None and not state.finished and not state.pending:
            return END_CHOICE  # the common case, without listing every choice
        for choice in self.choices():
            if choice.id == choice_id:
                return choice
        raise InvalidChoice(self._why_not(choice_id))

    def _list_choices(self) -> tuple[Choice, ...]:
        state = self.state
        if state.finished:
            return ()
        if state.pending:
            return self.rules.events[state.pending[0]].choices
        if self._roster is None:
            self._roster = self._make_roster()
        found: list[Choice] = []
        time_left = state.time_left + 1e-9
        uses = state.uses.get
        for rule, candidates in self._roster:
            action = rule.action
            if action.cost > time_left or (rule.when is not None and not rule.when(self)):
                continue
            per_turn = action.per_turn
            for candidate in candidates:
                if uses(candidate.key, 0) < per_turn:
                    found.append(candidate.choice)
        found.extend(self._introduction_choices(time_left))
        found.append(END_CHOICE)
        return tuple(found)

    def _make_roster(self) -> list[tuple[ActionRule, list[Candidate]]]:
        """This turn's action candidates whose actor, target and cooldown allow them.

        Rebuilt at each turn start and whenever someone is met, defects, leaves or
        joins; per step only cost, conditions and uses are checked.
        """
        nodes = self.nodes
        reachable: set[str | None] = {
            p for p in self.rules.stakeholder_ids if nodes[p]["met"] and not nodes[p]["defected"]
        }
        reachable.add(None)  # actions without a target person
        team = {
            p for p in self.rules.team_ids if nodes[p]["side"] == "supplier" and nodes[p]["active"]
        }
        last_used = self.state.last_used.get
        turn = self.turn
        roster = []
        for rule in self.rules.actions:
            cooldown = rule.action.cooldown
            candidates = [
                c
                for c in rule.candidates
                if c.target in reachable
                and c.actor in team
                and not (cooldown and turn - last_used(c.key, -cooldown - 1) <= cooldown)
            ]
            if candidates:
                roster.append((rule, candidates))
        return roster

    def _introduction_choices(self, time_left: float) -> list[Choice]:
        intro = self.scenario.introductions
        if intro.cost > time_left:
            return []
        nodes = self.nodes
        found = []
        for person in self.rules.stakeholder_ids:
            if nodes[person]["met"] or nodes[person]["defected"]:
                continue
            for introducer in self.rules.introducers[person]:
                data = nodes[introducer]
                if not data["met"] or data["defected"]:
                    continue
                actor, value = self._most_trusted(introducer)
                if actor is None or value < self.rules.intro_trust[person]:
                    continue
                values = {
                    "introducer": self._names[introducer],
                    "target": self.full_name(person),
                    "actor": self.name(actor),
                }
                found.append(
                    Choice(
                        intro_choice_id(introducer, person),
                        "introduction",
                        fill(intro.label, values),
                        intro.cost,
                        "networking",
                        actor,
                        person,
                        introducer,
                        f"{self._names[introducer]} trusts {self.name(actor)} enough "
                        f"({percent(value)}) to open the door.",
                    )
                )
        return found

    def _most_trusted(self, person: str) -> tuple[str | None, float]:
        best: tuple[str | None, float] = (None, 0.0)
        nodes = self.nodes
        for target, edge in self.succ[person].items():
            value = edge.get("trust", 0.0)
            data = nodes[target]
            if data["side"] == "supplier" and data["active"] and value > best[1]:
                best = (target, value)
        return best

    def _why_not(self, choice_id: str) -> str:
        if self.state.finished:
            return f"the game is over; '{choice_id}' cannot be played"
        if self.state.pending:
            return (
                f"'{choice_id}' is not open: first answer the event "
                f"'{self.state.pending[0]}' ({', '.join(c.id for c in self.choices())})"
            )
        return f"'{choice_id}' is not open at turn {self.turn}"

    # ------------------------------------------------------------------ stepping

    def step(self, choice_id: str) -> list[LogEntry]:
        """Apply one open choice; return the log entries it produced."""
        choice = self.choice(choice_id)
        start = len(self.state.log)
        self.state.choices_made.append(choice_id)
        if choice.kind == "end":
            self._end_turn()
        elif choice.kind == "event":
            self._answer_event(choice)
        elif choice.kind == "introduction":
            self._ask_introduction(choice)
        else:
            self._do_action(choice)
        self._changed()
        return self.state.log[start:]

    def _changed(self) -> None:
        self._choices = None

    def _spend(self, cost: float) -> None:
        self.state.time_left = max(0.0, self.state.time_left - cost)

    def _do_action(self, choice: Choice) -> None:
        assert choice.source is not None
        action = self.rules.actions_by_id[choice.source]
        before = self.company_loyalty()
        self._spend(action.cost)
        key = (action.id, choice.target)
        self.state.uses[key] += 1
        self.state.last_used[key] = self.turn
        assert choice.actor is not None
        scope = Scope(choice.actor, choice.target, choice.behaviour)
        phrases = run_effects(self, action.effects, scope, self._actions_rng)
        self.log(
            "action",
            _sentence(choice.label, phrases),
            cause=choice.behaviour,
            loyalty_delta=self.company_loyalty() - before,
        )

    def _ask_introduction(self, choice: Choice) -> None:
        before = self.company_loyalty()
        self._spend(choice.cost)
        assert choice.actor and choice.target and choice.source
        self.introduce(choice.target, choice.actor, introducer=choice.source)
        self.log(
            "introduction",
            f"{self._names[choice.source]} introduced {self.name(choice.actor)} "
            f"to {self.full_name(choice.target)}.",
            cause="networking",
            loyalty_delta=self.company_loyalty() - before,
        )

    def _answer_event(self, choice: Choice) -> None:
        event = self.pending_event
        assert event is not None
        answer = next(c for c in event.choices if event_choice_id(event.id, c.id) == choice.id)
        before = self.company_loyalty()
        self._spend(answer.cost)
        self.state.pending.pop(0)
        scope = Scope(self._event_actor(event), event.target, answer.behaviour.value)
        phrases = run_effects(self, answer.effects, scope, self._actions_rng)
        self.log(
            "decision",
            _sentence(f"{event.title}: {choice.label}", phrases),
            cause=answer.behaviour.value,
            loyalty_delta=self.company_loyalty() - before,
        )

    def _event_actor(self, event: Event) -> str:
        return self.rules.player if event.actor == "player" else event.actor

    # ------------------------------------------------------------------ turns

    def _start_turn(self) -> None:
        state = self.state
        state.time_left = self.scenario.time_budget
        state.uses.clear()
        state.touches.clear()
        self._roster = None
        # Each turn draws from its own streams, so the world's dice for a turn do
        # not depend on how many moves came before it.
        self._world_rng = random.Random(f"{self.seed}:{state.turn}:world")
        self._actions_rng = LazyRandom(f"{self.seed}:{state.turn}:actions")
        self.log(
            "turn",
            f"{self.scenario.calendar.turn_name} {state.turn} of {self.turns} "
            f"begins ({self.date():%d %b %Y}).",
        )
        self._fire_events(self._world_rng)

    def _fire_events(self, rng: Dice) -> None:
        state = self.state
        for event_id, rule in self.rules.events.items():
            event = rule.event
            if event.once and event_id in state.fired:
                continue
            if rule.when is not None and not rule.when(self):
                continue
            if event.chance < 1.0 and rng.random() >= event.chance:
                continue
            state.fired[event_id] = state.turn
            before = self.company_loyalty()
            actor = self._event_actor(event)
            phrases = run_effects(self, event.effects, Scope(actor, event.target, "event"), rng)
            text = self.fill(event.text, actor, event.target)
            self.log(
                "event",
                _sentence(f"{event.title}: {text}", phrases),
                cause="event",
                loyalty_delta=self.company_loyalty() - before,
            )
            if event.choices:
                state.pending.append(event_id)
            self._changed()

    def _end_turn(self) -> None:
        state = self.state
        rng = self._world_rng
        dynamics.end_of_turn(self, rng)
        self._record_timeline(state.turn)
        if self.share() <= 0:
            self._finish("every stakeholder has taken their business elsewhere")
        elif state.turn >= self.turns:
            self._finish("the last turn is over")
        else:
            state.turn += 1
            self._changed()
            self._start_turn()

    def _finish(self, reason: str) -> None:
        self.state.finished = True
        self.state.end_reason = reason
        self.state.pending.clear()
        self.log("info", f"The game is over: {reason}.")

    def _record_timeline(self, turn: int) -> None:
        record: dict[str, float] = {"turn": turn}
        record.update(self.metrics())
        self.state.timeline.append(record)

    # ------------------------------------------------------------------ changes made by effects

    def log(self, kind: LogKind, text: str, *, cause: str = "", loyalty_delta: float = 0.0) -> None:
        """Add a line to the event log."""
        if abs(loyalty_delta) < 1e-12:
            loyalty_delta = 0.0
        self.state.log.append(LogEntry(self.turn, kind, text, cause, loyalty_delta))

    def describe_trust(self, moves: Sequence[tuple[str, float, float]], to: str) -> list[str]:
        """Phrases for trust changes of several people in one supplier node."""
        moved = [(p, b, a) for p, b, a in moves if abs(a - b) >= 0.0005]
        if not moved:
            return []
        whom = "your company" if to == FIRM else self.name(to)
        if len(moved) == 1:
            person, before, after = moved[0]
            return [f"{self._names[person]}'s trust in {whom} {percent(before)} → {percent(after)}"]
        change = sum(a - b for _p, b, a in moved) / len(moved)
        return [
            f"trust in {whom} {points(change).replace(' pts', ' pts on average')} "
            f"for {len(moved)} people"
        ]

    def introduce(self, person: str, actor: str, *, introducer: str | None) -> list[str]:
        """Open access to `person`; with an introducer, some of their trust carries over."""
        graph = self.graph
        data = self.nodes[person]
        if data["met"] or data["defected"]:
            return []
        data["met"] = True
        self._roster = None
        if introducer is None:
            return [f"you can now meet {self.full_name(person)}"]
        if graph.has_edge(introducer, person):
            graph.edges[introducer, person]["introduced"] = self.turn
        else:
            graph.add_edge(introducer, person, introduced=self.turn)
        transfer = self.scenario.introductions.transfer
        for target in (actor, FIRM):
            raise_to(
                self.state,
                person,
                target,
                transfer * trust(graph, introducer, target),
                "networking",
            )
        return [
            f"{self._names[person]} starts trusting {self.name(actor)} at "
            f"{percent(trust(graph, person, actor))}"
        ]

    def book_order(self, value: float, *, counts_as_sale: bool) -> list[str]:
        """The customer places an order outside the regular rhythm."""
        state = self.state
        state.revenue += value
        if counts_as_sale:
            state.sales += 1
        phrases = [f"order booked ({self.money(value)})"]
        if counts_as_sale and state.sales in (1, 2):
            phrases.append("first sale!" if state.sales == 1 else "second sale: loyalty can begin")
        return phrases

    def depart(self, person: str, competitor: str | None, *, announce: bool = False) -> list[str]:
        """Supplier person `person` leaves; trust only they held goes with them."""
        nodes = self.nodes
        data = nodes[person]
        if data["side"] != "supplier" or not data["active"]:
            return []
        before = self.company_loyalty()
        data["active"] = False
        self._roster = None
        self.state.departures[person] = competitor
        name = self._names[person]
        if competitor is None:
            data["side"] = GONE
            remove_trust_in(self, person, "departure")
            text = f"{name} has left {self.scenario.supplier.name}."
        else:
            data["side"] = COMPETITOR
            data["employer"] = competitor
            rival = next(c.name for c in self.scenario.competitors if c.id == competitor)
            held = 0.0
            for source in self.pred[person]:
                value = self.graph.edges[source, person].get("trust", 0.0)
                held += nodes[source].get("influence", 0.0) * value
            self.state.attribution["departure"] -= held / self.graph.graph["total_influence"]
            text = (
                f"{name} has left to join {rival}. The customer's trust in {name} "
                f"now works for {rival}."
            )
        self.state.loyalty.team_changed()
        delta = self.company_loyalty() - before
        if announce:
            self.log(
                "departure",
                text,
                cause="departure",
                loyalty_delta=delta,
            )
            return []
        return [text.rstrip(".")]

    def arrive(self, person: str) -> list[str]:
        """A supplier person who was not yet active joins the team."""
        data = self.nodes[person]
        if data["side"] != "supplier" or data["active"]:
            return []
        data["active"] = True
        self._roster = None
        return [f"{self.full_name(person)} joins your team"]

    def competitor_offer(
        self,
        competitor: str,
        rng: Dice,
        *,
        who: str | None = None,
        extra_discount: float = 0.0,
    ) -> list[str]:
        """A competitor approaches a stakeholder (by influence, unless `who` is given)."""
        phrases = dynamics.consider_offer(
            self, competitor, rng, who=who, extra_discount=extra_discount
        )
        return phrases

    # ------------------------------------------------------------------ results

    def run_log(self, *, player: str | None = None, bot: str | None = None) -> RunLog:
        """The run log that replays this game to the same state."""
        return RunLog(
            self.scenario.id,
            self.scenario_hash,
            self.seed,
            tuple(self.state.choices_made),
            player=player,
            bot=bot,
        )

    def facts(self) -> RunFacts:
        """What scoring needs to know about this run so far."""
        state = self.state
        account = self.scenario.account
        cal = self.scenario.calendar
        final = (
            dict(state.timeline[-1]) if state.finished else {"turn": self.turn, **self.metrics()}
        )
        return RunFacts(
            turns_played=int(final["turn"]),
            years_played=max(1, int(final["turn"])) * cal.days_per_turn / 365.0,
            final=final,
            timeline=list(state.timeline),
            potential_revenue=state.potential_revenue,
            margin=account.margin,
            interest=account.interest,
            sales=state.sales,
            sales_before=account.sales_before,
            tracks_sales=account.sales_before < 2,
            attribution=dict(state.attribution),
            defections=[d.as_dict() for d in state.defections],
            promises_kept=state.promises_kept,
            promises_broken=state.promises_broken,
            weights=self.scenario.scoring.model_dump(),
        )

    def score(self) -> Score:
        """The score of the run so far (final once the game is over)."""
        return score_run(self.facts())


def _sentence(head: str, phrases: list[str]) -> str:
    head = head.rstrip()
    if not phrases:
        return head if head.endswith((".", "!", "?")) else head + "."
    return f"{head.rstrip('.')}: {'; '.join(phrases)}."
