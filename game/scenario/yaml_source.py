r"""Parse YAML safely and remember where every value came from.

`yaml.safe_load` forgets line numbers, so this module composes the node tree
with PyYAML's safe loader and builds plain Python data itself, recording the
position of every key and value. It also guards against hostile input: before
anything is built, the size the node graph would expand to (through anchors,
aliases and merge keys) is counted, node by node, so a "billion laughs" is refused
at once; deep nesting, duplicate keys, unknown tags, raw control characters and
numbers too large to compute with are refused too, each at its place. Control
characters written as escapes in double quotes (`"\e[31m"`) are read, and listed
in `controls` for a warning.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

import yaml

from game.scenario.yaml_hints import syntax_error

MAX_NODES = 200_000
MAX_DEPTH = 64
#: Numbers in a scenario stay below this (in size): anything larger is a slip, and
#: would make arithmetic in conditions overflow.
MAX_NUMBER = 10**15
_PLAIN_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})
_YAML = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(_YAML + t for t in ("str", "int", "float", "bool", "null", "timestamp"))
_MERGE = _YAML + "merge"
_VALUE = _YAML + "value"

#: What PyYAML refuses to read at all, and the bidirectional overrides that reorder
#: what a terminal shows: reported with their place before parsing.
#: A character a scenario may not hold: a control character (tabs and line breaks
#: apart) or a bidirectional override.
NOT_TEXT = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
    "|[\u202a-\u202e\u2066-\u2069]"
)
#: Characters a text value should not contain (written as escapes in double quotes):
#: controls other than tab and line feed, and the bidirectional overrides.
_NOT_IN_VALUES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

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
    controls: list[tuple[Position, str]] = field(default_factory=list)
    """Texts holding a control character (written as an escape in double quotes):
    where, and which character. They are shown escaped; validation warns."""

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
    """A YAML text that cannot be read; `position` says where, `code` which problem."""

    def __init__(self, message: str, position: Position, code: str = "R104") -> None:
        super().__init__(message)
        self.position = position
        self.code = code


class _Mark(Protocol):
    """Where PyYAML or libyaml found something (0-based)."""

    line: int
    column: int


def _position(mark: _Mark | None, node: yaml.Node | None = None) -> Position:
    if mark is None:
        return Position(1, 1)
    style = getattr(node, "style", None) if isinstance(node, yaml.ScalarNode) else None
    style = style or None  # libyaml gives plain scalars the style ''
    multiline = bool(node is not None and node.end_mark and node.end_mark.line != mark.line)
    return Position(mark.line + 1, mark.column + 1, style, multiline)


def character_name(char: str) -> str:
    """`U+001B (escape)`: a character nobody can see, named."""
    names = {"\x1b": "escape", "\x00": "null", "\x07": "bell", "\x08": "backspace"}
    names |= {"\x7f": "delete", "\r": "carriage return", "\x0c": "form feed"}
    code = f"U+{ord(char):04X}"
    if char in names:
        return f"{code} ({names[char]})"
    if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        return f"{code} (a bidirectional override)"
    return code


def _control_character(text: str, index: int) -> YamlError:
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return YamlError(
        f"character {character_name(text[index])} is a control character, not text: "
        "remove it (a scenario may hold tabs and line breaks, but no other control "
        "characters or terminal escapes)",
        Position(line, col),
        "R103",
    )


def parse_yaml(text: str) -> YamlSource:
    """Parse one YAML document into plain data with positions; raise :class:`YamlError`."""
    bad = NOT_TEXT.search(text)
    if bad is not None:
        raise _control_character(text, bad.start())
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as error:
        message, line, col, code = syntax_error(error, text)
        raise YamlError(message, Position(line, col), code) from None
    except yaml.YAMLError as error:
        message = " ".join(str(error).split())
        raise YamlError(f"YAML syntax: {message}", Position(1, 1)) from None
    except RecursionError:
        raise YamlError("YAML nesting is too deep", Position(1, 1), "R113") from None
    source = YamlSource(None)
    if node is None:
        return source
    _check_expansion(node)
    builder = _Builder(source)
    source.data = builder.build(node, (), 0)
    return source


def _compose(text: str) -> yaml.Node | None:
    """The node tree of `text`: by libyaml when it is there, else by PyYAML.

    libyaml's composer recurses in C once per level of nesting, past any Python
    limit (100,000 levels crash it), so its event stream, which it makes without
    recursing, is read first, and a text nesting deeper than `MAX_DEPTH` is refused
    as soon as it does. libyaml's errors are never shown: on one, PyYAML parses
    again, for its messages (which the hints understand).
    """
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            _check_depth(yaml.parse(text, Loader=fast))
            return yaml.compose(text, Loader=fast)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _check_depth(events: Iterator[yaml.Event]) -> None:
    depth = 0
    for event in events:
        if isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            depth += 1
            if depth > MAX_DEPTH + 1:
                raise YamlError(
                    f"values nest deeper than {MAX_DEPTH} levels",
                    _position(event.start_mark),
                    "R113",
                )
        elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            depth -= 1


def _too_big(node: yaml.Node) -> YamlError:
    return YamlError(
        f"the file expands to more than {MAX_NODES:,} values "
        "(anchors, aliases or merge keys `<<` repeated too often?)",
        _position(node.start_mark),
        "R112",
    )


def _check_expansion(root: yaml.Node) -> None:
    """Refuse a node graph that would expand past `MAX_NODES` values, or into itself.

    Each distinct node is counted once (aliases share nodes), so this takes time in
    proportion to the text, however far it would expand.
    """
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: yaml.Node, depth: int) -> int:
        key = id(node)
        known = sizes.get(key)
        if known is not None:
            return known
        if key in active:
            raise YamlError(
                "an alias refers to the value it is inside (`&a [*a]`), which never ends",
                _position(node.start_mark),
                "R112",
            )
        if depth > MAX_DEPTH:
            raise YamlError(
                f"values nest deeper than {MAX_DEPTH} levels", _position(node.start_mark), "R113"
            )
        active.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            for item in node.value:
                total += size(item, depth + 1)
                if total > MAX_NODES:
                    raise _too_big(node)
        elif isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                total += size(key_node, depth + 1) + size(value_node, depth + 1)
                if total > MAX_NODES:
                    raise _too_big(node)
        active.discard(key)
        sizes[key] = total
        return total

    try:
        size(root, 0)
    except RecursionError:
        raise YamlError("YAML nesting is too deep", Position(1, 1), "R113") from None


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_YAML) if tag.startswith(_YAML) else tag


class _Builder:
    def __init__(self, source: YamlSource) -> None:
        self.source = source
        self.nodes = 0
        self.loader = yaml.SafeLoader("")

    def build(self, node: yaml.Node, path: Path, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:  # never reached after _check_expansion; a second guard
            raise _too_big(node)
        if depth > MAX_DEPTH:
            raise YamlError(
                f"values nest deeper than {MAX_DEPTH} levels", _position(node.start_mark), "R113"
            )
        self.source.values[path] = _position(node.start_mark, node)
        if not isinstance(node, yaml.ScalarNode) and node.tag not in _PLAIN_TAGS:
            raise YamlError(
                f"YAML tag {_short_tag(node.tag)!r} is not allowed in a scenario",
                _position(node.start_mark),
                "R109",
            )
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self._scalar(node)

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        position = _position(node.start_mark)
        tag = node.tag
        if tag in (_MERGE, _VALUE):  # `<<` and `=` as values are plain words
            return self._text(str(node.value), position)
        if tag not in _SCALAR_TAGS:
            raise YamlError(
                f"YAML tag {_short_tag(tag)!r} is not allowed in a scenario "
                "(only !!str, !!int, !!float, !!bool, !!null and !!timestamp)",
                position,
                "R109",
            )
        if tag in (_YAML + "int", _YAML + "float"):
            digits = sum(c.isdigit() for c in node.value.split("e")[0].split("E")[0])
            if digits > 15:
                raise YamlError(_number_message(node.value), position, "R111")
        try:
            value = self.loader.construct_object(node, deep=True)
        except Exception as error:  # PyYAML raises anything from a bad scalar
            what = {
                "timestamp": "a date",
                "int": "a whole number",
                "float": "a number",
                "bool": "true or false",
            }.get(tag.removeprefix(_YAML), f"{_short_tag(tag)}")
            detail = getattr(error, "problem", None) or str(error)
            hint = f": {detail}" if isinstance(error, ValueError) and detail else ""
            raise YamlError(
                f"YAML cannot read {_shorten(node.value)!r} as {what}{hint}", position, "R110"
            ) from None
        if isinstance(value, str):
            return self._text(value, position)
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and abs(value) >= MAX_NUMBER:
            raise YamlError(_number_message(node.value), position, "R111")
        if isinstance(value, float) and not math.isfinite(value):
            raise YamlError(
                f"{node.value!r} is not a number a scenario can use (write a finite number)",
                position,
                "R111",
            )
        if isinstance(value, float) and abs(value) >= MAX_NUMBER:
            raise YamlError(_number_message(node.value), position, "R111")
        return value

    def _text(self, value: str, position: Position) -> str:
        bad = _NOT_IN_VALUES.search(value)
        if bad is not None:
            self.source.controls.append((position, bad.group()))
        return value

    def _mapping(self, node: yaml.MappingNode, path: Path, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        merges: list[yaml.Node] = []
        explicit: list[tuple[yaml.Node, yaml.Node]] = []
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag == _MERGE:
                merges.append(value_node)
            else:
                explicit.append((key_node, value_node))
        # Merge keys: the mappings merged in first win over later ones, and the keys
        # written here win over all of them; merged keys are never duplicates.
        sources: list[yaml.MappingNode] = []
        for value_node in merges:
            items = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            for item in items:
                if not isinstance(item, yaml.MappingNode):
                    raise YamlError(
                        "a merge key `<<` takes a mapping (`<<: *defaults`) or a list of them",
                        _position(item.start_mark),
                    )
                sources.append(item)
        for source in reversed(sources):
            merged = self.build(source, path, depth)
            result.update(merged)
        if sources:
            self.source.values[path] = _position(node.start_mark, node)
        seen: set[str] = set()
        for key_node, value_node in explicit:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError(
                    "a key must be a plain word", _position(key_node.start_mark), "R115"
                )
            key_position = _position(key_node.start_mark)
            # Keys are kept as written: YAML 1.1 would read `on:` as True.
            key = self._text(str(key_node.value), key_position)
            key_path = (*path, key)
            if key in seen:
                first = self.source.keys[key_path]
                self.source.duplicates.append(
                    (key_position, f"duplicate key '{key}' (first given at line {first.line})")
                )
            seen.add(key)
            self.source.keys[key_path] = key_position
            result[key] = self.build(value_node, key_path, depth + 1)
        return result


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _number_message(written: str) -> str:
    return (
        f"the number {_shorten(written, 24)} is too large: numbers in a scenario stay "
        f"below {MAX_NUMBER:,} (15 digits)"
    )
