"""Why a balance run never reached an action, an event, an event's answer or a person.

Two kinds of evidence go into each reason:

- what the scenario says, read statically: a move that costs more time than a
  turn has, a condition the interval analysis of
  :mod:`game.scenario.condition_analysis` shows can never hold, a flag no effect
  sets, someone nobody can introduce;
- what the runs recorded (:class:`RunTrace`): whether a condition, or each part
  of it, ever held and how close its numbers came, which moves and introductions
  were open, the best trust an introducer had, the answers the bots chose.

Pure: no engine, no I/O. :func:`probes` says which conditions a run should
watch; the balance runner (``game.coach.balance``) records a :class:`RunTrace` per game
and :func:`explain` turns all of them into :class:`Unreachable` items.
"""

from __future__ import annotations

import ast
import math
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from game.scenario.condition_analysis import Facts, Span, can_be_true
from game.scenario.conditions import CompiledCondition, ConditionError, compile_condition
from game.scenario.models import Effect, Scenario

Kind = Literal["action", "event", "answer", "introduction"]

# --------------------------------------------------------------------------- probes


@dataclass(frozen=True)
class Part:
    """One top-level conjunct of a condition (`a` in `a and b`), watched on its own."""

    key: str
    """The probe's key and the part's index: ``action:follow_up#0``."""
    source: str
    tree: ast.expr
    check: CompiledCondition
    measure: CompiledCondition | None
    """For a comparison with a number, the other side, whose values a run records."""
    op: type[ast.cmpop] | None
    """The comparison, written as `measure OP number`."""
    bound: float | None


@dataclass(frozen=True)
class Probe:
    """A `when` a run watches: an action's (at every decision) or an event's (at the
    first decision of each turn, just after events fire)."""

    key: str
    """``action:ID`` or ``event:ID``."""
    source: str
    condition: CompiledCondition
    parts: tuple[Part, ...]


_FLIP: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.Gt,
    ast.LtE: ast.GtE,
    ast.Gt: ast.Lt,
    ast.GtE: ast.LtE,
    ast.Eq: ast.Eq,
    ast.NotEq: ast.NotEq,
}


def _number(node: ast.expr) -> float | None:
    value = node.value if isinstance(node, ast.Constant) else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub)
        and (inner := _number(node.operand)) is not None
    ):
        return -inner
    return None


def _part(key: str, tree: ast.expr) -> Part | None:
    source = ast.unparse(tree)
    try:
        check = compile_condition(source)
    except ConditionError:
        return None
    measure = op = bound = None
    if isinstance(tree, ast.Compare) and len(tree.ops) == 1 and type(tree.ops[0]) in _FLIP:
        left, right, kind = tree.left, tree.comparators[0], type(tree.ops[0])
        if _number(left) is not None and _number(right) is None:
            left, right, kind = right, left, _FLIP[kind]
        bound = _number(right)
        if bound is not None and _number(left) is None:
            try:
                measure, op = compile_condition(ast.unparse(left)), kind
            except ConditionError:
                bound = None
        else:
            bound = None
    return Part(key, source, tree, check, measure, op, bound)


def probe(key: str, source: str) -> Probe | None:
    """The probe of one condition (None if it does not compile: validation says why)."""
    try:
        condition = compile_condition(source)
    except ConditionError:
        return None
    tree = condition.tree
    both = isinstance(tree, ast.BoolOp) and isinstance(tree.op, ast.And)
    conjuncts = tree.values if isinstance(tree, ast.BoolOp) and both else [tree]
    parts = tuple(
        part
        for index, conjunct in enumerate(conjuncts)
        if (part := _part(f"{key}#{index}", conjunct)) is not None
    )
    return Probe(key, source.strip(), condition, parts)


def probes(scenario: Scenario) -> tuple[list[Probe], list[Probe]]:
    """The conditions a run watches: the actions' and the events' `when`s."""
    actions = [probe(f"action:{a.id}", a.when) for a in scenario.actions if a.when]
    events = [probe(f"event:{e.id}", e.when) for e in scenario.events if e.when]
    return [p for p in actions if p], [p for p in events if p]


# --------------------------------------------------------------------------- what a run saw


