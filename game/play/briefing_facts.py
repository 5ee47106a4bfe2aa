"""What the briefing shows, without the scenario models (no Textual, no pydantic).

The briefing is the first screen of `rapport play <scenario>`. Validating a
scenario (importing the pydantic models, checking every reference) takes a
few tenths of a second, so for a bundled scenario the app shows the briefing
from :func:`quick_facts`, read straight from the YAML, and validates the
scenario while the player reads it. Both ways give the same
:class:`BriefingFacts`: :func:`facts_from_scenario` from a validated
scenario, :func:`quick_facts` from the raw text (the tests compare the two for
every bundled scenario).

:func:`quick_facts` checks the type and size of everything it reads and
returns None at the first thing it does not expect, and the app then loads
the scenario in full before showing anything, as it does for the player's own
files. Only bundled scenarios take the quick way (see :func:`bundled_text`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from game.scenario.models import Scenario

#: The endings of scenario files (as `game.scenario.catalog` reads them).
SUFFIXES = (".yaml", ".yml")
#: The largest text the quick way reads (the full load's own limit, 1 MB).
MAX_BYTES = 1024 * 1024
#: The most people or competitors the quick way takes on one side; more goes the full way.
MAX_PEOPLE = 500


class CustomerPerson(NamedTuple):
    """Someone at the customer at the start, as the briefing introduces them."""

    name: str
    role: str
    about: str
    manager: str | None
    """The name of the person they report to, if any."""
    met: bool
    introducers: tuple[str, ...]
    """Who can introduce you to them, among the people there at the start."""


class TeamPerson(NamedTuple):
    """Someone on the player's team at the start."""

    name: str
    role: str
    about: str
    player: bool


@dataclass(frozen=True)
class BriefingFacts:
    """Everything the briefing screen shows about a scenario."""

    title: str
    summary: str
    briefing: str
    goal: str
    turns: int
    time_budget: float
    time_unit: str
    days_per_turn: int
    supplier: str
    customer: str
    customer_about: str
    customer_people: tuple[CustomerPerson, ...]
    """The customer's people present at the start, in the scenario's order."""
    team: tuple[TeamPerson, ...]
    """The supplier's people active at the start, in the scenario's order."""
    competitors: tuple[str, ...]


class _Stakeholder(NamedTuple):
    """What the briefing needs of a customer person, before the names are resolved."""

    id: str
    name: str
    role: str
    about: str
    reports_to: str | None
    met: bool
    introduced_by: tuple[str, ...] | None
    present: bool


def _customer_people(people: Iterable[_Stakeholder]) -> tuple[CustomerPerson, ...]:
    """The people present at the start, each with their manager's name and who can
    introduce you (as the rules read it: whoever the scenario names, else their manager
    and their direct reports, among those there). KeyError for an unknown manager."""
    everyone = list(people)
    names = {p.id: p.name for p in everyone}
    here = [p for p in everyone if p.present]
    result = []
    for p in here:
        if p.introduced_by is not None:
            ids = set(p.introduced_by)
        else:
            ids = {q.id for q in here if q.reports_to == p.id}
            ids |= {p.reports_to} if p.reports_to else set()
        manager = names[p.reports_to] if p.reports_to else None
        introducers = tuple(q.name for q in here if q.id in ids)
        result.append(CustomerPerson(p.name, p.role, p.about, manager, p.met, introducers))
    return tuple(result)


def facts_from_scenario(scenario: Scenario) -> BriefingFacts:
    """The briefing's facts from a validated scenario."""
    customer = scenario.customer
    stakeholders = (
        _Stakeholder(
            p.id,
            p.name,
            p.role,
            p.about,
            p.reports_to,
            p.met,
            None if p.introduced_by is None else tuple(p.introduced_by),
            p.present,
        )
        for p in customer.people
    )
    return BriefingFacts(
        title=scenario.title,
        summary=scenario.summary,
        briefing=scenario.briefing,
        goal=scenario.goal,
        turns=scenario.turns,
        time_budget=scenario.time_budget,
        time_unit=scenario.time_unit,
        days_per_turn=scenario.calendar.days_per_turn,
        supplier=scenario.supplier.name,
        customer=customer.name,
        customer_about=customer.about,
        customer_people=_customer_people(stakeholders),
        team=tuple(
            TeamPerson(p.name, p.role, p.about, p.player)
            for p in scenario.supplier.people
            if p.active
        ),
        competitors=tuple(c.name for c in scenario.competitors),
    )


# ---------------------------------------------------------------- the quick way


