"""Every error in one pass: the scenario's other checks, run past its field errors.

When some items of a scenario have field errors (a cost written as text, a missing
label), the typed model cannot be built, and the checks that need it (unknown ids,
conditions, what can never happen) would wait until those are fixed. Here the
broken items are set aside (a top-level field with an error falls back to its
default), the rest is validated again, and its checks are run with every position
mapped back to the file. What refers to an id defined only in a set-aside item is
left out: that id exists, it is only broken.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Sequence
from pathlib import Path as FilePath
from typing import Any

from pydantic import ValidationError

from game.scenario.checks import check_scenario
from game.scenario.models import Scenario
from game.scenario.problems import Problem
from game.scenario.pydantic_errors import dotted
from game.scenario.yaml_source import Path, Position, YamlSource

_GONE = object()
_PATH = re.compile(r"[a-z_]+(\.[a-z_]+|\[\d+\])*")
_PART = re.compile(r"([a-z_]+)|\[(\d+)\]")


def problems_past_fields(
    error: ValidationError, source: YamlSource, name: str, folder: FilePath | None
) -> list[Problem]:
    """The errors the scenario's checks find in everything but its broken items (none if
    the rest cannot be validated either)."""
    pruned = _set_aside(source.data, [tuple(e["loc"]) for e in error.errors()])
    if pruned is None:
        return []
    data, removed, broken_ids = pruned
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError:
        return []
    shifted = YamlSource(
        data,
        _remapped(source.values, removed),
        _remapped(source.keys, removed),
    )
    found = check_scenario(scenario, shifted, name, folder)
    return [
        dataclasses.replace(problem, message=_named_as_in_file(problem.message, removed))
        for problem in found
        if problem.severity == "error"
        and not any(f"'{ident}'" in problem.message for ident in broken_ids)
    ]


def _named_as_in_file(message: str, removed: dict[Path, list[int]]) -> str:
    """A message that starts with a path of the pruned data, with the file's indexes."""
    head, colon, rest = message.partition(": ")
    if not colon or not _PATH.fullmatch(head):
        return message
    parts: list[str | int] = []
    for name, index in _PART.findall(head):
        parts.append(int(index) if index else name)
    return f"{dotted(_old_path(tuple(parts), removed))}: {rest}"


def _old_path(path: Path, removed: dict[Path, list[int]]) -> Path:
    """The path in the file of `path` in the pruned data."""
    old: list[str | int] = []
    for part in path:
        gone = removed.get(tuple(old))
        if gone and isinstance(part, int):
            index, kept = -1, -1
            while kept < part:
                index += 1
                if index not in gone:
                    kept += 1
            part = index
        old.append(part)
    return tuple(old)


def _set_aside(
    data: Any, locations: Sequence[tuple[Any, ...]]
) -> tuple[Any, dict[Path, list[int]], set[str]] | None:
    """A copy of `data` without the list items (or top-level fields) the errors are in;
    the removed indexes of each list, and the ids the removed items defined."""
    if not isinstance(data, dict):
        return None
    data = copy.deepcopy(data)
    removed: dict[Path, list[int]] = {}
    broken_ids: set[str] = set()
    targets: set[Path] = set()
    for loc in locations:
        indexes = [i for i, part in enumerate(loc) if isinstance(part, int)]
        if indexes:
            targets.add(tuple(loc[: indexes[-1] + 1]))
        elif loc and isinstance(loc[0], str) and loc[0] in data:
            targets.add((loc[0],))
        else:
            return None  # a required field is missing: nothing to set aside
    for target in sorted(targets, key=len, reverse=True):
        try:
            container = _at(data, target[:-1])
            item = container[target[-1]]
        except (KeyError, IndexError, TypeError):
            return None
        broken_ids |= _ids_in(item)
        if isinstance(container, list):
            index = int(target[-1])
            container[index] = _GONE
            removed.setdefault(target[:-1], []).append(index)
        else:
            del container[target[-1]]
    _drop_gone(data)
    return data, removed, broken_ids


def _at(data: Any, path: Path) -> Any:
    for part in path:
        data = data[part]
    return data


def _ids_in(item: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(item, dict):
        if isinstance(item.get("id"), str):
            found.add(item["id"])
        for value in item.values():
            found |= _ids_in(value)
    elif isinstance(item, list):
        for value in item:
            found |= _ids_in(value)
    return found


def _drop_gone(data: Any) -> None:
    if isinstance(data, dict):
        for value in data.values():
            _drop_gone(value)
    elif isinstance(data, list):
        data[:] = [value for value in data if value is not _GONE]
        for value in data:
            _drop_gone(value)


def _remapped(table: dict[Path, Position], removed: dict[Path, list[int]]) -> dict[Path, Position]:
    """Positions keyed by the paths of the data with the removed items taken out."""
    mapped: dict[Path, Position] = {}
    for path, position in table.items():
        new = _new_path(path, removed)
        if new is not None:
            mapped[new] = position
    return mapped


def _new_path(path: Path, removed: dict[Path, list[int]]) -> Path | None:
    new: list[str | int] = []
    for depth, part in enumerate(path):
        gone = removed.get(path[:depth])
        if gone and isinstance(part, int):
            if part in gone:
                return None
            part -= sum(1 for index in gone if index < part)
        new.append(part)
    return tuple(new)