@dataclass(frozen=True)
class RunTrace:
    """What one game recorded for the explanations, beyond its metrics."""

    met: frozenset[str] = frozenset()
    """Customer people met by the end."""
    loyalty: Mapping[str, float] = field(default_factory=dict)
    """Each customer person's personal loyalty at the end."""
    defected_to: Mapping[str, str] = field(default_factory=dict)
    """Each customer person who defected, and the competitor (``""`` for none)."""
    answers: Mapping[str, int] = field(default_factory=dict)
    """``event:EVENT:ANSWER`` → times chosen."""
    open: frozenset[str] = frozenset()
    """``action:ID`` and ``intro:PERSON`` open at some decision."""
    held: Mapping[str, int] = field(default_factory=dict)
    """Probe key → times its condition held (actions: 1 if it ever did; events: turns)."""
    parts_true: frozenset[str] = frozenset()
    """Part keys that held at some check."""
    together: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Probe key (of a condition in several parts that never held) → the most of its
    parts that held at one check."""
    ranges: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    """Part key → lowest and highest value its measured side took while it did not hold."""
    intro_best: Mapping[str, tuple[float, str, str]] = field(default_factory=dict)
    """Customer person not met → the best trust an introducer had in an active supplier
    person while they could ask: (trust, introducer, supplier person)."""
    present: frozenset[str] = frozenset()
    """Customer people who were there (arrived) at some turn."""
    active: frozenset[str] = frozenset()
    """Supplier people on the team at some turn."""
    sides: frozenset[str] = frozenset()
    """Each condition's sides seen as turns began: ``action:ID=true``, ``event:ID=false``."""


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Unreachable:
    """Something no run reached, and why."""

    kind: Kind
    id: str
    reasons: tuple[str, ...]
    event: str | None = None
    """The event, for an answer."""

    @property
    def label(self) -> str:
        if self.kind == "answer":
            return f"answer `{self.id}` of event `{self.event}`"
        if self.kind == "introduction":
            return f"introduction to `{self.id}`"
        return f"{self.kind} `{self.id}`"

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"kind": self.kind, "id": self.id}
        if self.event is not None:
            found["event"] = self.event
        return found | {"reasons": list(self.reasons)}


# --------------------------------------------------------------------------- scenario facts


@dataclass(frozen=True)
class Source:
    """Something in the scenario whose effects do something: an action, an event, an
    event's answer."""

    kind: Literal["action", "event", "answer"]
    id: str
    event: str | None = None

    @property
    def reached_key(self) -> str:
        if self.kind == "answer":
            return f"event:{self.event}:{self.id}"
        return f"{self.kind}:{self.id}"

    def __str__(self) -> str:
        if self.kind == "answer":
            return f"answer `{self.id}` to event `{self.event}`"
        return f"{self.kind} `{self.id}`"


def _walk(effects: list[Effect]) -> Iterator[Effect]:
    for effect in effects:
        yield effect
        if effect.promise:
            yield from _walk(effect.promise.kept)
            yield from _walk(effect.promise.broken)


def effect_sources(scenario: Scenario) -> Iterator[tuple[Source, Effect]]:
    """Every effect in the scenario, with the action, event or answer it belongs to."""
    for action in scenario.actions:
        for effect in _walk(action.effects):
            yield Source("action", action.id), effect
    for event in scenario.events:
        for effect in _walk(event.effects):
            yield Source("event", event.id), effect
        for choice in event.choices:
            for effect in _walk(choice.effects):
                yield Source("answer", choice.id, event.id), effect


def flags_set(scenario: Scenario) -> set[str]:
    """Every flag some effect sets (to any value)."""
    return {name for _s, e in effect_sources(scenario) if e.flag for name in e.flag}


def introducers(scenario: Scenario, person_id: str) -> tuple[str, ...]:
    """Who can introduce the supplier to `person_id`: as given, else manager and reports."""
    people = scenario.customer.people
    person = next(p for p in people if p.id == person_id)
    if person.introduced_by is not None:
        return tuple(person.introduced_by)
    near = [person.reports_to] if person.reports_to else []
    return tuple(near + [p.id for p in people if p.reports_to == person_id])