def bundled_text(argument: str) -> bytes | None:
    """The text of the bundled scenario `rapport play <argument>` plays, or None if the
    argument names a file (a path, or a file in the current folder) or no bundled scenario.

    The same choice and the same bytes as `game.scenario.catalog`, without importing it
    (it brings in the models).
    """
    looks_like_path = argument.endswith(SUFFIXES) or os.sep in argument or "/" in argument
    if not argument or looks_like_path or Path(argument).is_file():
        return None
    names = {entry.name: entry for entry in resources.files("scenarios").iterdir()}
    for suffix in SUFFIXES:
        entry = names.get(argument + suffix)
        if entry is not None and entry.is_file():
            return entry.read_bytes()
    return None


class _Odd(Exception):
    """Something the quick way does not expect: the full load decides."""


def _mapping(value: object) -> Mapping[Any, Any]:
    if not isinstance(value, dict):
        raise _Odd
    return value


def _list(value: object) -> list[Any]:
    if not isinstance(value, list) or len(value) > MAX_PEOPLE:
        raise _Odd
    return value


def _text(data: Mapping[Any, Any], key: str, limit: int, default: str | None = None) -> str:
    """A text field of at most `limit` characters (required if there is no default)."""
    if key not in data and default is not None:
        return default
    value = data.get(key)
    if type(value) is not str or len(value) > limit:
        raise _Odd
    return value


def _label(data: Mapping[Any, Any], key: str) -> str:
    """A required name or title: 1 to 120 characters."""
    value = _text(data, key, 120)
    if not value:
        raise _Odd
    return value


def _flag(data: Mapping[Any, Any], key: str, default: bool) -> bool:
    value = data.get(key, default)
    if type(value) is not bool:
        raise _Odd
    return value


def _whole(data: Mapping[Any, Any], key: str, low: int, high: int, default: int | None) -> int:
    value = data.get(key, default)
    if type(value) is not int or not low <= value <= high:
        raise _Odd
    return value


def _id(value: object) -> str:
    if type(value) is not str or not 0 < len(value) <= 40:
        raise _Odd
    return value


def _stakeholder(value: object) -> _Stakeholder:
    p = _mapping(value)
    reports_to = p.get("reports_to")
    introduced_by = p.get("introduced_by")
    return _Stakeholder(
        id=_id(p.get("id")),
        name=_label(p, "name"),
        role=_text(p, "role", 120, ""),
        about=_text(p, "about", 4000, ""),
        reports_to=None if reports_to is None else _id(reports_to),
        met=_flag(p, "met", False),
        introduced_by=None
        if introduced_by is None
        else tuple(_id(i) for i in _list(introduced_by)),
        present=_flag(p, "present", True),
    )


def _team_person(value: object) -> tuple[TeamPerson, bool]:
    """A supplier person, and whether they are active at the start."""
    p = _mapping(value)
    _id(p.get("id"))
    person = TeamPerson(
        _label(p, "name"),
        _text(p, "role", 120, ""),
        _text(p, "about", 4000, ""),
        _flag(p, "player", False),
    )
    return person, _flag(p, "active", True)


def _time_budget(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1000:
        raise _Odd
    return float(value)


def _facts(text: bytes) -> BriefingFacts:
    import yaml

    if len(text) > MAX_BYTES:
        raise _Odd
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = _mapping(yaml.load(text.decode("utf-8-sig"), Loader=loader))
    rapport = data.get("rapport")
    if type(rapport) is not int or rapport != 1:
        raise _Odd
    supplier, customer = _mapping(data.get("supplier")), _mapping(data.get("customer"))
    team = [_team_person(p) for p in _list(supplier.get("people"))]
    stakeholders = [_stakeholder(p) for p in _list(customer.get("people"))]
    if not stakeholders or sum(person.player for person, _ in team) != 1:
        raise _Odd
    competitors = [_label(_mapping(c), "name") for c in _list(data.get("competitors", []))]
    return BriefingFacts(
        title=_label(data, "title"),
        summary=_text(data, "summary", 300, ""),
        briefing=_text(data, "briefing", 4000, ""),
        goal=_text(data, "goal", 4000, ""),
        turns=_whole(data, "turns", 1, 200, None),
        time_budget=_time_budget(data.get("time_budget")),
        time_unit=_text(data, "time_unit", 12, "h"),
        days_per_turn=_whole(_mapping(data.get("calendar", {})), "days_per_turn", 1, 365, 14),
        supplier=_label(supplier, "name"),
        customer=_label(customer, "name"),
        customer_about=_text(customer, "about", 4000, ""),
        customer_people=_customer_people(stakeholders),
        team=tuple(person for person, active in team if active),
        competitors=tuple(competitors),
    )


def quick_facts(text: bytes) -> BriefingFacts | None:
    """The briefing's facts read straight from a scenario's YAML, or None if anything in
    it is missing, of the wrong type or out of range (the full load then says what).

    Meant for the bundled scenarios (:func:`bundled_text`), which the tests check; the
    scenario is still loaded in full before it is played.
    """
    try:
        return _facts(text)
    except Exception:  # a YAML error, bad UTF-8, deep nesting, an unknown manager, …
        return None
