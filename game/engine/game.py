"""The game: one pure state machine over a scenario, a seed and a list of choices.

Like a Gymnasium environment, a :class:`Game` owns its random generators and
changes only through :meth:`Game.step`. The Textual app, the command line and
the bots all drive it through this class; none of them holds game rules.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from collections import Counter, defaultdict
from typing import Any

import networkx as nx

from game.engine import dynamics
from game.engine.choices import (
    END,
    Choice,
    InvalidChoice,
    event_choice_id,
)
from game.engine.condition_values import ConditionValues
from game.engine.effects import Scope, run_effects
from game.engine.graph import CUSTOMER, build_graph, tables, trust
from game.engine.loyalty_cache import LoyaltyCache
from game.engine.open_choices import END_CHOICE, Reachable, list_choices, use_up
from game.engine.rng import Dice, LazyRandom
from game.engine.rules import ActionRule, Rules, rules_for
from game.engine.runlog import RunLog
from game.engine.satisfaction import account_satisfaction
from game.engine.state import GameState, LogEntry, LogKind
from game.engine.world import introduce
from game.scenario.loader import content_hash
from game.scenario.models import Event, Scenario
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


class Game:
    """One game of a scenario. Deterministic from (scenario, seed, choices).

    With ``narrate=False`` the game keeps no event log: it skips the sentences
    that explain each move and the loyalty change beside each. Everything else
    (graph, metrics, timeline, defections, score) is identical, so headless
    runs that only want results (bots, balance runs, replays for scoring) use it.
    """

    def __init__(
        self,
        scenario: Scenario,
        seed: int,
        *,
        scenario_hash: str | None = None,
        narrate: bool = True,
    ) -> None:
        if not isinstance(seed, int) or isinstance(seed, bool):
            raise TypeError("seed must be an int")
        self.scenario = scenario
        self.seed = seed
        self.narrate = narrate
        self._scenario_hash = scenario_hash
        # What every random stream is seeded from: the seed, or the seed and a fork's salt.
        self._stream_key = str(seed)
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
            reliability=scenario.supplier.reliability,
            sales=account.sales_before,
        )
        self._choices: tuple[Choice, ...] | None = None
        self._names = self.rules.names
        self.conditions = ConditionValues(self)
        self._share: float | None = None
        # This turn's open action choices (see open_choices); None when they must be rebuilt.
        self.roster: list[tuple[ActionRule, list[Choice]]] | None = None
        # The action choices whose actor and target are available (see open_choices);
        # None when someone was met, left, joined or defected.
        self.reachable: list[Reachable] | None = None
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

    def satisfaction(self) -> float:
        """The account's satisfaction: the influence-weighted mean of the people still buying."""
        return account_satisfaction(self.nodes, self.rules.stakeholder_ids)

    def shares_changed(self) -> None:
        """Someone joined or left the customer: recount the share of business."""
        self._share = None

    def people_changed(self) -> None:
        """Someone was met, left, joined or defected: rebuild the roster of moves."""
        self.roster = None
        self.reachable = None

    def mark_defected(self, person: str, competitor: str | None) -> None:
        """Record that customer person `person` has taken their business elsewhere."""
        data = self.nodes[person]
        if data["defected"]:
            return
        data["defected"] = competitor or "elsewhere"
        self.state.loyalty.mark(person)
        self._share = None
        self.people_changed()

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

    def money(self, value: float) -> str:
        return f"{self.scenario.account.currency}{value:,.0f}"

    def fill(self, template: str, actor: str | None, target: str | None) -> str:
        """Scenario text with {actor}, {target}, {customer}, {supplier} filled in."""
        return self.rules.fill(template, actor, target)

    # ------------------------------------------------------------------ choices

    def choices(self) -> tuple[Choice, ...]:
        """Everything the player can do now. Empty when the game is over."""
        if self._choices is None:
            self._choices = list_choices(self)
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

    def _why_not(self, choice_id: str) -> str:
        if self.state.finished:
            return f"the game is over; '{choice_id}' cannot be played"
        if self.state.pending:
            return (
                f"'{choice_id}' is not open: first answer the event "
                f"'{self.state.pending[0]}' ({', '.join(c.id for c in self.choices())})"
            )
        return f"'{choice_id}' is not open at turn {self.turn}"

    # ------------------------------------------------------------------ forking

    def fork(self, salt: str | int, *, narrate: bool = False) -> Game:
        """An independent copy of this game now, whose future dice are resampled.

        The fork has the same graph, state, pending events, time left, choices
        made and timeline, but every draw it makes from now on (the rest of this
        turn and every later turn) comes from streams seeded by this game's
        streams and `salt`, never from this game's own: a fork cannot reveal
        what the game will roll. Forks with the same salt are identical; stepping
        a fork never changes this game. For look-ahead, so quiet by default.
        """
        fork = Game.__new__(Game)
        # The scenario, rules, settings and immutable caches (choices, share) are shared.
        fork.__dict__.update(self.__dict__)
        state = self.state
        old = state.graph
        graph = _copy_graph(old)
        # Everything that holds the graph or its tables must hold the copy's.
        memo: dict[int, Any] = {
            id(old): graph,
            id(old._node): graph._node,
            id(old._succ): graph._succ,
            id(old._pred): graph._pred,
        }
        fork.state = _copy(state, memo)
        fork.nodes, fork.succ, fork.pred = tables(graph)
        fork.narrate = narrate
        fork.conditions = ConditionValues(fork)
        # The caches of choices are never changed in place (see open_choices): the
        # fork can start from them, and offers exactly what this game offers now.
        fork.roster = None if self.roster is None else list(self.roster)
        fork._stream_key = f"{self._stream_key}/fork:{salt}"
        turn = fork.state.turn
        fork._world_rng = random.Random(f"{fork._stream_key}:{turn}:world")
        fork._actions_rng = LazyRandom(f"{fork._stream_key}:{turn}:actions")
        return fork

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
        self._spend(action.cost)
        key = (action.id, choice.target)
        self.state.uses[key] += 1
        self.state.last_used[key] = self.turn
        use_up(self, action.id, choice.target)
        assert choice.actor is not None
        scope = Scope(choice.actor, choice.target, choice.behaviour)
        if not self.narrate:
            run_effects(self, action.effects, scope, self._actions_rng)
            return
        before = self.company_loyalty()
        phrases = run_effects(self, action.effects, scope, self._actions_rng)
        self.log(
            "action",
            _sentence(choice.label, phrases),
            cause=choice.behaviour,
            loyalty_delta=self.company_loyalty() - before,
        )

    def _ask_introduction(self, choice: Choice) -> None:
        self._spend(choice.cost)
        assert choice.actor and choice.target and choice.source
        if not self.narrate:
            introduce(self, choice.target, choice.actor, introducer=choice.source)
            return
        before = self.company_loyalty()
        introduce(self, choice.target, choice.actor, introducer=choice.source)
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
        self._spend(answer.cost)
        self.state.pending.pop(0)
        scope = Scope(self._event_actor(event), event.target, answer.behaviour.value)
        if not self.narrate:
            run_effects(self, answer.effects, scope, self._actions_rng)
            return
        before = self.company_loyalty()
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
        self.roster = None  # cooldowns and uses start afresh
        # Each turn draws from its own streams, so the world's dice for a turn do
        # not depend on how many moves came before it.
        self._world_rng = random.Random(f"{self._stream_key}:{state.turn}:world")
        self._actions_rng = LazyRandom(f"{self._stream_key}:{state.turn}:actions")
        if self.narrate:
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
            if rule.when is not None and not rule.when(self.conditions):
                continue
            if event.chance < 1.0 and rng.random() >= event.chance:
                continue
            state.fired[event_id] = state.turn
            actor = self._event_actor(event)
            scope = Scope(actor, event.target, "event")
            if self.narrate:
                before = self.company_loyalty()
                phrases = run_effects(self, event.effects, scope, rng)
                text = self.fill(event.text, actor, event.target)
                self.log(
                    "event",
                    _sentence(f"{event.title}: {text}", phrases),
                    cause="event",
                    loyalty_delta=self.company_loyalty() - before,
                )
            else:
                run_effects(self, event.effects, scope, rng)
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
        """Add a line to the event log (unless the game does not narrate)."""
        if not self.narrate:
            return
        if abs(loyalty_delta) < 1e-12:
            loyalty_delta = 0.0
        self.state.log.append(LogEntry(self.turn, kind, text, cause, loyalty_delta))

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
            margin_earned=state.margin_earned,
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