def _reachable(scenario: Scenario) -> set[str]:
    """Customer people some chain of introductions (or an `introduce` effect) can reach."""
    found = {p.id for p in scenario.customer.people if p.met}
    found |= {e.introduce for _s, e in effect_sources(scenario) if e.introduce}
    options = {p.id: set(introducers(scenario, p.id)) for p in scenario.customer.people}
    changed = True
    while changed:
        changed = False
        for person, candidates in options.items():
            if person not in found and candidates & found:
                found.add(person)
                changed = True
    return found


def static_facts(scenario: Scenario) -> Facts:
    """What the condition analysis may assume about `scenario` (as validation does)."""
    unit = Span(0.0, 1.0)
    names = {
        "turn": Span(1, scenario.turns),
        "turns": Span(scenario.turns, scenario.turns),
        "time_left": Span(0, scenario.time_budget),
        "satisfaction": unit,
        "reliability": unit,
        "share": unit,
        "company_loyalty": unit,
        "revenue": Span(0, math.inf),
        "sales": Span(scenario.account.sales_before, math.inf),
        "promises_kept": Span(0, math.inf),
        "promises_broken": Span(0, math.inf),
        "defections": Span(0, len(scenario.customer.people)),
    }
    reachable = _reachable(scenario)
    never = {("met", p.id) for p in scenario.customer.people if p.id not in reachable}
    flags = flags_set(scenario)
    conditions = [a.when for a in scenario.actions] + [e.when for e in scenario.events]
    references = [r for source in conditions if source for r in _references(source)]
    never |= {("flag", v) for kind, v in references if kind == "flag" and v not in flags}
    return Facts(names, frozenset(never))


def _references(source: str) -> list[tuple[str, str]]:
    try:
        return [(r.kind, r.value) for r in compile_condition(source).references]
    except ConditionError:
        return []


