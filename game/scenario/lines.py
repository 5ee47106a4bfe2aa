"""Every line of a scenario a player reads, under a stable id, and a scenario with
some of those lines replaced (a translation).

A line's id is its path through the scenario, with the `id` of each listed item in
place of its position where it has one: `events.damp_load.choices.credit_load.label`,
`supplier.people.rep.role`, `actions.contact.effects.0.log`. Reordering events,
people or choices keeps every id; only lists without ids (effects) count positions.
Names of people and firms are proper nouns and stay as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from pydantic import ValidationError

from game.scenario.loader import LoadedScenario
from game.scenario.models import Scenario
from game.scenario.problems import Problem, ScenarioError
from game.scenario.yaml_source import NOT_TEXT, character_name

#: Fields whose text a player reads (in any model of the scenario).
TEXT_FIELDS = frozenset(
    {
        "title",
        "summary",
        "briefing",
        "goal",
        "turn_name",
        "time_unit",
        "role",
        "about",
        "label",
        "description",
        "text",
        "log",
        "what",
    }
)
#: Fields that hold data, not text, whatever their keys are called.
DATA_FIELDS = frozenset({"flag", "when", "dynamics", "scoring", "trust"})

#: A placeholder the game fills in: `{actor}`, `{target}`, `{introducer}`.
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def scenario_lines(scenario: Scenario) -> dict[str, str]:
    """Every player-facing line of `scenario` by its id, in file order."""
    return dict(_walk(_data(scenario), ()))


def placeholders(text: str) -> list[str]:
    """The placeholders in `text`, sorted (a translation must keep the same ones)."""
    return sorted(PLACEHOLDER.findall(text))


def translate(loaded: LoadedScenario, table: Mapping[str, str], source: str) -> LoadedScenario:
    """`loaded` with each line whose id is in `table` replaced by its translation.

    The rules are untouched, so the content hash stays the original's: a translated
    game replays, ranks and compares with every other game of the scenario. A
    translation the scenario cannot hold (too long, or holding a control character
    such as a terminal escape) raises :class:`ScenarioError` naming `source` and the
    line.
    """
    data = _data(loaded.scenario)
    known = dict(_walk(data, ()))
    for line, text in table.items():
        if line in known and text:
            if (bad := NOT_TEXT.search(text)) is not None:  # a terminal escape, say
                raise ScenarioError(
                    [
                        Problem(
                            source,
                            1,
                            1,
                            f"the translation of {line} holds {character_name(bad.group())}, "
                            "a control character, not text: remove it",
                        )
                    ]
                )
            _put(data, line.split("."), text)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(_label(part, data, first["loc"]) for part in range(len(first["loc"])))
        raise ScenarioError(
            [Problem(source, 1, 1, f"the translation of {where} does not fit: {first['msg']}")]
        ) from None
    return replace(loaded, scenario=scenario)


def _data(scenario: Scenario) -> dict[str, Any]:
    return scenario.model_dump(mode="json", by_alias=True, exclude_none=True)


def _walk(node: object, path: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in DATA_FIELDS:
                continue
            if isinstance(value, str):
                if key in TEXT_FIELDS and value.strip():
                    yield ".".join((*path, key)), value
            else:
                yield from _walk(value, (*path, key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _walk(item, (*path, _segment(item, index)))


def _segment(item: object, index: int) -> str:
    """An item's part of a line id: its `id` if it has one, else its position."""
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return str(item["id"])
    return str(index)


def _put(node: Any, parts: list[str], text: str) -> None:
    for part in parts[:-1]:
        if isinstance(node, list):
            node = next(item for i, item in enumerate(node) if _segment(item, i) == part)
        else:
            node = node[part]
    node[parts[-1]] = text


def _label(upto: int, data: Any, loc: tuple[int | str, ...]) -> str:
    """Part `upto` of a validation error's location, with list positions as ids."""
    node = data
    for part in loc[:upto]:
        node = node[part]
    part = loc[upto]
    if isinstance(part, int) and isinstance(node, list):
        return _segment(node[part], part)
    return str(part)
