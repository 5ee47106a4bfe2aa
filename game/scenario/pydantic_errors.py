"""Turn pydantic validation errors into located, readable problems."""

from __future__ import annotations

import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from game.scenario.models import Scenario
from game.scenario.problems import Problem, short_repr
from game.scenario.suggest import did_you_mean
from game.scenario.yaml_source import YamlSource

Loc = tuple[str | int, ...]


def dotted(path: Loc) -> str:
    """`("customer", "people", 2, "id")` -> `customer.people[2].id`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def problems_from_validation(
    error: ValidationError, source: YamlSource, name: str
) -> list[Problem]:
    """One problem per distinct mistake, located in the YAML source."""
    chosen: dict[Loc, tuple[Loc, ErrorDetails]] = {}
    for item in error.errors(include_url=False):
        data_path, branch_at = _data_path(source.data, item["loc"], item["type"])
        key = data_path if branch_at is None else data_path[:branch_at]
        # Of the alternatives of a union, report the one that got furthest into the data.
        previous = chosen.get(key)
        if previous is None or len(data_path) > len(previous[0]):
            chosen[key] = (data_path, item)
    problems: list[Problem] = []
    for data_path, item in chosen.values():
        is_key = item["type"] == "extra_forbidden"
        position = source.locate(data_path, key=is_key)
        code, message = _message(data_path, item)
        problems.append(Problem(name, position.line, position.col, message, code=code))
    return problems


def _data_path(data: Any, loc: Loc, kind: str) -> tuple[Loc, int | None]:
    """Keep only the parts of a pydantic `loc` that exist in the data.

    Returns the cleaned path and, if the loc went through a union alternative,
    how long the path was at that point.
    """
    path: list[str | int] = []
    branch_at: int | None = None
    current = data
    for index, part in enumerate(loc):
        is_last = index == len(loc) - 1
        # Two arms, not one `or`: each narrows `current` and `part` for its own index.
        if isinstance(current, dict) and isinstance(part, str) and part in current:  # noqa: SIM114
            path.append(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            path.append(part)
            current = current[part]
        elif is_last and kind == "missing" and isinstance(part, str):
            path.append(part)
        elif (
            isinstance(part, str) and ("[" in part or part.startswith(("function-", "literal")))
        ) or (isinstance(part, str) and part in {"str", "int", "float", "bool", "list", "dict"}):
            branch_at = len(path) if branch_at is None else branch_at
        else:
            path.append(part)
    return tuple(path), branch_at


def _message(path: Loc, item: ErrorDetails) -> tuple[str, str]:
    """The code and text of one validation error."""
    kind = item["type"]
    value = item.get("input")
    if kind == "missing":
        return "R201", f"{dotted(path[:-1])}: missing required field '{path[-1]}'"
    if kind == "extra_forbidden":
        allowed = _fields_at(path[:-1])
        hint = did_you_mean(str(path[-1]), allowed)
        return "R202", f"{dotted(path[:-1])}: unknown field '{path[-1]}'{hint}"
    if kind == "string_pattern_mismatch":
        separator = "dashes" if path == ("id",) else "underscores"
        return "R204", (
            f"{dotted(path)}: {short_repr(value)} is not a valid id "
            f"(use lower-case letters, digits and {separator}, starting with a letter)"
        )
    message = str(item["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    found = _choice_or_rule(path, item, message) or _wrong_type(path, item, message)
    return found or ("R203", f"{dotted(path)}: {message}")


def _choice_or_rule(path: Loc, item: ErrorDetails, message: str) -> tuple[str, str] | None:
    """An unknown value of a fixed list, a bot that does not exist, or a rule of the
    format broken (too many items included)."""
    kind, value, where = item["type"], item.get("input"), dotted(path)
    if kind in ("literal_error", "enum") and isinstance(value, str):
        options = re.findall(r"'([^']*)'", str(item.get("ctx", {}).get("expected", "")))
        hint = did_you_mean(value, options)
        if hint:
            return "R205", (
                f"{where}: unknown value {short_repr(value)}{hint}; one of {', '.join(options)}"
            )
        return "R205", f"{where}: {message} (got {short_repr(value)})"
    if kind == "value_error" and message.startswith("unknown bot"):
        return "R206", f"{where}: {message}"
    if kind == "value_error" and message.startswith(("an effect has", "`")):
        return "R207", f"{where}: {message}"
    if kind in ("value_error", "assertion_error"):
        return "R208", f"{where}: {message}"
    if kind == "too_long" and isinstance(value, list):
        return "R209", f"{where}: {message}"
    return None


def _wrong_type(path: Loc, item: ErrorDetails, message: str) -> tuple[str, str] | None:
    """A value of the wrong kind, with the hint that fits how it was written: a text
    read as a mapping or list, yes/no read as true/false, a number with its unit."""
    kind, value, where = item["type"], item.get("input"), dotted(path)
    if kind == "string_type" and isinstance(value, dict | list):
        bracket, what = ("{", "a mapping") if isinstance(value, dict) else ("[", "a list")
        return "R107", (
            f"{where}: expected a text, but YAML read {what}: a text that starts with "
            f'`{bracket}` must be in quotes ({path[-1]}: "{bracket}…")'
        )
    if isinstance(value, bool) and "string" in message:
        message += " (YAML reads yes/no/on/off/true/false as true or false: put it in quotes)"
        return "R203", f"{where}: {message}"
    if _is_scalar(value):
        message += f" (got {short_repr(value)}){unit_hint(path, kind, value, item)}"
        return "R203", f"{where}: {message}"
    return None


#: A number written with a unit after it, as in `6h` or `14 days`.
WITH_UNIT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z%]+)\s*$")


def unit_hint(path: Loc, kind: str, value: Any, item: ErrorDetails) -> str:
    """A plain hint for a number written the way people write them: a percentage where a
    share is meant (`discount: 12`), or a number with its unit (`time_budget: 6h`)."""
    limit = item.get("ctx", {}).get("le")
    if (
        kind == "less_than_equal"
        and isinstance(value, int | float)
        and isinstance(limit, int | float)
        and limit <= 1
        and 1 < value <= 100
    ):
        return f": this is a share, not a percentage: write {value / 100:g} for {value:g}%"
    if isinstance(value, str) and (found := WITH_UNIT.match(value)):
        number, unit = found.groups()
        if unit == "%":
            return f": write the share as a number, {float(number) / 100:g}"
        if path and path[-1] in ("time_budget", "cost"):
            return (
                f": write the number alone ({number}); the scenario's time_unit says what it counts"
            )
        return f": write the number alone ({number})"
    return ""


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _fields_at(path: Loc) -> list[str]:
    """The field names the model at `path` accepts, for did-you-mean hints."""
    model: Any = Scenario
    for part in path:
        if isinstance(part, int):
            continue
        fields = getattr(model, "model_fields", None)
        if not fields or part not in fields:
            return []
        model = _model_in(fields[part].annotation)
        if model is None:
            return []
    fields = getattr(model, "model_fields", {})
    return [info.alias or name for name, info in fields.items()]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """Find the model class inside `list[X] | None` and the like."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType, typing.Annotated):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None
