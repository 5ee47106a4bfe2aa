"""Checks of a scenario's conditions: they compile, name what exists, have the right
types and can be true; which events can never fire; which flags are set and read."""

from __future__ import annotations

from game.scenario.check_context import CheckContext, _lead, rule
from game.scenario.condition_analysis import can_be_true
from game.scenario.conditions import (
    NUMBER,
    TEXT,
    CompiledCondition,
    ConditionError,
    check_types,
    compile_condition,
)
from game.scenario.models import (
    Event,
)
from game.scenario.pydantic_errors import Loc, dotted
from game.scenario.suggest import did_you_mean


class ConditionChecks(CheckContext):
    """Conditions, flags and the events that never fire."""

    @rule(stage=0)
    def flags_set(self) -> None:
        for _path, effect, _has_target in self.all_effects():
            if effect.flag:
                self.ids.flags_set.update(effect.flag)
                for flag, value in effect.flag.items():
                    kind = TEXT if isinstance(value, str) else NUMBER
                    self.flag_kinds[flag] = self.flag_kinds.get(flag, frozenset()) | {kind}

    @rule(stage=1)
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
