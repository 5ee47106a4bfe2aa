"""What every check of a scenario shares: the scenario and its source, the problems found
so far, the ids it defines, and what the analysis of reach and conditions has learned."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from game.scenario.codes import severity_of
from game.scenario.condition_analysis import Facts, Span
from game.scenario.conditions import (
    MILESTONES,
    CompiledCondition,
    ConditionError,
    Reference,
    compile_condition,
)
from game.scenario.models import (
    FIRM,
    Effect,
    Scenario,
)
from game.scenario.problems import Problem
from game.scenario.pydantic_errors import Loc, dotted
from game.scenario.suggest import did_you_mean
from game.scenario.yaml_source import YamlSource


@dataclass(frozen=True)
class Rule:
    """One of the validator's rules: a check of the scenario, the codes it can report,
    and its stage (0 and 1 gather what later rules need; 2 reports)."""

    name: str
    codes: tuple[str, ...]
    stage: int
    check: Callable[[Any], None]


#: What a text's check reports (`check_template`), and a condition's (`check_condition`).
TEXT_CODES = ("R308", "R505", "R506")
CONDITION_CODES = (
    "R301",
    "R401",
    "R402",
    "R403",
    "R404",
    "R405",
    "R406",
    "R407",
    "R501",
    "R502",
    "R507",
)
#: What an effect's check reports (`check_effect`), the ids it names apart.
EFFECT_CODES = ("R306", "R307", "R509")

#: Every rule, in the order its topic module defines it (`Checker.run` runs them by
#: stage, then in this order).
RULES: list[Rule] = []

Check = TypeVar("Check", bound=Callable[..., None])


def rule(*codes: str, stage: int = 2) -> Callable[[Check], Check]:
    """Register a check method as a rule that reports `codes` (see `game.scenario.codes`)."""

    def register(check: Check) -> Check:
        RULES.append(Rule(check.__name__, codes, stage, check))
        return check

    return register


@dataclass
class Ids:
    """The ids a scenario defines, by kind, and the flags its effects set."""

    supplier: set[str]
    customer: set[str]
    competitors: set[str]
    competitor_people: set[str]
    events: set[str]
    flags_set: set[str] = field(default_factory=set)

    @property
    def trusted(self) -> set[str]:
        """Who a customer person can trust: supplier people, the firm, competitor reps."""
        return self.supplier | self.competitor_people | {FIRM}

    def kind_of(self, value: str) -> str | None:
        """What `value` names in this scenario, in words, if anything."""
        if value in self.customer:
            return "a customer person"
        if value in self.supplier:
            return "a supplier person (on your side)"
        if value in self.competitors:
            return "a competitor"
        if value in self.competitor_people:
            return "a competitor's rep"
        if value == FIRM:
            return "your firm"
        if value in self.events:
            return "an event"
        return None


class CheckContext:
    """The state of one validation, and the helpers every topic's checks use."""

    def __init__(
        self, scenario: Scenario, source: YamlSource, name: str, folder: Path | None = None
    ) -> None:
        self.scenario = scenario
        self.source = source
        self.name = name
        self.folder = folder
        self.problems: list[Problem] = []
        self.ids = Ids(
            supplier={p.id for p in scenario.supplier.people},
            customer={p.id for p in scenario.customer.people},
            competitors={c.id for c in scenario.competitors},
            competitor_people={p.id for c in scenario.competitors for p in c.people},
            events={e.id for e in scenario.events},
        )
        self.flag_kinds: dict[str, frozenset[str]] = {}
        self.reachable: set[str] = set()
        self.never_fire: set[str] = set()

    def report(self, path: Loc, code: str, message: str, col_offset: int = 0) -> None:
        position = self.source.locate(path)
        col = position.col
        if col_offset and not position.multiline and position.style not in ("|", ">"):
            col += col_offset + (1 if position.style in ('"', "'") else 0)
        self.problems.append(
            Problem(self.name, position.line, col, message, severity_of(code), code)
        )

    def expect(self, path: Loc, value: str, allowed: set[str], what: str) -> bool:
        if value in allowed:
            return True
        self.report(path, "R301", f"{dotted(path)}: {self.unknown(value, allowed, what)}")
        return False

    def unknown(self, value: str, allowed: set[str], what: str) -> str:
        """`unknown customer person 'x' (did you mean 'y'?)`, or, for an id of the wrong
        kind, what it is instead."""
        kind = self.ids.kind_of(value)
        if kind is not None:
            return f"'{value}' is {kind}, not a {what}"
        return f"unknown {what} '{value}'{did_you_mean(value, allowed)}"

    def time(self, amount: float) -> str:
        unit = self.scenario.time_unit
        return f"{amount:g} {unit}" if unit else f"{amount:g}"

    def facts(self, references: tuple[Reference, ...], *, events: bool = True) -> Facts:
        """What the condition analysis may assume about this scenario (with `events`,
        also that the events found never to fire never do)."""
        s = self.scenario
        unit = Span(0.0, 1.0)
        names = {
            "turn": Span(1, s.turns),
            "turns": Span(s.turns, s.turns),
            "time_left": Span(0, s.time_budget),
            "satisfaction": unit,
            "reliability": unit,
            "share": unit,
            "company_loyalty": unit,
            "revenue": Span(0, math.inf),
            "sales": Span(s.account.sales_before, math.inf),
            "promises_kept": Span(0, math.inf),
            "promises_broken": Span(0, math.inf),
            "defections": Span(0, len(s.customer.people)),
        }
        never = {("met", p.id) for p in s.customer.people if p.id not in self.reachable}
        never |= {
            ("flag", r.value)
            for r in references
            if r.kind == "flag" and r.value not in self.ids.flags_set
        }
        if events:
            never |= {("fired", event_id) for event_id in self.never_fire}
        return Facts(names, frozenset(never))

    def allowed_ids(self) -> dict[str, set[str]]:
        return {
            "customer": self.ids.customer,
            "supplier": self.ids.trusted,
            "milestone": set(MILESTONES),
            "event": self.ids.events,
        }

    def references_known(self, compiled: CompiledCondition) -> bool:
        allowed = self.allowed_ids()
        return all(r.kind == "flag" or r.value in allowed[r.kind] for r in compiled.references)

    def introducers(self, person_id: str) -> set[str]:
        """Who can introduce the supplier to `person_id` (explicit, or manager and reports)."""
        person = next(p for p in self.scenario.customer.people if p.id == person_id)
        if person.introduced_by is not None:
            return set(person.introduced_by)
        found = {person.reports_to} if person.reports_to else set()
        found |= {p.id for p in self.scenario.customer.people if p.reports_to == person_id}
        return found

    def flags_read(self) -> set[str]:
        """Every flag some condition or lesson reads."""
        read: set[str] = set()
        sources = [a.when for a in self.scenario.actions] + [e.when for e in self.scenario.events]
        for source in sources:
            if source:
                try:
                    compiled = compile_condition(source)
                except ConditionError:
                    continue
                read |= {r.value for r in compiled.references if r.kind == "flag"}
        read |= {
            lesson.metric.removeprefix("flag.")
            for lesson in self.scenario.lessons
            if lesson.metric.startswith("flag.")
        }
        return read

    def all_effects(self) -> Iterator[tuple[Loc, Effect, bool]]:
        for index, action in enumerate(self.scenario.actions):
            yield from _walk(
                ("actions", index, "effects"), action.effects, action.targets != "none"
            )
        for index, event in enumerate(self.scenario.events):
            has_target = event.target is not None
            yield from _walk(("events", index, "effects"), event.effects, has_target)
            for c_index, choice in enumerate(event.choices):
                path = ("events", index, "choices", c_index, "effects")
                yield from _walk(path, choice.effects, has_target)


def _walk(path: Loc, effects: list[Effect], has_target: bool) -> Iterator[tuple[Loc, Effect, bool]]:
    for index, effect in enumerate(effects):
        yield (*path, index), effect, has_target
        if effect.promise:
            yield from _walk((*path, index, "promise", "kept"), effect.promise.kept, has_target)
            yield from _walk((*path, index, "promise", "broken"), effect.promise.broken, has_target)


def _lead(source: str) -> int:
    return len(source) - len(source.lstrip())
