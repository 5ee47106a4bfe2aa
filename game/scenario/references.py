"""Which fields of the scenario format define an id and which name one, and of what
kind: said once, on the models (`Annotated[PersonId, DefinesId("customer")]`,
`Annotated[PersonId, RefersTo("customer")]`), and read by the validator's id and
reference checks, the editor's id index, completion and go-to-definition.

Kinds: `customer` and `supplier` people, a competitor's `rep`, a `competitor`. A
field may also take fixed words (`player`, `team`, `target`, `firm`…), which name
no id.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

#: How the validator names each kind, and each pair of kinds, in its messages.
_WHAT = {
    ("customer",): "customer person",
    ("supplier",): "supplier person",
    ("competitor",): "competitor",
    ("supplier", "rep"): "supplier person or competitor rep",
    ("supplier", "customer"): "supplier or customer person",
}


@dataclass(frozen=True, slots=True)
class RefersTo:
    """Field metadata: the field names an id of one of `kinds` (or one of `words`)."""

    kinds: tuple[str, ...]
    words: tuple[str, ...] = ()

    def __init__(self, *kinds: str, words: tuple[str, ...] = ()) -> None:
        object.__setattr__(self, "kinds", kinds)
        object.__setattr__(self, "words", words)

    @property
    def what(self) -> str:
        """What the validator says it expected: "customer person"."""
        return _WHAT.get(self.kinds, " or ".join(self.kinds))


@dataclass(frozen=True, slots=True)
class DefinesId:
    """Field metadata: the field is the id of a `kind` of thing (customer, supplier,
    rep, competitor, action, event, answer, lesson)."""

    kind: str


Path = tuple[str | int, ...]


def refers_to(field: Any) -> RefersTo | None:
    """The `RefersTo` of a pydantic field, if it has one."""
    return next((m for m in field.metadata if isinstance(m, RefersTo)), None)


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The models an annotation holds: `X`, `X | None`, `list[X]`, `Annotated[X, …]`."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _models_in(typing.get_args(annotation)[0])
    if origin in (list, tuple, typing.Union, types.UnionType):
        return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return []


def refers_at(root: type[BaseModel], keys: Sequence[str]) -> RefersTo | None:
    """The `RefersTo` of the field at `keys`, the YAML keys from the top of a scenario
    (list positions left out): ("events", "effects", "trust", "who")."""
    models = [root]
    for number, key in enumerate(keys):
        field = next(
            (
                f
                for model in models
                for name, f in model.model_fields.items()
                if (f.alias or name) == key
            ),
            None,
        )
        if field is None:
            return None
        if number == len(keys) - 1:
            return refers_to(field)
        models = _models_in(field.annotation)
    return None


def references(model: BaseModel, path: Path = ()) -> Iterator[tuple[Path, str, RefersTo]]:
    """Every id a validated model names, with its place (YAML keys and list positions)
    and what it may refer to; fixed words are left out."""
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        if value is None:
            continue
        where = (*path, field.alias or name)
        refers = refers_to(field)
        if refers is not None:
            if isinstance(value, str):
                if value not in refers.words:
                    yield where, value, refers
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, str) and item not in refers.words:
                        yield (*where, index), item, refers
            continue
        if isinstance(value, BaseModel):
            yield from references(value, where)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from references(item, (*where, index))


def _paths(
    model: type[BaseModel], prefix: tuple[str, ...], depth: int
) -> Iterator[tuple[tuple[str, ...], RefersTo]]:
    if depth > 6:  # effects nest in promises' kept and broken: deep enough for any lookup
        return
    for name, field in model.model_fields.items():
        key = (*prefix, field.alias or name)
        refers = refers_to(field)
        if refers is not None:
            yield key, refers
        for inner in _models_in(field.annotation):
            yield from _paths(inner, key, depth + 1)


@functools.cache
def reference_paths(root: type[BaseModel]) -> tuple[tuple[tuple[str, ...], RefersTo], ...]:
    """Every path of keys from the top of a scenario to a field that names an id."""
    return tuple(_paths(root, (), 0))


def refers_near(root: type[BaseModel], keys: Sequence[str]) -> RefersTo | None:
    """What the field at `keys` names, where `keys` are the YAML keys around a cursor,
    innermost first. They may stop short of the top (inside a flow collection) and
    hold sibling keys written before it on the same line, so the field chosen is the
    one whose path matches most of them from the inside out (gaps allowed), a whole
    path winning a tie."""
    if not keys:
        return None
    best: tuple[int, int, RefersTo] | None = None
    for path, refers in reference_paths(root):
        if path[-1] != keys[0]:
            continue
        matched, at = 0, 0
        for key in reversed(path):
            while at < len(keys) and keys[at] != key:
                at += 1
            if at == len(keys):
                break
            matched, at = matched + 1, at + 1
        score = (matched, int(matched == len(path)))
        if best is None or score > best[:2]:
            best = (*score, refers)
    return None if best is None else best[2]


def _definitions(
    model: type[BaseModel], prefix: tuple[str, ...], depth: int
) -> Iterator[tuple[tuple[str, ...], str]]:
    if depth > 3:
        return
    for name, field in model.model_fields.items():
        key = (*prefix, field.alias or name)
        defines = next((m for m in field.metadata if isinstance(m, DefinesId)), None)
        if defines is not None:
            yield key, defines.kind
        for inner in _models_in(field.annotation):
            yield from _definitions(inner, key, depth + 1)


@functools.cache
def definition_paths(root: type[BaseModel]) -> tuple[tuple[tuple[str, ...], str], ...]:
    """Every path of keys from the top of a scenario to a field that defines an id, with
    the kind of id: (("customer", "people", "id"), "customer")."""
    return tuple(_definitions(root, (), 0))


def defined_in(
    data: Any, keys: tuple[str, ...]
) -> Iterator[tuple[Path, dict[str, Any], tuple[dict[str, Any], ...]]]:
    """The items of raw YAML `data` (parsed, not validated) at `keys` (a definition
    path without its last key): each with its place and the items it sits in."""

    Found = Iterator[tuple[Path, dict[str, Any], tuple[dict[str, Any], ...]]]

    def walk(
        node: Any, rest: tuple[str, ...], path: Path, parents: tuple[dict[str, Any], ...]
    ) -> Found:
        if isinstance(node, list):
            for index, item in enumerate(node):
                yield from walk(item, rest, (*path, index), parents)
            return
        if not isinstance(node, dict):
            return
        if not rest:
            yield path, node, parents
            return
        yield from walk(node.get(rest[0]), rest[1:], (*path, rest[0]), (*parents, node))

    yield from walk(data, keys, (), ())


def defined_on(model: BaseModel, keys: tuple[str, ...]) -> Iterator[tuple[Path, BaseModel]]:
    """The models at `keys` (a definition path without its last key) inside a validated
    `model`, each with its place (YAML keys and list positions)."""

    def walk(node: Any, rest: tuple[str, ...], path: Path) -> Iterator[tuple[Path, BaseModel]]:
        if isinstance(node, list):
            for index, item in enumerate(node):
                yield from walk(item, rest, (*path, index))
        elif isinstance(node, BaseModel):
            if not rest:
                yield path, node
            else:
                yield from walk(getattr(node, rest[0], None), rest[1:], (*path, rest[0]))

    yield from walk(model, keys, ())