def _calls(tree: ast.expr) -> Iterator[tuple[str, str]]:
    """(function, first id) for every call in a condition."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
            arg = node.args[0]
            if isinstance(arg, ast.Name):
                yield node.func.id, arg.id
            elif isinstance(arg, ast.Constant):
                yield node.func.id, str(arg.value)


def _names(tree: ast.expr) -> set[str]:
    """The names a condition reads (not the ids given to its functions)."""
    args = {id(a) for node in ast.walk(tree) if isinstance(node, ast.Call) for a in node.args}
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in args}


# --------------------------------------------------------------------------- wording


def _pct(share: float) -> str:
    return f"{share * 100:.0f}%"


def _chance(share: float) -> str:
    """A chance a turn: 18%, 2.5%, 0.01%."""
    return f"{share * 100:.0f}%" if share >= 0.1 else f"{share * 100:.2g}%"


def _either(sources: Sequence[Source]) -> str:
    words = [str(s) for s in sources]
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + f" or {words[-1]}"


def _none_reached(sources: Sequence[Source]) -> str:
    return "which no run reached" if len(sources) == 1 else "none of which any run reached"


def _ids(ids: Sequence[str]) -> str:
    return ", ".join(f"`{i}`" for i in ids)


def _number_text(value: float) -> str:
    return f"{value:.2f}" if abs(value) < 10 else f"{value:,.0f}"


# --------------------------------------------------------------------------- explaining

Runs = Mapping[str, Sequence[tuple[frozenset[str], RunTrace]]]


class _Explainer:
    def __init__(self, scenario: Scenario, runs: Runs) -> None:
        self.s = scenario
        self.unit = scenario.time_unit
        self.total = sum(len(r) for r in runs.values())
        self.reached: set[str] = set()
        self.met: set[str] = set()
        self.present: set[str] = set()
        self.active: set[str] = set()
        self.parts_true: set[str] = set()
        self.open_runs: Counter[str] = Counter()
        self.held_runs: Counter[str] = Counter()
        self.held_total: Counter[str] = Counter()
        self.answers: Counter[str] = Counter()
        self.low: dict[str, tuple[float, str]] = {}
        self.high: dict[str, tuple[float, str]] = {}
        self.intro_best: dict[str, tuple[float, str, str, str]] = {}
        self.together: dict[str, frozenset[str]] = {}
        for bot, outcomes in runs.items():
            for reached, trace in outcomes:
                self.reached |= reached
                self.met |= trace.met
                self.present |= trace.present
                self.active |= trace.active
                self.parts_true |= trace.parts_true
                self.open_runs.update(trace.open)
                self.held_runs.update(k for k, n in trace.held.items() if n > 0)
                self.held_total.update(trace.held)
                self.answers.update(trace.answers)
                for key, parts in trace.together.items():
                    if len(parts) > len(self.together.get(key, ())):
                        self.together[key] = parts
                for key, (low, high) in trace.ranges.items():
                    if key not in self.low or low < self.low[key][0]:
                        self.low[key] = (low, bot)
                    if key not in self.high or high > self.high[key][0]:
                        self.high[key] = (high, bot)
                for person, (value, introducer, supplier) in trace.intro_best.items():
                    if person not in self.intro_best or value > self.intro_best[person][0]:
                        self.intro_best[person] = (value, bot, introducer, supplier)
        self.facts = static_facts(scenario)
        self.setters: dict[str, list[Source]] = {}
        self.joins: dict[str, list[Source]] = {}
        self.introduces: dict[str, list[Source]] = {}
        for source, effect in effect_sources(scenario):
            for name, setting in (effect.flag or {}).items():
                if setting and source not in self.setters.setdefault(name, []):
                    self.setters[name].append(source)
            if effect.join and source not in self.joins.setdefault(effect.join, []):
                self.joins[effect.join].append(source)
            if effect.introduce and source not in self.introduces.setdefault(effect.introduce, []):
                self.introduces[effect.introduce].append(source)
        actions, events = probes(scenario)
        self.probes = {p.key: p for p in (*actions, *events)}

    # ------------------------------------------------------------------ helpers

    def time(self, value: float) -> str:
        return f"{value:g}{self.unit}" if len(self.unit) <= 2 else f"{value:g} {self.unit}"

    def runs_text(self, count: int) -> str:
        return f"{count} of {self.total} runs"

    def unreached(self, sources: Sequence[Source]) -> bool:
        return not any(s.reached_key in self.reached for s in sources)

    # ------------------------------------------------------------------ conditions

    def static_part(self, part: Part) -> str:
        for function, value in _calls(part.tree):
            if (function, value) not in self.facts.never_true_calls:
                continue
            if function == "flag":
                return f"flag `{value}` is never set by any effect"
            if function == "met":
                return f"no chain of introductions reaches `{value}`"
        if _names(part.tree) & {"turn", "turns"}:
            return f"`{part.source}` can never hold in a {self.s.turns}-turn scenario"
        return f"`{part.source}` can never hold in this scenario"

    def part_detail(self, part: Part) -> tuple[str | None, str | None]:
        """Why one part of a condition never held, and how close its numbers came:
        (``flag `x` is set only by …`` or None, ``best seen 0.41, by narrow`` or None)."""
        tree = part.tree
        negated = isinstance(tree, ast.UnaryOp) and isinstance(tree.op, ast.Not)
        inner = tree.operand if isinstance(tree, ast.UnaryOp) and negated else tree
        if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name):
            function, value = next(_calls(inner), (inner.func.id, ""))
            if negated:
                return (f"flag `{value}` was always set" if function == "flag" else None), None
            return self.call_detail(function, value), None
        if part.measure is None or part.op is None:
            return None, None
        low, high = self.low.get(part.key), self.high.get(part.key)
        if low is None or high is None:
            return None, None
        if part.op in (ast.Gt, ast.GtE):
            return None, f"best seen {_number_text(high[0])}, by {high[1]}"
        if part.op in (ast.Lt, ast.LtE):
            return None, f"lowest seen {_number_text(low[0])}, by {low[1]}"
        return None, f"seen from {_number_text(low[0])} to {_number_text(high[0])}"

    def call_detail(self, function: str, value: str) -> str | None:
        if function == "flag":
            setters = self.setters.get(value, [])
            if not setters:
                return f"flag `{value}` is never set to a true value by any effect"
            if self.unreached(setters):
                return f"flag `{value}` is set only by {_either(setters)}, {_none_reached(setters)}"
            return f"flag `{value}` was set in some runs, but never held when checked"
        return {
            "fired": f"event `{value}` never fired",
            "met": f"`{value}` was never met",
            "active": f"`{value}` was never on the team",
            "left": f"`{value}` never left",
            "defected": f"`{value}` never defected",
            "milestone": f"no run reached the milestone `{value}`",
        }.get(function)

    def condition(self, probe: Probe, noun: str, where: str) -> list[str]:
        """Why a condition kept its action or event from happening, if it did: it can
        never hold (static), or it never held in any run (with what fell short)."""
        if not can_be_true(probe.condition.tree, self.facts):
            impossible = [p for p in probe.parts if not can_be_true(p.tree, self.facts)]
            details = [self.static_part(p) for p in impossible]
            if len(probe.parts) == 1 and details and details[0].startswith("`"):
                return [f"{noun} {details[0]}"]
            if not details:
                details = ["its parts contradict each other"]
            return [f"{noun} `{probe.source}` can never hold: " + "; ".join(details)]
        if self.held_runs[probe.key]:
            return []
        never = [p for p in probe.parts if p.key not in self.parts_true]
        head = f"{noun} (`{probe.source}`) was never true {where}"
        if not never:
            head += ": each of its parts held at some point, but never all at once"
            together = self.together.get(probe.key, frozenset())
            if together:
                left = [f"`{p.source}`" for p in probe.parts if p.key not in together]
                head += (
                    f" (at best {len(together)} of {len(probe.parts)} held together, "
                    f"without {', '.join(left)})"
                )
            return [head]
        if len(probe.parts) == 1:
            phrase, seen = self.part_detail(never[0])
            return [head + (f" ({seen})" if seen else "") + (f" — {phrase}" if phrase else "")]
        details = []
        for part in never:
            phrase, seen = self.part_detail(part)
            details.append(phrase or f"`{part.source}` never held" + (f" ({seen})" if seen else ""))
        return [f"{head} — " + "; ".join(details)]

    # ------------------------------------------------------------------ items

    def action(self, action_id: str) -> list[str]:
        action = next(a for a in self.s.actions if a.id == action_id)
        budget = self.s.time_budget
        if action.cost > budget + 1e-9:
            return [f"it costs {self.time(action.cost)} but a turn has {self.time(budget)}"]
        reasons: list[str] = []
        if isinstance(action.by, list) and not self.active & set(action.by):
            reasons.append(self.nobody_to_act(action.by))
        if isinstance(action.targets, list) and not self.met & set(action.targets):
            targets = action.targets
            word = "its target" if len(targets) == 1 else "its targets"
            verb = "was" if len(targets) == 1 else "were"
            reasons.append(f"{word} ({_ids(targets)}) {verb} never met in any run")
        probe = self.probes.get(f"action:{action_id}")
        if probe is not None:
            reasons += self.condition(probe, "its `when`", "in any run")
        if reasons:
            return reasons
        key = f"action:{action_id}"
        if self.open_runs[key]:
            return [
                f"it was open in {self.runs_text(self.open_runs[key])}, but no bot chose it "
                f"(behaviour `{action.behaviour.value}`, {self.time(action.cost)})"
            ]
        if probe is not None:
            return [
                f"its `when` held in {self.runs_text(self.held_runs[probe.key])}, but never "
                "while someone could do it for someone met, with the time, cooldown and "
                "uses it needs"
            ]
        return ["it was never open (no one to do it, no one to do it for, or no time)"]

    def nobody_to_act(self, people: list[str]) -> str:
        word = f"only {_ids(people)} can do it"
        joins = [s for p in people for s in self.joins.get(p, [])]
        if not joins:
            return f"{word}, and no `join` effect brings them onto the team"
        if self.unreached(joins):
            return f"{word}, and only {_either(joins)} brings them in, {_none_reached(joins)}"
        return f"{word}, and they were never on the team"

    def event(self, event_id: str) -> list[str]:
        event = next(e for e in self.s.events if e.id == event_id)
        chance = f"its chance ({_chance(event.chance)} a turn)"
        probe = self.probes.get(f"event:{event_id}")
        if probe is None:
            return [f"{chance} never came up in any turn of {self.total} runs"]
        reasons = self.condition(probe, "its condition", "at the start of any turn")
        if reasons:
            return reasons
        turns = self.held_total[probe.key]
        held = (
            f"its condition held at the start of {turns} turn{'s' if turns != 1 else ''} "
            f"in {self.runs_text(self.held_runs[probe.key])}"
        )
        if event.chance < 1:
            return [
                f"{held}, but {chance} never came up "
                f"(about {turns * event.chance:.2g} firings expected)"
            ]
        return [f"{held} (sampled after that turn's other events), yet it never fired"]

    def answer(self, event_id: str, answer_id: str) -> list[str]:
        event = next(e for e in self.s.events if e.id == event_id)
        prefix = f"event:{event_id}:"
        counts = {
            key.removeprefix(prefix): n for key, n in self.answers.items() if key.startswith(prefix)
        }
        total = sum(counts.values())
        chosen = ", ".join(
            f"`{a}` {_pct(n / total)}"
            for a, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        )
        why = f"no bot picks it (bots chose {chosen})" if total else "no bot picks it"
        default = event.default_choice
        if default is not None and default.id == answer_id:
            why += "; it is the default, what doing nothing means"
        return [why]

    def introduction(self, person_id: str) -> list[str]:
        person = next(p for p in self.s.customer.people if p.id == person_id)
        if not person.present and person_id not in self.present:
            joins = self.joins.get(person_id, [])
            if not joins:
                return [f"`{person_id}` never arrives: no `join` effect brings them in"]
            if self.unreached(joins):
                return [
                    f"`{person_id}` never arrives: only {_either(joins)} brings them in, "
                    f"{_none_reached(joins)}"
                ]
            return [f"`{person_id}` never arrived in any run"]
        reasons: list[str] = []
        options = introducers(self.s, person_id)
        intro = self.s.introductions
        threshold = (
            person.intro_trust if person.intro_trust is not None else self.s.dynamics.intro_trust
        )
        if intro.cost > self.s.time_budget + 1e-9:
            reasons.append(
                f"an introduction costs {self.time(intro.cost)} but a turn has "
                f"{self.time(self.s.time_budget)}"
            )
        elif not options:
            reasons.append("nobody can introduce them (no `introduced_by`, manager or reports)")
        elif not self.met & set(options):
            word = "introducer" if len(options) == 1 else "introducers"
            verb = "was" if len(options) == 1 else "were"
            reasons.append(f"their {word} ({_ids(options)}) {verb} never met in any run")
        elif self.open_runs[f"intro:{person_id}"]:
            runs = self.runs_text(self.open_runs[f"intro:{person_id}"])
            reasons.append(f"the introduction was open in {runs}, but no bot asked for it")
        else:
            best = self.intro_best.get(person_id)
            seen = (
                f" (best seen {best[0]:.2f}, by {best[1]}: `{best[2]}`'s trust in `{best[3]}`)"
                if best
                else ""
            )
            reasons.append(f"no introducer reached trust {threshold:.2f}{seen}")
        others = self.introduces.get(person_id, [])
        if others and self.unreached(others):
            reasons.append(f"{_either(others)} also introduces them, {_none_reached(others)}")
        return reasons


def explain(scenario: Scenario, runs: Runs) -> list[Unreachable]:
    """Everything no run reached, each with its reasons: actions never used, events that
    never fired, answers (of events that fired) never chosen, and customer people never
    met. `runs` holds, for each bot, each run's reached set and trace."""
    why = _Explainer(scenario, runs)
    found: list[Unreachable] = []
    for action in scenario.actions:
        if f"action:{action.id}" not in why.reached:
            found.append(Unreachable("action", action.id, tuple(why.action(action.id))))
    for event in scenario.events:
        if f"event:{event.id}" not in why.reached:
            found.append(Unreachable("event", event.id, tuple(why.event(event.id))))
            continue
        for choice in event.choices:
            if f"event:{event.id}:{choice.id}" not in why.reached:
                reasons = tuple(why.answer(event.id, choice.id))
                found.append(Unreachable("answer", choice.id, reasons, event.id))
    for person in scenario.customer.people:
        if person.id not in why.met and not person.met:
            found.append(Unreachable("introduction", person.id, tuple(why.introduction(person.id))))
    return found
