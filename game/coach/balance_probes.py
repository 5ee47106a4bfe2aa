"""What a balance run watches and what the scenario says about it: the conditions
watched (each split into parts), a run's trace, the unreached parts found, and what
the scenario shows statically (who can be introduced, which flags are set, facts
for the interval analysis)."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from game.scenario.condition_analysis import Facts, Span
from game.scenario.condition_tree import (
    Call,
    Compare,
    Comparison,
    Const,
    Logic,
    Name,
    Node,
    Unary,
    walk,
)
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
    tree: Node
    check: CompiledCondition
    measure: CompiledCondition | None
    """For a comparison with a number, the other side, whose values a run records."""
    op: Comparison | None
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


_FLIP: dict[Comparison, Comparison] = {
    "<": ">",
    "<=": ">=",
    ">": "<",
    ">=": "<=",
    "==": "==",
    "!=": "!=",
}


def _number(node: Node) -> float | None:
    if isinstance(node, Const):
        value = node.value
        return (
            float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
        )
    if isinstance(node, Unary) and node.op == "-" and (inner := _number(node.operand)) is not None:
        return -inner
    return None


def _part(key: str, tree: Node) -> Part | None:
    source = tree.text
    try:
        check = compile_condition(source)
    except ConditionError:
        return None
    measure = op = bound = None
    if isinstance(tree, Compare) and len(tree.ops) == 1:
        left, right, kind = tree.left, tree.rights[0], tree.ops[0]
        if _number(left) is not None and _number(right) is None:
            left, right, kind = right, left, _FLIP[kind]
        bound = _number(right)
        if bound is not None and _number(left) is None:
            try:
                measure, op = compile_condition(left.text), kind
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
    conjuncts = tree.values if isinstance(tree, Logic) and tree.op == "and" else (tree,)
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


def _calls(tree: Node) -> Iterator[tuple[str, str]]:
    """(function, first id) for every call in a condition."""
    for node in walk(tree):
        if isinstance(node, Call):
            yield node.function, node.args[0]


def _names(tree: Node) -> set[str]:
    """The names a condition reads (not the ids given to its functions)."""
    return {node.name for node in walk(tree) if isinstance(node, Name)}


# --------------------------------------------------------------------------- wording
