"""Checks of a scenario's effects: who they name, who may leave or join, and moves or
answers that change nothing a player could notice."""

from __future__ import annotations

from game.scenario.check_context import rule
from game.scenario.check_texts import ACTION_TEXT, TextChecks
from game.scenario.models import (
    Effect,
)
from game.scenario.pydantic_errors import Loc, dotted


class EffectChecks(TextChecks):
    """Every effect of every move and answer."""

    def check_effect(self, path: Loc, effect: Effect, has_target: bool) -> None:
        """What an effect asks that cannot be (the ids it names are checked with every
        other reference, by `check_references`)."""
        kind = effect.kind
        fills = ACTION_TEXT if has_target else ACTION_TEXT - {"target"}
        why = "this action or event has no target person"
        if effect.trust or effect.promise:
            change = effect.trust or effect.promise
            assert change is not None
            self.check_who((*path, kind, "who"), change.who, has_target)
            if effect.promise:
                self.check_template((*path, "promise", "what"), effect.promise.what, fills, why)
        elif effect.leave:
            self.check_leave(path, effect)
        elif effect.join:
            self.check_join(path, effect.join)
        elif effect.log:
            self.check_template((*path, "log"), effect.log, fills, why)

    def check_leave(self, path: Loc, effect: Effect) -> None:
        ids = self.ids
        assert effect.leave is not None
        where = (*path, "leave", "who")
        who = effect.leave.who
        if who == self.scenario.player.id:
            self.report(where, "R307", f"{dotted(where)}: the player's own rep cannot leave")
        if effect.leave.to is not None:
            to_path = (*path, "leave", "to")
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
        if join not in ids.supplier | ids.customer:
            return  # reported with every other reference
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
        """`target` where the action or event has no target person."""
        for index, item in enumerate([who] if isinstance(who, str) else who):
            item_path = path if isinstance(who, str) else (*path, index)
            if item == "target" and not has_target:
                self.report(
                    item_path,
                    "R306",
                    f"{dotted(item_path)}: 'target' names nobody here (this "
                    "action or event has no target person)",
                )

    @rule("R508")
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


def _matters(effect: Effect, flags_read: set[str]) -> bool:
    if effect.log is not None:
        return False
    if effect.flag is not None:
        return bool(set(effect.flag) & flags_read)
    return True
