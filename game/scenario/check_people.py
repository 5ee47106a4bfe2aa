"""Checks of a scenario's people: unique ids, reporting lines without circles, trust
between people who exist, and who can ever be reached or brought in."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from game.scenario.check_context import CheckContext, rule
from game.scenario.models import (
    RESERVED_IDS,
    Action,
    Event,
    Lesson,
)
from game.scenario.pydantic_errors import Loc, dotted
from game.scenario.references import defined_on, definition_paths, references


class PeopleChecks(CheckContext):
    """Ids, people, reporting lines, trust, competitors and reach."""

    @rule("R302", "R303")
    def check_ids(self) -> None:
        s = self.scenario
        seen: dict[str, tuple[str, Loc]] = {}
        # People and competitors share one set of ids; the models say where each is defined.
        for keys, kind in definition_paths(type(s)):
            if kind not in ("supplier", "customer", "competitor", "rep"):
                continue
            for base, item in defined_on(s, keys[:-1]):
                self.check_person_id((*base, "id"), str(cast(Any, item).id), seen)
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

    def check_person_id(self, path: Loc, ident: str, seen: dict[str, tuple[str, Loc]]) -> None:
        """A person's or competitor's id: not a reserved word, and not used before."""
        if ident in RESERVED_IDS:
            self.report(
                path, "R302", f"{dotted(path)}: '{ident}' is a reserved word; pick another id"
            )
        elif ident in seen:
            first, first_path = seen[ident]
            line = self.source.locate(first_path).line
            self.report(
                path,
                "R303",
                f"{dotted(path)}: id '{ident}' is already used by {first} "
                f"(line {line}): give one of them another id",
            )
        else:
            seen[ident] = (dotted(path[:-1]), path)

    @rule("R304", "R305")
    def check_people(self) -> None:
        s = self.scenario
        if not s.player.active:
            self.report(
                ("supplier", "people"), "R305", "supplier.people: the player's rep must be active"
            )
        managers = {  # (unknown managers are reported with every other reference)
            p.id: p.reports_to for p in s.customer.people if p.reports_to in self.ids.customer
        }
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

    @rule("R303")
    def check_trust(self) -> None:
        seen: set[tuple[str, str]] = set()
        for index, seed in enumerate(self.scenario.trust):
            base: Loc = ("trust", index)
            if (seed.source, seed.to) in seen:
                self.report(
                    base,
                    "R303",
                    f"trust[{index}]: trust from '{seed.source}' to '{seed.to}' is given twice",
                )
            seen.add((seed.source, seed.to))

    @rule("R301")
    def check_references(self) -> None:
        """Every field that names an id (`RefersTo` on the models) names one of its kind."""
        kinds = {
            "customer": self.ids.customer,
            "supplier": self.ids.supplier,
            "rep": self.ids.competitor_people,
            "competitor": self.ids.competitors,
        }
        for path, value, refers in references(self.scenario):
            allowed = set().union(*(kinds[kind] for kind in refers.kinds))
            self.expect(path, value, allowed, refers.what)

    @rule("R503", stage=0)
    def check_reachable(self) -> None:
        """Warn about stakeholders no chain of introductions can ever reach, and people
        who are not there at the start and whom nothing brings in."""
        s = self.scenario
        joined = {e.join for _path, e, _t in self.all_effects() if e.join}
        absent = {p.id for p in s.customer.people if not p.present and p.id not in joined}
        self.reachable = self.reach(absent)
        for index, person in enumerate(s.customer.people):
            if person.id in absent:
                self.report(
                    ("customer", "people", index, "present"),
                    "R503",
                    f"customer.people[{index}]: '{person.id}' is not `present` at the start, "
                    "and no `join` effect brings them in",
                )
            elif person.id not in self.reachable:
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

    def reach(self, absent: set[str]) -> set[str]:
        """Everyone the player can meet: those met at the start or introduced by an
        effect, then, again and again, anyone someone reached can introduce."""
        people = self.scenario.customer.people
        reachable = {p.id for p in people if p.met}
        reachable |= {e.introduce for _path, e, _t in self.all_effects() if e.introduce}
        reachable -= absent
        introducers = {p.id: self.introducers(p.id) for p in people}
        changed = True
        while changed:
            changed = False
            for person_id, candidates in introducers.items():
                if person_id not in reachable | absent and candidates & reachable:
                    reachable.add(person_id)
                    changed = True
        return reachable