#: Values a fork can share with its parent: they never change in place.
_ATOMS = frozenset({str, int, float, bool, type(None), frozenset})
#: Containers a fork copies itself, several times faster than `copy.deepcopy`.
_DICTS = frozenset({dict, Counter, defaultdict})
#: The attributes of plain classes with `__slots__` only (None for other classes).
_SLOTS: dict[type, tuple[str, ...] | None] = {}
#: Methods by which a class says how it is copied: `copy.deepcopy` must do it.
_CUSTOM_COPY = frozenset({"__deepcopy__", "__reduce__", "__reduce_ex__", "__getstate__"})


def _copy(value: Any, memo: dict[int, Any]) -> Any:
    """A deep copy of `value`, as `copy.deepcopy(value, memo)` makes it but faster, and
    sharing what never changes in place (strings, numbers, tuples of them)."""
    kind = type(value)
    if kind in _ATOMS:
        return value
    copied = memo.get(id(value))
    if copied is not None:
        return copied
    if kind in _DICTS:
        copied = value.copy()  # keeps a Counter's type and a defaultdict's factory
        for key, item in value.items():
            if type(item) not in _ATOMS:
                copied[key] = _copy(item, memo)
    elif kind is list:
        copied = [item if type(item) in _ATOMS else _copy(item, memo) for item in value]
    elif isinstance(value, tuple) and all(type(item) in _ATOMS for item in value):
        return value  # log entries, keys and other records of plain values
    elif kind is set:
        copied = set(value)  # members are hashable, so never changed in place
    else:
        slots = _slots(kind)
        if slots is None:
            return copy.deepcopy(value, memo)
        copied = memo[id(value)] = object.__new__(kind)
        for name in slots:
            if hasattr(value, name):
                object.__setattr__(copied, name, _copy(getattr(value, name), memo))
        return copied
    memo[id(value)] = copied
    return copied


