"""Parse YAML safely and remember where every value came from.

`yaml.safe_load` forgets line numbers, so this module composes the node tree
with PyYAML's safe loader and builds plain Python data itself, recording the
position of every key and value. It also guards against hostile input: alias
expansion ("billion laughs"), deep nesting and duplicate keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

MAX_NODES = 200_000
MAX_DEPTH = 64
_PLAIN_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Position:
    """A 1-based line and column, and how a scalar was quoted (for column maths)."""

    line: int
    col: int
    style: str | None = None
    multiline: bool = False


@dataclass(slots=True)
class YamlSource:
    """Plain data from a YAML text, with the position of each value and key."""

    data: Any
    values: dict[Path, Position] = field(default_factory=dict)
    keys: dict[Path, Position] = field(default_factory=dict)
    duplicates: list[tuple[Position, str]] = field(default_factory=list)

    def locate(self, path: Path, *, key: bool = False) -> Position:
        """The position of `path`, or of its nearest ancestor that has one."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if not key and probe in self.keys:
                return self.keys[probe]
            probe = probe[:-1]
        return self.values.get((), Position(1, 1))


class YamlError(ValueError):
    """A YAML text that cannot be read; `position` says where."""

    def __init__(self, message: str, position: Position) -> None:
        super().__init__(message)
        self.position = position


def _position(mark: yaml.Mark | None, node: yaml.Node | None = None) -> Position:
    if mark is None:
        return Position(1, 1)
    style = getattr(node, "style", None) if isinstance(node, yaml.ScalarNode) else None
    multiline = bool(node is not None and node.end_mark and node.end_mark.line != mark.line)
    return Position(mark.line + 1, mark.column + 1, style, multiline)


def parse_yaml(text: str) -> YamlSource:
    """Parse one YAML document into plain data with positions; raise :class:`YamlError`."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(str(part) for part in (error.context, error.problem) if part)
        raise YamlError(f"YAML syntax: {message or 'cannot parse'}", _position(mark)) from None
    except yaml.YAMLError as error:
        raise YamlError(f"YAML syntax: {error}", Position(1, 1)) from None
    except RecursionError:
        raise YamlError("YAML nesting is too deep", Position(1, 1)) from None
    source = YamlSource(None)
    if node is None:
        return source
    builder = _Builder(source)
    source.data = builder.build(node, (), 0)
    return source


class _Builder:
    def __init__(self, source: YamlSource) -> None:
        self.source = source
        self.nodes = 0
        self.loader = yaml.SafeLoader("")

    def build(self, node: yaml.Node, path: Path, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise YamlError(
                f"the file expands to more than {MAX_NODES:,} values "
                "(anchors and aliases repeated too often?)",
                _position(node.start_mark),
            )
        if depth > MAX_DEPTH:
            raise YamlError(
                f"values nest deeper than {MAX_DEPTH} levels", _position(node.start_mark)
            )
        self.source.values[path] = _position(node.start_mark, node)
        if not isinstance(node, yaml.ScalarNode) and node.tag not in _PLAIN_TAGS:
            raise YamlError(
                f"YAML tag {node.tag!r} is not allowed in a scenario", _position(node.start_mark)
            )
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as error:
            raise YamlError(f"YAML value: {error.problem}", _position(node.start_mark)) from None
        except ValueError as error:
            raise YamlError(f"YAML value: {error}", _position(node.start_mark)) from None

    def _mapping(self, node: yaml.MappingNode, path: Path, depth: int) -> dict[str, Any]:
        try:
            self.loader.flatten_mapping(node)
        except yaml.constructor.ConstructorError as error:
            raise YamlError(f"YAML merge: {error.problem}", _position(error.problem_mark)) from None
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError("a key must be a plain word", _position(key_node.start_mark))
            # Keys are kept as written: YAML 1.1 would read `on:` as True.
            key = str(key_node.value)
            key_path = (*path, key)
            key_position = _position(key_node.start_mark)
            if key in result:
                first = self.source.keys[key_path]
                self.source.duplicates.append(
                    (key_position, f"duplicate key '{key}' (first given at line {first.line})")
                )
            self.source.keys[key_path] = key_position
            result[key] = self.build(value_node, key_path, depth + 1)
        return result
