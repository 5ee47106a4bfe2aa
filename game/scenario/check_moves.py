"""Checks of a scenario's moves and events, introductions, lessons and calendar: what a
turn can pay for, and how many moves a game or a turn can hold."""

from __future__ import annotations

import datetime as dt
import math

from game.scenario.check_conditions import ConditionChecks
from game.scenario.check_context import TEXT_CODES, rule
from game.scenario.check_effects import EffectChecks
from game.scenario.check_texts import ACTION_TEXT, INTRODUCTION_TEXT
from game.scenario.contract_checks import contract_problems
from game.scenario.lesson_metrics import METRICS, PREFIX_KINDS, PREFIXED, split_metric
from game.scenario.models import (
    MAX_MOVES,
    MAX_MOVES_PER_TURN,
    Behaviour,
)
from game.scenario.pydantic_errors import Loc, dotted
from game.scenario.suggest import did_you_mean


class MoveChecks(EffectChecks, ConditionChecks):
    """Actions, events, introductions, lessons, the calendar and the size of a turn."""

    @rule(
        "R301",
        "R308",
        "R401",
        "R402",
        "R403",
        "R404",
        "R405",
        "R406",
        "R407",
        "R501",
        "R504",
        "R505",
        "R506",
        "R507",
    )
    def check_actions(self) -> None:
        s = self.scenario
        for index, action in enumerate(s.actions):
            base: Loc = ("actions", index)
            has_target = action.targets != "none"
            fills = ACTION_TEXT if has_target else ACTION_TEXT - {"target"}
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

    @rule(
        "R301",
        "R306",
        "R307",
        "R308",
        "R401",
        "R402",
        "R403",
        "R404",
        "R405",
        "R406",
        "R407",
        "R501",
        "R502",
        "R504",
        "R505",
        "R506",
        "R507",
        "R509",
    )
    def check_events(self) -> None:
        for index, event in enumerate(self.scenario.events):
            base: Loc = ("events", index)
            fills = ACTION_TEXT if event.target is not None else ACTION_TEXT - {"target"}
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

    @rule("R504", *TEXT_CODES)
    def check_introductions(self) -> None:
        intro = self.scenario.introductions
        why = "introductions fill only {introducer}, {target} and {actor}"
        self.check_template(("introductions", "label"), intro.label, INTRODUCTION_TEXT, why)
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

    @rule("R301", "R309", "R510")
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

    @rule("R310")
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

    @rule("R209")
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

    @rule("R311")
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

    @rule("R312")
    def check_contract(self) -> None:
        for where, code, message in contract_problems(self.scenario):
            self.report(where, code, message)