def _slots(kind: type) -> tuple[str, ...] | None:
    """The attributes of a plain class that keeps them all in `__slots__` (the game's
    state, its loyalty cache), or None for a class `copy.deepcopy` must handle."""
    if kind not in _SLOTS:
        names: tuple[str, ...] | None = ()
        for cls in kind.__mro__[:-1]:
            own = cls.__dict__.get("__slots__")
            if own is None or "__dict__" in own or _CUSTOM_COPY & cls.__dict__.keys():
                names = None
                break
            names = (*names, *((own,) if isinstance(own, str) else own))
        _SLOTS[kind] = names
    return _SLOTS[kind]


def _copy_attrs(data: dict) -> dict:
    """A copy of a node's or edge's attribute dict; mutable values are copied deeply."""
    copied = data.copy()
    for key, value in data.items():
        if type(value) not in _ATOMS:
            copied[key] = copy.deepcopy(value)
    return copied


def _copy_graph(graph: nx.DiGraph) -> nx.DiGraph:
    """A deep copy of a trust graph, many times faster than `copy.deepcopy`.

    Each edge's attribute dict is shared by the successor and predecessor
    tables, as networkx keeps it, and both keep their order.
    """
    copied = graph.__class__()
    copied.graph = _copy_attrs(graph.graph)
    copied._node = {node: _copy_attrs(data) for node, data in graph._node.items()}
    succ = {
        source: {target: _copy_attrs(data) for target, data in targets.items()}
        for source, targets in graph._succ.items()
    }
    copied._succ = succ  # networkx sets _adj with it
    copied._pred = {
        node: {source: succ[source][node] for source in sources}
        for node, sources in graph._pred.items()
    }
    return copied


def _sentence(head: str, phrases: list[str]) -> str:
    head = head.rstrip()
    if not phrases:
        return head if head.endswith((".", "!", "?")) else head + "."
    return f"{head.rstrip('.')}: {'; '.join(phrases)}."
