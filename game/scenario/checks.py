"""Checks beyond types: ids that must exist, conditions that must compile and make
sense, people who must be reachable, costs a turn can pay, texts whose
placeholders can be filled. Each finding is a located :class:`Problem` with its
code (see `game.scenario.codes`)."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from game.scenario.codes import severity_of
from game.scenario.condition_analysis import Facts, Span, can_be_true
from game.scenario.conditions import (
    MILESTONES,
    NUMBER,
    TEXT,
    CompiledCondition,
    ConditionError,
    Reference,
    check_types,
    compile_condition,
)
from game.scenario.contract_checks import contract_problems
from game.scenario.lesson_metrics import METRICS, PREFIX_KINDS, PREFIXED, split_metric
from game.scenario.models import (
    FIRM,
    MAX_MOVES,
    MAX_MOVES_PER_TURN,
    RESERVED_IDS,
    Action,
    Behaviour,
    Effect,
    Event,
    Lesson,
    Scenario,
)
from game.scenario.problems import Problem
from game.scenario.pydantic_errors import Loc, dotted
from game.scenario.suggest import did_you_mean
from game.scenario.yaml_source import YamlSource

PLACEHOLDERS = frozenset({"actor", "target", "introducer", "customer", "supplier"})
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
#: What the game fills in each kind of text (everything else stays as written).
_ACTION_TEXT = frozenset({"actor", "target", "customer", "supplier"})
_INTRODUCTION_TEXT = frozenset({"introducer", "target", "actor"})


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
        self.flag_kinds: dict[str, frozenset[str]] = {}
        self.reachable: set[str] = set()
        self.never_fire: set[str] = set()

    # ----------------------------------------------------------------- reporting

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

    # ----------------------------------------------------------------- checks

    def run(self) -> list[Problem]:
        self.check_ids()
        self.check_people()
        self.check_trust()
        self.check_competitors()
        self.flags_set()
        self.check_reachable()
        self.find_events_that_never_fire()
        self.check_actions()
        self.check_events()
        self.check_introductions()
        self.check_lessons()
        self.check_no_effect()
        self.check_calendar()
        self.check_moves()
        self.check_moves_per_turn()
        for where, code, message in contract_problems(self.scenario):
            self.report(where, code, message)
        return self.problems

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

    def check_ids(self) -> None:
        s = self.scenario
        seen: dict[str, tuple[str, Loc]] = {}
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
                        path,
                        "R302",
                        f"{dotted(path)}: '{item.id}' is a reserved word; pick another id",
                    )
                elif item.id in seen:
                    first, first_path = seen[item.id]
                    line = self.source.locate(first_path).line
                    self.report(
                        path,
                        "R303",
                        f"{dotted(path)}: id '{item.id}' is already used by {first} "
                        f"(line {line}): give one of them another id",
                    )
                else:
                    seen[item.id] = (dotted(path[:-1]), path)
        for index, action in enumerate(s.actions):
            if action.id in ("end", "event", "intro"):
                self.report(
                    ("actions", index, "id"),
                    "R302",
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
                        (kind, index, "id"),
                        "R303",
                        f"{kind}[{index}].id: '{item.id}' is used twice",
                    )
                names.add(item.id)
        for index, event in enumerate(s.events):
            choice_ids: set[str] = set()
            for c_index, choice in enumerate(event.choices):
                if choice.id in choice_ids or choice.id == "end":
                    path = ("events", index, "choices", c_index, "id")
                    self.report(
                        path, "R303", f"{dotted(path)}: choice id '{choice.id}' is used twice"
                    )
                choice_ids.add(choice.id)

    def check_people(self) -> None:
        s = self.scenario
        if not s.player.active:
            self.report(
                ("supplier", "people"), "R305", "supplier.people: the player's rep must be active"
            )
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
        self.check_reporting_loops(managers)
        for index, person in enumerate(s.customer.people):
            if person.met and not person.present:
                path = ("customer", "people", index, "met")
                self.report(
                    path,
                    "R305",
                    f"{dotted(path)}: '{person.id}' is not `present` at the start, and people "
                    "who arrive later arrive unmet",
                )
        if not any(p.met and p.present for p in s.customer.people):
            self.report(
                ("customer", "people"),
                "R305",
                "customer.people: nobody is `met: true`, so the player has no one to talk to",
            )
        if sum(p.influence for p in s.customer.people) <= 0:
            self.report(
                ("customer", "people"), "R305", "customer.people: give someone influence above 0"
            )

    def check_reporting_loops(self, managers: dict[str, str]) -> None:
        """One problem per loop of reporting lines, naming everyone in it."""
        index_of = {p.id: i for i, p in enumerate(self.scenario.customer.people)}
        done: set[str] = set()
        for person in self.scenario.customer.people:
            walk: list[str] = []
            current: str | None = person.id
            while current is not None and current not in done and current not in walk:
                walk.append(current)
                current = managers.get(current)
            done.update(walk)
            if current is None or current not in walk:
                continue  # reached the top, or a chain already looked at
            loop = walk[walk.index(current) :]
            first = min(loop, key=index_of.__getitem__)
            start = loop.index(first)
            loop = loop[start:] + loop[:start]
            path = ("customer", "people", index_of[first], "reports_to")
            if len(loop) == 1:
                text = f"'{first}' reports to themselves"
            else:
                chain = " → ".join([*loop, first])
                text = f"reporting lines go round in a circle: {chain} (each reports to the next)"
            self.report(path, "R304", f"{dotted(path)}: {text}")

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
                    "R303",
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
                for flag, value in effect.flag.items():
                    kind = TEXT if isinstance(value, str) else NUMBER
                    self.flag_kinds[flag] = self.flag_kinds.get(flag, frozenset()) | {kind}

    def check_actions(self) -> None:
        s = self.scenario
        for index, action in enumerate(s.actions):
            base: Loc = ("actions", index)
            if isinstance(action.by, list):
                for i, who in enumerate(action.by):
                    self.expect((*base, "by", i), who, self.ids.supplier, "supplier person")
            if isinstance(action.targets, list):
                for i, who in enumerate(action.targets):
                    self.expect((*base, "targets", i), who, self.ids.customer, "customer person")
            has_target = action.targets != "none"
            fills = _ACTION_TEXT if has_target else _ACTION_TEXT - {"target"}
            why = "this action has no target person: `targets: none`"
            self.check_template((*base, "label"), action.label, fills, why)
            self.check_template((*base, "description"), action.description, frozenset(), "")
            if action.when:
                self.check_condition((*base, "when"), action.when)
            if action.cost > s.time_budget:
                self.report(
                    (*base, "cost"),
                    "R504",
                    f"{dotted((*base, 'cost'))}: '{action.id}' costs {self.time(action.cost)}, "
                    f"but a turn has only {self.time(s.time_budget)} (time_budget), so it can "
                    "never be used",
                )

    def time(self, amount: float) -> str:
        unit = self.scenario.time_unit
        return f"{amount:g} {unit}" if unit else f"{amount:g}"

    def find_events_that_never_fire(self) -> None:
        """Events whose chance is 0, or whose condition can never hold, or waits on an
        event that never fires."""
        compiled: dict[str, CompiledCondition] = {}
        for event in self.scenario.events:
            if event.when:
                try:
                    compiled[event.id] = compile_condition(event.when)
                except ConditionError:
                    continue
        events = {event.id: event for event in reversed(self.scenario.events)}
        waiting: dict[str, set[str]] = {}
        for event_id, condition in compiled.items():
            for ref in condition.references:
                if ref.kind == "event":
                    waiting.setdefault(ref.value, set()).add(event_id)
        # Each event is looked at once, and again only when one it waits on never fires.
        queue = list(events)
        while queue:
            event_id = queue.pop()
            if event_id in self.never_fire:
                continue
            event = events[event_id]
            when = compiled.get(event_id)
            never = event.chance <= 0 or (
                when is not None
                and self.references_known(when)
                and not can_be_true(when.tree, self.facts(when.references))
            )
            if never:
                self.never_fire.add(event_id)
                queue.extend(waiting.get(event_id, ()))

    def references_known(self, compiled: CompiledCondition) -> bool:
        allowed = self.allowed_ids()
        return all(r.kind == "flag" or r.value in allowed[r.kind] for r in compiled.references)

    def allowed_ids(self) -> dict[str, set[str]]:
        return {
            "customer": self.ids.customer,
            "supplier": self.ids.trusted,
            "milestone": set(MILESTONES),
            "event": self.ids.events,
        }

    def check_events(self) -> None:
        for index, event in enumerate(self.scenario.events):
            base: Loc = ("events", index)
            if event.actor != "player":
                self.expect((*base, "actor"), event.actor, self.ids.supplier, "supplier person")
            if event.target is not None:
                self.expect((*base, "target"), event.target, self.ids.customer, "customer person")
            fills = _ACTION_TEXT if event.target is not None else _ACTION_TEXT - {"target"}
            why = "this event has no `target`"
            self.check_template((*base, "text"), event.text, fills, why)
            self.check_template((*base, "title"), event.title, frozenset(), "")
            if event.when:
                self.check_condition((*base, "when"), event.when, event=event)
            if event.chance <= 0:
                self.report(
                    (*base, "chance"),
                    "R502",
                    f"{dotted((*base, 'chance'))}: '{event.id}' has chance 0, so it never fires",
                )
            budget = self.scenario.time_budget
            for c_index, choice in enumerate(event.choices):
                path = (*base, "choices", c_index)
                self.check_template((*path, "label"), choice.label, fills, why)
                if choice.cost > budget:
                    self.report(
                        (*path, "cost"),
                        "R504",
                        f"{dotted((*path, 'cost'))}: answer '{choice.id}' costs "
                        f"{self.time(choice.cost)}, more than a whole turn's "
                        f"{self.time(budget)} (time_budget)",
                    )
        for path, effect, has_target in self.all_effects():
            self.check_effect(path, effect, has_target)

    def check_introductions(self) -> None:
        intro = self.scenario.introductions
        why = "introductions fill only {introducer}, {target} and {actor}"
        self.check_template(("introductions", "label"), intro.label, _INTRODUCTION_TEXT, why)
        budget = self.scenario.time_budget
        needs_one = any(not p.met for p in self.scenario.customer.people)
        if intro.cost > budget and needs_one:
            path = ("introductions", "cost")
            self.report(
                path,
                "R504",
                f"{dotted(path)}: an introduction costs {self.time(intro.cost)}, but a turn has "
                f"only {self.time(budget)} (time_budget), so nobody can be introduced",
            )

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
                    "R309",
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
                    "R510",
                    f"{dotted(path)}: no bot file '{name}' in {self.folder} "
                    "(`rapport balance` needs it to check this lesson)",
                )

    def check_reachable(self) -> None:
        """Warn about stakeholders no chain of introductions can ever reach, and people
        who are not there at the start and whom nothing brings in."""
        s = self.scenario
        joined = {e.join for _path, e, _t in self.all_effects() if e.join}
        absent = {p.id for p in s.customer.people if not p.present and p.id not in joined}
        self.reachable = reachable = {p.id for p in s.customer.people if p.met}
        reachable |= {e.introduce for _path, e, _t in self.all_effects() if e.introduce}
        reachable -= absent
        introducers = {p.id: self.introducers(p.id) for p in s.customer.people}
        changed = True
        while changed:
            changed = False
            for person_id, candidates in introducers.items():
                if person_id in reachable or person_id in absent:
                    continue
                if candidates & reachable:
                    reachable.add(person_id)
                    changed = True
        for index, person in enumerate(s.customer.people):
            if person.id in absent:
                self.report(
                    ("customer", "people", index, "present"),
                    "R503",
                    f"customer.people[{index}]: '{person.id}' is not `present` at the start, "
                    "and no `join` effect brings them in",
                )
            elif person.id not in reachable:
                self.report(
                    ("customer", "people", index, "id"),
                    "R503",
                    f"customer.people[{index}]: no chain of introductions reaches '{person.id}'",
                )
        for index, member in enumerate(s.supplier.people):
            if not member.active and not member.player and member.id not in joined:
                self.report(
                    ("supplier", "people", index, "active"),
                    "R503",
                    f"supplier.people[{index}]: '{member.id}' is not `active` at the start, "
                    "and no `join` effect brings them onto the team",
                )

    def introducers(self, person_id: str) -> set[str]:
        """Who can introduce the supplier to `person_id` (explicit, or manager and reports)."""
        person = next(p for p in self.scenario.customer.people if p.id == person_id)
        if person.introduced_by is not None:
            return set(person.introduced_by)
        found = {person.reports_to} if person.reports_to else set()
        found |= {p.id for p in self.scenario.customer.people if p.reports_to == person_id}
        return found

    def check_calendar(self) -> None:
        calendar = self.scenario.calendar
        try:
            calendar.start + dt.timedelta(days=calendar.days_per_turn * self.scenario.turns)
        except OverflowError:
            self.report(
                ("calendar", "start"),
                "R310",
                f"calendar.start: {self.scenario.turns} turns of {calendar.days_per_turn} days "
                f"from {calendar.start} run past the last date Rapport can show (9999-12-31)",
            )

    def check_moves(self) -> None:
        """Refuse a scenario that would offer more moves than a game can list."""
        s = self.scenario
        team, customers = len(s.supplier.people), len(s.customer.people)
        total = 0
        for action in s.actions:
            actors = 1 if action.by == "player" else team if action.by == "team" else len(action.by)
            targets = (
                1
                if action.targets == "none"
                else customers
                if action.targets == "stakeholders"
                else len(action.targets)
            )
            total += actors * targets
        if total > MAX_MOVES:
            self.report(
                ("actions",),
                "R209",
                f"actions: these actions make {total:,} moves (each action for each of its "
                f"people and targets); at most {MAX_MOVES:,}",
            )

    def check_moves_per_turn(self) -> None:
        """Refuse a scenario whose turns could hold so many moves that a bot never ends
        one: free actions used `per_turn` times on every target, or costs so small that
        the time budget pays for hundreds of moves."""
        s = self.scenario
        people = len(s.customer.people)
        free = paid = 0
        cheapest = math.inf
        for action in s.actions:
            if action.targets == "none":
                targets = 1
            elif action.targets == "stakeholders":
                targets = people
            else:
                targets = len(set(action.targets))
            uses = action.per_turn * targets
            if action.cost > 0:
                paid += uses
                cheapest = min(cheapest, action.cost)
            else:
                free += uses
        if paid and cheapest < math.inf:
            affordable = s.time_budget / cheapest + 1e-9  # inf for a subnormal cost
            if affordable < paid:
                paid = math.floor(affordable)
        answers = sum(1 for event in s.events if event.choices)
        total = free + paid + people + answers + 1
        if total > MAX_MOVES_PER_TURN:
            self.report(
                ("actions",),
                "R311",
                f"actions: one turn could hold up to {total:,} moves (actions that cost "
                f"nothing used `per_turn` times on every target, or costs so small that "
                f"time_budget pays for that many); at most {MAX_MOVES_PER_TURN}: give moves "
                "a cost, or lower `per_turn`",
            )

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
        fills = _ACTION_TEXT if has_target else _ACTION_TEXT - {"target"}
        why = "this action or event has no target person"
        if effect.trust or effect.promise:
            change = effect.trust or effect.promise
            assert change is not None
            self.check_who((*path, kind, "who"), change.who, has_target)
            if change.to not in ("actor", "player"):
                self.expect(
                    (*path, kind, "to"), change.to, ids.supplier | {FIRM}, "supplier person"
                )
            if effect.promise:
                self.check_template((*path, "promise", "what"), effect.promise.what, fills, why)
        elif effect.introduce:
            self.expect((*path, "introduce"), effect.introduce, ids.customer, "customer person")
        elif effect.leave:
            self.check_leave(path, effect)
        elif effect.join:
            self.check_join(path, effect.join)
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
            self.check_template((*path, "log"), effect.log, fills, why)

    def check_leave(self, path: Loc, effect: Effect) -> None:
        ids = self.ids
        assert effect.leave is not None
        where = (*path, "leave", "who")
        who = effect.leave.who
        known = self.expect(where, who, ids.supplier | ids.customer, "supplier or customer person")
        if known and who == self.scenario.player.id:
            self.report(where, "R307", f"{dotted(where)}: the player's own rep cannot leave")
        if effect.leave.to is not None:
            to_path = (*path, "leave", "to")
            self.expect(to_path, effect.leave.to, ids.competitors, "competitor")
            if who in ids.customer:
                self.report(
                    to_path,
                    "R307",
                    f"{dotted(to_path)}: '{who}' is a customer person: one who leaves retires "
                    "or moves on, taking every bit of trust they held but no business; drop "
                    "`to`, and use an `offer` effect to let a competitor win business",
                )

    def check_join(self, path: Loc, join: str) -> None:
        ids = self.ids
        where = (*path, "join")
        if not self.expect(where, join, ids.supplier | ids.customer, "supplier or customer person"):
            return
        if join in ids.customer:
            stakeholder = next(p for p in self.scenario.customer.people if p.id == join)
            already, fix = stakeholder.present, "give them `present: false`"
        else:
            member = next(p for p in self.scenario.supplier.people if p.id == join)
            already, fix = member.active, "give them `active: false`"
        if already:
            self.report(
                where,
                "R509",
                f"{dotted(where)}: '{join}' is already there at the start; {fix}",
            )

    def check_who(self, path: Loc, who: str | list[str], has_target: bool) -> None:
        for index, item in enumerate([who] if isinstance(who, str) else who):
            item_path = path if isinstance(who, str) else (*path, index)
            if item == "target" and not has_target:
                self.report(
                    item_path,
                    "R306",
                    f"{dotted(item_path)}: 'target' names nobody here (this "
                    "action or event has no target person)",
                )
            elif item not in ("target", "all"):
                self.expect(item_path, item, self.ids.customer, "customer person")

    # ----------------------------------------------------------------- text and conditions

    def check_template(self, path: Loc, text: str, fills: frozenset[str], why: str) -> None:
        """Unknown placeholders (errors), and known ones the game cannot fill in this
        text or a `{` never closed (warnings)."""
        for match in _PLACEHOLDER.finditer(text):
            name = match.group(1)
            if name not in PLACEHOLDERS:
                self.report(
                    path,
                    "R308",
                    f"{dotted(path)}: unknown placeholder '{{{name}}}'"
                    f"{did_you_mean(name, PLACEHOLDERS)}; use "
                    + ", ".join(f"{{{p}}}" for p in sorted(PLACEHOLDERS)),
                    col_offset=match.start(),
                )
            elif name not in fills:
                reason = why or "the game shows this text as written"
                if name == "introducer" and why:
                    reason = "only an introduction's label has an introducer"
                self.report(
                    path,
                    "R505",
                    f"{dotted(path)}: '{{{name}}}' cannot be filled here ({reason}), so "
                    "it would show as written",
                    col_offset=match.start(),
                )
        for index in _unclosed_braces(text):
            self.report(
                path,
                "R506",
                f"{dotted(path)}: this `{{` is never closed (write {{target}}, not "
                "{target); a text that needs a lone brace cannot have one)",
                col_offset=index,
            )

    def check_condition(self, path: Loc, source: str, event: Event | None = None) -> None:
        try:
            compiled = compile_condition(source)
        except ConditionError as error:
            self.report(
                path,
                error.code,
                f"{dotted(path)}: {error}",
                col_offset=error.offset + _lead(source),
            )
            return
        allowed = self.allowed_ids()
        unknown = False
        for ref in compiled.references:
            offset = ref.offset + _lead(source)
            if ref.kind == "flag":
                if ref.value not in self.ids.flags_set:
                    self.report(
                        path,
                        "R507",
                        f"{dotted(path)}: flag '{ref.value}' is never set by any "
                        f"effect{did_you_mean(ref.value, self.ids.flags_set)}",
                        offset,
                    )
                continue
            options = allowed[ref.kind]
            if ref.value not in options:
                unknown = True
                what = {"customer": "customer person", "supplier": "supplier person"}.get(
                    ref.kind, ref.kind
                )
                message = self.unknown(ref.value, options, what)
                if ref.kind == "supplier" and ref.value in self.ids.customer:
                    message += (
                        ": active() and left() are about your own people (a customer person "
                        f"who leaves is gone once their event has fired: use fired(EVENT), "
                        f"or not met({ref.value}))"
                    )
                self.report(path, "R301", f"{dotted(path)}: {message}", col_offset=offset)
        typed = check_types(compiled.tree, self.flag_kinds)
        for mistake in typed:
            self.report(
                path,
                mistake.code,
                f"{dotted(path)}: {mistake}",
                col_offset=mistake.offset + _lead(source),
            )
        if unknown or typed:
            return
        facts = self.facts(compiled.references, events=event is None)
        if not can_be_true(compiled.tree, facts):
            self.report(
                path,
                "R501",
                f"{dotted(path)}: this condition can never be true in this "
                "scenario (check turn numbers, 0..1 ranges, flags and who can be met)",
            )
        elif event is not None and event.id in self.never_fire and event.chance > 0:
            waits = sorted(
                r.value
                for r in compiled.references
                if r.kind == "event" and r.value in self.never_fire
            )
            self.report(
                path,
                "R502",
                f"{dotted(path)}: '{event.id}' can never fire: it waits on "
                + ", ".join(f"'{w}'" for w in waits)
                + ", which never fires",
            )

    def check_no_effect(self) -> None:
        """Warn about moves and answers that change nothing a player could notice."""
        read = self.flags_read()
        for index, action in enumerate(self.scenario.actions):
            if not any(_matters(effect, read) for effect in action.effects):
                self.report(
                    ("actions", index, "effects"),
                    "R508",
                    f"actions[{index}]: '{action.id}' has "
                    "no effect on the game (only log lines or flags nothing reads)",
                )
        for index, event in enumerate(self.scenario.events):
            for c_index, choice in enumerate(event.choices):
                if choice.default or any(_matters(e, read) for e in choice.effects):
                    continue
                path = ("events", index, "choices", c_index)
                self.report(
                    path,
                    "R508",
                    f"{dotted(path)}: choice '{choice.id}' changes nothing; "
                    "mark it `default: true` if it is the do-nothing answer",
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


def _unclosed_braces(text: str) -> list[int]:
    """Where a `{` opens that no `}` closes before the next `{` or the end."""
    found = []
    opened: int | None = None
    for index, char in enumerate(text):
        if char == "{":
            if opened is not None:
                found.append(opened)
            opened = index
        elif char == "}":
            opened = None
    if opened is not None:
        found.append(opened)
    return found


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
    """Every reference, condition, reachability, cost and text problem in `scenario`.

    `folder` is where the scenario file lives, if it is a file: lessons' custom bot
    files are looked for there.
    """
    return _Checker(scenario, source, name, folder).run()
