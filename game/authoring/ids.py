"""Answers about a position in a scenario file: the id there, where it is defined,
what it means, and what could be typed there.

Plain functions over scenario text, with no language-server types, so that they can
be tested directly: ``build_index`` (in ``game.authoring.id_building``) reads the
ids from a (possibly invalid) scenario; :func:`hover_at`, :func:`definition_at` and
:func:`complete_at` answer for a position in the text. Positions are 0-based lines
and 0-based columns counted in characters (code points); the language server
converts them to the editor's units.

The index is built from the YAML data, not from the validated models, so a file
with type errors still has all its ids. Text that is not YAML at all is repaired by
blanking the lines the parser stops at (the line being typed, usually); if that
fails too, the caller keeps the last index it had.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from game.authoring.id_index import (
    BLOCK_SCALAR,
    KEY_PATTERN,
    KINDS,
    LINE_KEY,
    OPEN_CALL,
    PEOPLE,
    PLACEHOLDERS,
    TEXT_KEYS,
    WORD_PATTERN,
    Completion,
    Definition,
    IdIndex,
)
from game.scenario.conditions import FUNCTIONS, FUNCTIONS_TABLE, MILESTONES, NAMES
from game.scenario.lesson_metrics import METRICS, PREFIX_KINDS, PREFIXED
from game.scenario.models import BOT_NAMES, RESERVED_IDS, Behaviour, Scenario
from game.scenario.references import refers_near

# --------------------------------------------------------------------------- positions


def word_at(line: str, col: int) -> tuple[str, int] | None:
    """The id-like word under column `col` (or just before it), and where it starts."""
    if not line:
        return None
    col = min(max(col, 0), len(line))
    if col < len(line) and WORD_PATTERN.match(line[col]):
        at = col
    elif col > 0 and WORD_PATTERN.match(line[col - 1]):
        at = col - 1
    else:
        return None
    start = at
    while start > 0 and WORD_PATTERN.match(line[start - 1]):
        start -= 1
    end = at + 1
    while end < len(line) and WORD_PATTERN.match(line[end]):
        end += 1
    return line[start:end], start


@dataclass(frozen=True, slots=True)
class Context:
    """Where the cursor is in the YAML: the keys around it, innermost first."""

    keys: tuple[str, ...]
    in_value: bool
    before: str
    """The line up to the cursor."""

    @property
    def key(self) -> str | None:
        return self.keys[0] if self.keys else None


def context_at(lines: Sequence[str], line: int, col: int) -> Context:
    """The keys whose value (or key position) the cursor is in."""
    text = lines[line].rstrip("\r\n") if 0 <= line < len(lines) else ""
    before = text[:col]
    on_line = [m.group(1) for m in KEY_PATTERN.finditer(before)]
    stripped = before.lstrip(" ")
    is_item = stripped.startswith("-") and not stripped.startswith("---")
    anchor = len(before) - len(stripped)
    in_value = bool(on_line) or is_item
    parents: list[str] = []
    for number in range(line - 1, -1, -1):
        candidate = lines[number].rstrip("\r\n")
        content = candidate.strip()
        if not content or content.startswith("#"):
            continue
        match = LINE_KEY.match(candidate)
        first = len(candidate) - len(candidate.lstrip(" "))
        if match is None:
            if first < anchor:
                # A parent that is not a `key:` line (a flow collection, a scalar): stop.
                break
            continue
        key_col = len(match.group(1)) + len(match.group(2))
        value = (match.group(4) or "").strip()
        empty = not value or value.startswith("#")
        if key_col < anchor or (key_col == anchor and is_item and empty):
            if not parents and not on_line and BLOCK_SCALAR.match(value):
                in_value = True  # a line inside `when: >-` and the like
            parents.append(match.group(3))
            anchor = first
            is_item = bool(match.group(2))
        if anchor == 0:
            break
    return Context((*reversed(on_line), *parents), in_value, before)


# --------------------------------------------------------------------------- answers


def definition_at(index: IdIndex, lines: Sequence[str], line: int, col: int) -> Definition | None:
    """The definition of the id under the cursor, if it is one the scenario defines."""
    if not 0 <= line < len(lines):
        return None
    text = lines[line].rstrip("\r\n")
    found = word_at(text, col)
    if found is None:
        return None
    word, start = found
    if word in RESERVED_IDS:
        return None
    head = text[:start]
    prefer: tuple[str, ...] = ()
    if re.search(r"\bflag\(\s*[\"']?$|\bflag\.$", head):
        prefer = ("flag",)
    elif re.search(r"\bfired\(\s*[\"']?$|\bloss_at\.$", head):
        prefer = ("event",)
    elif re.search(r"\bfollowed\.$", head):
        prefer = ("competitor",)
    elif context_at(lines, line, start).key == "flag":
        prefer = ("flag",)
    return index.lookup(word, prefer)


def hover_at(index: IdIndex, lines: Sequence[str], line: int, col: int) -> str | None:
    """Markdown about the id under the cursor, or None."""
    found = definition_at(index, lines, line, col)
    return found.hover if found else None


def _person_kinds(keys: tuple[str, ...], key: str) -> list[tuple[str, ...] | str] | None:
    """What a value of `key` (inside `keys`, innermost first) may name: kinds of ids,
    and fixed words, as the scenario models say (`RefersTo`); or the people lists and
    the flags an effect sets, which define ids."""
    if key == "people":
        return [PEOPLE]
    if key == "flag":
        return [("flag",)]
    refers = refers_near(Scenario, keys)
    if refers is None:
        return None
    return [refers.kinds, *refers.words]


def complete_at(
    index: IdIndex, lines: Sequence[str], line: int, col: int, *, invoked: bool = True
) -> list[Completion]:
    """Completions for the cursor at (`line`, `col`).

    Where the key says what is wanted (`target:`, `by:`, `when:`, `metric:`, …) only
    those ids are offered; in other values every id, but only when the author asked
    (`invoked`), not on a trigger character; where a key is being typed, nothing
    (the YAML schema completes keys), except inside a `flag:` mapping.
    """
    context = context_at(lines, line, col)
    before = context.before
    if re.search(r"(^|\s)#", before):
        return []
    key = context.key
    word_start = _start_of(before, _WORD_TAIL)
    if key is None:
        return _everything(index, word_start) if invoked and context.in_value else []
    if key == "people" and "[" not in before:
        return []  # the people lists of the two sides define people
    if key == "flag" or context.in_value:
        kinds = _person_kinds(context.keys, key)
        if kinds is not None:
            return _from_kinds(index, kinds, word_start)
    if not context.in_value:
        return []
    return _value_of(key, index, before, word_start, invoked=invoked)


def _value_of(
    key: str, index: IdIndex, before: str, word_start: int, *, invoked: bool
) -> list[Completion]:
    """Completions for the value of `key`: a condition, a metric, a bot, a behaviour,
    a placeholder in a text; nothing in an id; else every id, if asked."""
    if key == "when":
        return _condition(index, before, word_start)
    if key == "metric":
        return _metrics(index, _start_of(before, _METRIC_TAIL))
    if key in ("bot", "above", "below"):
        return [Completion(b, "enum", "built-in bot", start=word_start) for b in BOT_NAMES]
    if key == "behaviour":
        return [Completion(b.value, "enum", "behaviour", start=word_start) for b in Behaviour]
    if key in TEXT_KEYS:
        if before[:word_start].endswith("{"):
            return [
                Completion(p, "variable", "placeholder", start=word_start) for p in PLACEHOLDERS
            ]
        return []
    if key == "id":
        return []
    return _everything(index, word_start) if invoked else []


_WORD_TAIL = re.compile(r"\w*$")
_METRIC_TAIL = re.compile(r"[\w.]*$")


def _start_of(before: str, tail: re.Pattern[str]) -> int:
    """Where the word being typed starts: the text matching `tail` at the end of `before`."""
    match = tail.search(before)
    return match.start() if match else len(before)


def _item(definition: Definition, start: int, label: str | None = None) -> Completion:
    return Completion(
        label or definition.id, definition.kind, definition.detail, definition.hover, start
    )


def _from_kinds(
    index: IdIndex, kinds: Sequence[tuple[str, ...] | str], start: int
) -> list[Completion]:
    found: list[Completion] = []
    for kind in kinds:
        if isinstance(kind, str):
            found.append(Completion(kind, "keyword", "reserved word", start=start))
        else:
            found.extend(_item(d, start) for d in index.of_kind(*kind))
    return found


def _everything(index: IdIndex, start: int) -> list[Completion]:
    return [_item(d, start) for d in index.of_kind(*KINDS)]


def _condition(index: IdIndex, before: str, start: int) -> list[Completion]:
    """Inside `when:`: the ids a function takes, or names, functions and flags."""
    call = OPEN_CALL.search(before[:start])
    if call and call.group(1) in FUNCTIONS:
        kinds = FUNCTIONS[call.group(1)]
        argument = call.group(2).count(",")
        if argument >= len(kinds):
            return []
        wanted = kinds[argument]
        if wanted == "milestone":
            return [Completion(m, "enum", "milestone", start=start) for m in MILESTONES]
        if wanted == "supplier":
            return [*_from_kinds(index, [("supplier", "rep"), "firm"], start)]
        return _from_kinds(index, [(wanted,)], start)
    found = [Completion(n, "variable", doc, doc, start) for n, doc in NAMES.items()]
    found += [
        Completion(f"{f.name}(", "function", f.signature, f.meaning, start)
        for f in FUNCTIONS_TABLE.values()
    ]
    found += [
        Completion(f"flag({d.id})", "flag", d.detail, d.hover, start) for d in index.of_kind("flag")
    ]
    found += [
        Completion(f"met({d.id})", "customer", d.detail, d.hover, start)
        for d in index.of_kind("customer")
    ]
    return found


def _metrics(index: IdIndex, start: int) -> list[Completion]:
    """Lesson metrics: the plain ones, and `reached.PERSON` and friends for every id."""
    found = [Completion(m, "variable", doc, doc, start) for m, doc in METRICS.items()]
    for prefix, doc in PREFIXED.items():
        kind = PREFIX_KINDS[prefix]
        if kind == "behaviour":
            found += [Completion(prefix + b.value, "variable", doc, start=start) for b in Behaviour]
            continue
        for d in index.of_kind(kind):
            found.append(_item(d, start, prefix + d.id))
    return found
