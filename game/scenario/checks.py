"""Checks beyond types: ids that must exist, conditions that must compile, people
who must be reachable. Each finding is a located :class:`Problem`."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from game.scenario.condition_analysis import Facts, Span, can_be_true
from game.scenario.conditions import MILESTONES, ConditionError, Reference, compile_condition
from game.scenario.lesson_metrics import METRICS, PREFIX_KINDS, PREFIXED, split_metric
from game.scenario.models import (
    FIRM,
    RESERVED_IDS,
    Action,
    Behaviour,
    Effect,
    Event,
    Lesson,
    Scenario,
)
from game.scenario.problems import Problem, Severity
from game.scenario.pydantic_errors import Loc, dotted
from game.scenario.suggest import did_you_mean
from game.scenario.yaml_source import YamlSource

PLACEHOLDERS = frozenset({"actor", "target", "introducer", "customer", "supplier"})
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass
class _Ids:
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


class _Checker:
    def __init__(
        self, scenario: Scenario, source: YamlSource, name: str, folder: Path | None = None
    ) -> None:
        self.scenario = scenario
        self.source = source
        self.name = name
        self.folder = folder
        self.problems: list[Problem] = []
        self.ids = _Ids(
            supplier={p.id for p in scenario.supplier.people},
            customer={p.id for p in scenario.customer.people},
            competitors={c.id for c in scenario.competitors},
            competitor_people={p.id for c in scenario.competitors for p in c.people},
            events={e.id for e in scenario.events},
        )

    # ----------------------------------------------------------------- reporting

    def report(
        self, path: Loc, message: str, severity: Severity = "error", col_offset: int = 0
    ) -> None:
        position = self.source.locate(path)
        col = position.col
        if col_offset and not position.multiline and position.style not in ("|", ">"):
            col += col_offset + (1 if position.style in ('"', "'") else 0)
        self.problems.append(Problem(self.name, position.line, col, message, severity))

    def expect(self, path: Loc, value: str, allowed: set[str], what: str) -> bool:
        if value in allowed:
            return True
        self.report(path, f"{dotted(path)}: unknown {what} '{value}'{did_you_mean(value, allowed)}")
        return False

    # ----------------------------------------------------------------- checks

    def run(self) -> list[Problem]:
        self.check_ids()
        self.check_people()
        self.check_trust()
        self.check_competitors()
        self.flags_set()
        self.check_reachable()
        self.check_actions()
        self.check_events()
        self.check_lessons()
        self.check_no_effect()
        return self.problems

    def facts(self, references: tuple[Reference, ...]) -> Facts:
        """What the condition analysis may assume about this scenario."""
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
        return Facts(names, frozenset(never))

    def check_ids(self) -> None:
        s = self.scenario
        seen: dict[str, str] = {}
        groups: list[tuple[Loc, list]] = [
            (("supplier", "people"), s.supplier.people),
            (("customer", "people"), s.customer.people),
            (("competitors",), s.competitors),
        ]
        groups += [(("competitors", i, "people"), c.people) for i, c in enumerate(s.competitors)]
        for base, items in groups:
            for index, item in enumerate(items):
                path = (*base, index, "id")
                if item.id in RESERVED_IDS:
                    self.report(
                        path, f"{dotted(path)}: '{item.id}' is a reserved word; pick another id"
                    )
                elif item.id in seen:
                    self.report(
                        path, f"{dotted(path)}: id '{item.id}' is already used by {seen[item.id]}"
                    )
                else:
                    seen[item.id] = dotted(path[:-1])
        for index, action in enumerate(s.actions):
            if action.id in ("end", "event", "intro"):
                self.report(
                    ("actions", index, "id"),
                    f"actions[{index}].id: '{action.id}' is reserved for the game's own choices",
                )
        kinds: tuple[tuple[str, Sequence[Action | Event | Lesson]], ...] = (
            ("actions", s.actions),
            ("events", s.events),
            ("lessons", s.lessons),
        )
        for kind, records in kinds:
            names: set[str] = set()
            for index, item in enumerate(records):
                if item.id in names:
                    self.report(
                        (kind, index, "id"), f"{kind}[{index}].id: '{item.id}' is used twice"
                    )
                names.add(item.id)
        for index, event in enumerate(s.events):
            choice_ids: set[str] = set()
            for c_index, choice in enumerate(event.choices):
                if choice.id in choice_ids or choice.id == "end":
                    path = ("events", index, "choices", c_index, "id")
                    self.report(path, f"{dotted(path)}: choice id '{choice.id}' is used twice")
                choice_ids.add(choice.id)

    def check_people(self) -> None:
        s = self.scenario
        if not s.player.active:
            self.report(("supplier", "people"), "supplier.people: the player's rep must be active")
        managers: dict[str, str] = {}
        for index, person in enumerate(s.customer.people):
            base: Loc = ("customer", "people", index)
            if person.reports_to is not None and self.expect(
                (*base, "reports_to"), person.reports_to, self.ids.customer, "customer person"
            ):
                managers[person.id] = person.reports_to
            for i, introducer in enumerate(person.introduced_by or []):
                self.expect(
                    (*base, "introduced_by", i), introducer, self.ids.customer, "customer person"
                )
        for index, person in enumerate(s.customer.people):
            seen = {person.id}
            boss = managers.get(person.id)
            while boss is not None:
                if boss in seen:
                    path = ("customer", "people", index, "reports_to")
                    self.report(
                        path,
                        f"{dotted(path)}: reporting lines go round in a circle "
                        f"through '{person.id}'",
                    )
                    break
                seen.add(boss)
                boss = managers.get(boss)
        for index, person in enumerate(s.customer.people):
            if person.met and not person.present:
                path = ("customer", "people", index, "met")
                self.report(
                    path,
                    f"{dotted(path)}: '{person.id}' is not `present` at the start, and people "
                    "who arrive later arrive unmet",
                )
        if not any(p.met and p.present for p in s.customer.people):
            self.report(
                ("customer", "people"),
                "customer.people: nobody is `met: true`, so the player has no one to talk to",
            )
        if sum(p.influence for p in s.customer.people) <= 0:
            self.report(("customer", "people"), "customer.people: give someone influence above 0")

    def check_trust(self) -> None:
        seen: set[tuple[str, str]] = set()
        for index, seed in enumerate(self.scenario.trust):
            base: Loc = ("trust", index)
            self.expect((*base, "from"), seed.source, self.ids.customer, "customer person")
            self.expect(
                (*base, "to"), seed.to, self.ids.trusted, "supplier person or competitor rep"
            )
            if (seed.source, seed.to) in seen:
                self.report(
                    base,
                    f"trust[{index}]: trust from '{seed.source}' to '{seed.to}' is given twice",
                )
            seen.add((seed.source, seed.to))

    def check_competitors(self) -> None:
        for index, competitor in enumerate(self.scenario.competitors):
            for i, who in enumerate(competitor.pitches or []):
                path = ("competitors", index, "pitches", i)
                self.expect(path, who, self.ids.customer, "customer person")

    def flags_set(self) -> None:
        for _path, effect, _has_target in self.all_effects():
            if effect.flag:
                self.ids.flags_set.update(effect.flag)

    def check_actions(self) -> None:
        for index, action in enumerate(self.scenario.actions):
            base: Loc = ("actions", index)
            if isinstance(action.by, list):
                for i, who in enumerate(action.by):
                    self.expect((*base, "by", i), who, self.ids.supplier, "supplier person")
            if isinstance(action.targets, list):
                for i, who in enumerate(action.targets):
                    self.expect((*base, "targets", i), who, self.ids.customer, "customer person")
            self.check_template((*base, "label"), action.label)
            if action.when:
                self.check_condition((*base, "when"), action.when)

    def check_events(self) -> None:
        for index, event in enumerate(self.scenario.events):
            base: Loc = ("events", index)
            if event.actor != "player":
                self.expect((*base, "actor"), event.actor, self.ids.supplier, "supplier person")
            if event.target is not None:
                self.expect((*base, "target"), event.target, self.ids.customer, "customer person")
            if event.when:
                self.check_condition((*base, "when"), event.when)
            self.check_template((*base, "text"), event.text)
            self.check_template((*base, "title"), event.title)
            for c_index, choice in enumerate(event.choices):
                self.check_template((*base, "choices", c_index, "label"), choice.label)
        for path, effect, has_target in self.all_effects():
            self.check_effect(path, effect, has_target)

    def check_lessons(self) -> None:
        kinds = {
            "customer": (self.ids.customer, "customer person"),
            "competitor": (self.ids.competitors, "competitor"),
            "event": (self.ids.events, "event"),
            "flag": (self.ids.flags_set, "flag"),
            "behaviour": ({b.value for b in Behaviour}, "behaviour"),
        }
        for index, lesson in enumerate(self.scenario.lessons):
            self.check_bot_files(index)
            path = ("lessons", index, "metric")
            prefix, name = split_metric(lesson.metric)
            if name is not None:
                allowed, what = kinds[PREFIX_KINDS[prefix]]
                self.expect(path, name, allowed, what)
            elif lesson.metric not in METRICS:
                options = [*METRICS, *(p + "ID" for p in PREFIXED)]
                self.report(
                    path,
                    f"{dotted(path)}: unknown metric '{lesson.metric}'"
                    f"{did_you_mean(lesson.metric, METRICS)}; one of {', '.join(sorted(options))}",
                )

    def check_bot_files(self, index: int) -> None:
        """Warn about a lesson's custom bot file that is not there (balance needs it)."""
        if self.folder is None:
            return
        lesson = self.scenario.lessons[index]
        for key in ("bot", "above", "below"):
            name = getattr(lesson, key)
            if name and name.endswith(".py") and not (self.folder / name).is_file():
                path = ("lessons", index, key)
                self.report(
                    path,
                    f"{dotted(path)}: no bot file '{name}' in {self.folder} "
                    "(`rapport balance` needs it to check this lesson)",
                    "warning",
                )

    def check_reachable(self) -> None:
        """Warn about stakeholders no chain of introductions can ever reach."""
        s = self.scenario
        self.reachable = reachable = {p.id for p in s.customer.people if p.met}
        reachable |= {e.introduce for _path, e, _t in self.all_effects() if e.introduce}
        introducers = {p.id: self.introducers(p.id) for p in s.customer.people}
        changed = True
        while changed:
            changed = False
            for person_id, candidates in introducers.items():
                if person_id not in reachable and candidates & reachable:
                    reachable.add(person_id)
                    changed = True
        for index, person in enumerate(s.customer.people):
            if person.id not in reachable:
                self.report(
                    ("customer", "people", index, "id"),
                    f"customer.people[{index}]: no chain of introductions reaches '{person.id}'",
                    "warning",
                )

    def introducers(self, person_id: str) -> set[str]:
        """Who can introduce the supplier to `person_id` (explicit, or manager and reports)."""
        person = next(p for p in self.scenario.customer.people if p.id == person_id)
        if person.introduced_by is not None:
            return set(person.introduced_by)
        found = {person.reports_to} if person.reports_to else set()
        found |= {p.id for p in self.scenario.customer.people if p.reports_to == person_id}
        return found

    # ----------------------------------------------------------------- effects

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

    def check_effect(self, path: Loc, effect: Effect, has_target: bool) -> None:
        ids = self.ids
        kind = effect.kind
        if effect.trust or effect.promise:
            change = effect.trust or effect.promise
            assert change is not None
            self.check_who((*path, kind, "who"), change.who, has_target)
            if change.to not in ("actor", "player"):
                self.expect(
                    (*path, kind, "to"), change.to, ids.supplier | {FIRM}, "supplier person"
                )
        elif effect.introduce:
            self.expect((*path, "introduce"), effect.introduce, ids.customer, "customer person")
        elif effect.leave:
            where = (*path, "leave", "who")
            self.expect(where, effect.leave.who, ids.supplier | ids.customer, "person")
            if effect.leave.who == self.scenario.player.id:
                self.report(where, f"{dotted(where)}: the player's own rep cannot leave")
            if effect.leave.to is not None:
                self.expect((*path, "leave", "to"), effect.leave.to, ids.competitors, "competitor")
                if effect.leave.who in ids.customer:
                    self.report(
                        (*path, "leave", "to"),
                        f"{dotted((*path, 'leave', 'to'))}: a customer person who leaves "
                        "takes no business along; use an `offer` to move business",
                    )
        elif effect.join:
            where = (*path, "join")
            if self.expect(where, effect.join, ids.supplier | ids.customer, "person"):
                if effect.join in ids.customer:
                    stakeholder = next(
                        p for p in self.scenario.customer.people if p.id == effect.join
                    )
                    already, fix = stakeholder.present, "give them `present: false`"
                else:
                    member = next(p for p in self.scenario.supplier.people if p.id == effect.join)
                    already, fix = member.active, "give them `active: false`"
                if already:
                    self.report(
                        where,
                        f"{dotted(where)}: '{effect.join}' is already there at the start; {fix}",
                        "warning",
                    )
        elif effect.offer:
            self.expect(
                (*path, "offer", "competitor"),
                effect.offer.competitor,
                ids.competitors,
                "competitor",
            )
            if effect.offer.who is not None:
                self.expect(
                    (*path, "offer", "who"), effect.offer.who, ids.customer, "customer person"
                )
        elif effect.log:
            self.check_template((*path, "log"), effect.log)

    def check_who(self, path: Loc, who: str | list[str], has_target: bool) -> None:
        for index, item in enumerate([who] if isinstance(who, str) else who):
            item_path = path if isinstance(who, str) else (*path, index)
            if item == "target" and not has_target:
                self.report(
                    item_path,
                    f"{dotted(item_path)}: 'target' names nobody here (this "
                    "action or event has no target person)",
                )
            elif item not in ("target", "all"):
                self.expect(item_path, item, self.ids.customer, "customer person")

    # ----------------------------------------------------------------- text and conditions

    def check_template(self, path: Loc, text: str) -> None:
        for match in _PLACEHOLDER.finditer(text):
            name = match.group(1)
            if name not in PLACEHOLDERS:
                self.report(
                    path,
                    f"{dotted(path)}: unknown placeholder '{{{name}}}'"
                    f"{did_you_mean(name, PLACEHOLDERS)}; use "
                    + ", ".join(f"{{{p}}}" for p in sorted(PLACEHOLDERS)),
                    col_offset=match.start(),
                )

    def check_condition(self, path: Loc, source: str) -> None:
        try:
            compiled = compile_condition(source)
        except ConditionError as error:
            self.report(path, f"{dotted(path)}: {error}", col_offset=error.offset + _lead(source))
            return
        allowed = {
            "customer": self.ids.customer,
            "supplier": self.ids.trusted,
            "milestone": set(MILESTONES),
            "event": self.ids.events,
        }
        unknown = False
        for ref in compiled.references:
            offset = ref.offset + _lead(source)
            if ref.kind == "flag":
                if ref.value not in self.ids.flags_set:
                    self.report(
                        path,
                        f"{dotted(path)}: flag '{ref.value}' is never set by any "
                        f"effect{did_you_mean(ref.value, self.ids.flags_set)}",
                        "warning",
                        offset,
                    )
                continue
            options = allowed[ref.kind]
            if ref.value not in options:
                unknown = True
                what = {"customer": "customer person", "supplier": "supplier person"}.get(
                    ref.kind, ref.kind
                )
                self.report(
                    path,
                    f"{dotted(path)}: unknown {what} '{ref.value}'"
                    f"{did_you_mean(ref.value, options)}",
                    col_offset=offset,
                )
        if not unknown and not can_be_true(compiled.tree, self.facts(compiled.references)):
            self.report(
                path,
                f"{dotted(path)}: this condition can never be true in this "
                "scenario (check turn numbers, 0..1 ranges, flags and who can be met)",
                "warning",
            )

    def check_no_effect(self) -> None:
        """Warn about moves and answers that change nothing a player could notice."""
        read = self.flags_read()
        for index, action in enumerate(self.scenario.actions):
            if not any(_matters(effect, read) for effect in action.effects):
                self.report(
                    ("actions", index, "effects"),
                    f"actions[{index}]: '{action.id}' has "
                    "no effect on the game (only log lines or flags nothing reads)",
                    "warning",
                )
        for index, event in enumerate(self.scenario.events):
            for c_index, choice in enumerate(event.choices):
                if choice.default or any(_matters(e, read) for e in choice.effects):
                    continue
                path = ("events", index, "choices", c_index)
                self.report(
                    path,
                    f"{dotted(path)}: choice '{choice.id}' changes nothing; "
                    "mark it `default: true` if it is the do-nothing answer",
                    "warning",
                )

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


def _matters(effect: Effect, flags_read: set[str]) -> bool:
    if effect.log is not None:
        return False
    if effect.flag is not None:
        return bool(set(effect.flag) & flags_read)
    return True


def _walk(path: Loc, effects: list[Effect], has_target: bool) -> Iterator[tuple[Loc, Effect, bool]]:
    for index, effect in enumerate(effects):
        yield (*path, index), effect, has_target
        if effect.promise:
            yield from _walk((*path, index, "promise", "kept"), effect.promise.kept, has_target)
            yield from _walk((*path, index, "promise", "broken"), effect.promise.broken, has_target)


def _lead(source: str) -> int:
    return len(source) - len(source.lstrip())


def check_scenario(
    scenario: Scenario, source: YamlSource, name: str, folder: Path | None = None
) -> list[Problem]:
    """Every reference, condition and reachability problem in `scenario`.

    `folder` is where the scenario file lives, if it is a file: lessons' custom bot
    files are looked for there.
    """
    return _Checker(scenario, source, name, folder).run()
