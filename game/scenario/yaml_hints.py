"""Plain hints for the commonest YAML slips, in place of PyYAML's parser talk.

A tab in the indentation, an unquoted `: ` or `{` in a text, a bracket or quote
left open: each gets a message that says what to change, located where the fix
goes (an unclosed bracket where it opened, not where the parser gave up).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

#: `key: value` or `- key: value` or `- value`, for finding where a value starts.
_ENTRY = re.compile(r"^(?P<lead>\s*(?:-\s+)?)(?:(?P<key>[^\s:#'\"{}\[\],&*!|>%@`-][^:#]*?):)?\s*")
_CLOSE = {"[": "]", "{": "}"}


Hint = tuple[str, int, int, str]
"""A message, its 1-based line and column, and its code."""


@dataclass(frozen=True)
class _Slip:
    """What PyYAML said about a syntax error, and the text it was reading."""

    problem: str
    context: str
    here: yaml.Mark | None
    opened: yaml.Mark | None
    text: str
    lines: list[str]

    def line_of(self, mark: yaml.Mark | None) -> str:
        """The text of the line `mark` is on ('' if none)."""
        return self.lines[mark.line] if mark is not None and mark.line < len(self.lines) else ""

    @property
    def in_brackets(self) -> bool:
        return self.context.startswith("while parsing a flow")


def syntax_error(error: yaml.MarkedYAMLError, text: str) -> Hint:
    """A message, 1-based line and column, and code for a YAML syntax error: the first
    slip recognised, or PyYAML's own words with a hint."""
    slip = _Slip(
        str(error.problem or "").strip(),
        str(error.context or "").strip(),
        error.problem_mark,
        error.context_mark,
        text,
        text.splitlines(),
    )
    for recognise in (_tab, _unclosed_quote, _unclosed_bracket, _slip_in_a_value, _dedent):
        hint = recognise(slip)
        if hint is not None:
            return hint
    return _parser_words(slip)


def _tab(slip: _Slip) -> Hint | None:
    if "'\\t'" in slip.problem or "tab" in slip.problem:
        return (
            "a tab character: YAML indents with spaces only; replace the tab with spaces",
            *_at(slip.here or slip.opened),
            "R105",
        )
    return None


def _unclosed_quote(slip: _Slip) -> Hint | None:
    opened, problem = slip.opened, slip.problem
    quoted = slip.context.startswith("while scanning a quoted scalar")
    if quoted and opened is not None and ("end of stream" in problem or "document" in problem):
        quote = slip.line_of(opened)[opened.column : opened.column + 1] or '"'
        return (
            f"this {quote} is never closed: end the text with a matching {quote}",
            *_at(opened),
            "R108",
        )
    return None


def _unclosed_bracket(slip: _Slip) -> Hint | None:
    opened, here = slip.opened, slip.here
    if not slip.in_brackets or opened is None or here is None:
        return None
    bracket = slip.line_of(opened)[opened.column : opened.column + 1]
    if bracket in _CLOSE and not _closed_by(slip.text, slip.lines, opened, here.line):
        return (
            f"this `{bracket}` is never closed: YAML reached line {here.line + 1} without "
            f"finding its `{_CLOSE[bracket]}`",
            *_at(opened),
            "R108",
        )
    return None


def _slip_in_a_value(slip: _Slip) -> Hint | None:
    """A `: ` in a value, a value starting with a bracket, or either inside brackets."""
    here, opened = slip.here, slip.opened
    if here is None:
        return None
    line = slip.line_of(here)
    entry = _ENTRY.match(line)
    if entry is not None and slip.problem == "mapping values are not allowed here":
        start = entry.end()
        if entry.group("key") and start < here.column:
            key = entry.group("key").strip()
            value = line[start:].rstrip()
            return (
                "a `: ` inside a value: YAML reads it as the start of another field. "
                f"Put the whole value in quotes: {key}: {_quoted(value)}",
                here.line + 1,
                start + 1,
                "R106",
            )
    start = entry.end() if entry is not None else 0
    # Inside a bracket opened elsewhere, the slip is a missing comma, not a text.
    inside_flow = slip.in_brackets and (
        opened is None or (opened.line, opened.column) != (here.line, start)
    )
    if entry is not None and not inside_flow and _starts_flow(line, start, here.column):
        key = (entry.group("key") or "").strip()
        value = _value_text(line[start:])
        bracket = line[start]
        kind = "a mapping" if bracket == "{" else "a list"
        example = f"{key}: {_quoted(value)}" if key else _quoted(value)
        return (
            f"a value that starts with `{bracket}` is read as {kind}: if it is a text, put "
            f"the whole value in quotes: {example}",
            here.line + 1,
            start + 1,
            "R107",
        )
    flow = _flow_slip(line, here.column, slip.problem) if slip.in_brackets else None
    if flow is not None:
        return (flow[0], here.line + 1, flow[1] + 1, flow[2])
    return None


def _dedent(slip: _Slip) -> Hint | None:
    if slip.problem.startswith("expected <block end>") and slip.here is not None:
        return (
            "this line is indented differently from the lines around it: YAML cannot tell "
            "what it belongs to. Line it up, with spaces, with the fields it goes with (or "
            "under the field it is part of)",
            *_at(slip.here),
            "R104",
        )
    return None


def _parser_words(slip: _Slip) -> Hint:
    """PyYAML's own words, with a hint where one helps."""
    problem = slip.problem
    parts = " ".join(part for part in (slip.context, problem) if part)
    hint = ""
    if problem == "mapping values are not allowed here":
        hint = " (is this line indented further than the one above?)"
    elif "could not find expected ':'" in problem:
        hint = " (a line with no `key: value`: is a `:` missing, or is a text not indented?)"
    elif problem.startswith("expected ','"):
        hint = " (is a comma missing between two items?)"
    elif "unknown escape character" in problem:
        hint = (
            " (in double quotes a backslash starts an escape: write \\\\ for a backslash, "
            "or use single quotes)"
        )
    return f"YAML syntax: {parts or 'cannot parse'}{hint}", *_at(slip.here or slip.opened), "R104"


_FLOW_BRACKETED = re.compile(r"([\w-]+):\s*([{\[][^{}\[\]]*[}\]])\s*$")
_FLOW_KEY = re.compile(r"([\w-]+):\s*([^,{}\[\]:]*)$")


def _flow_slip(line: str, col: int, problem: str) -> tuple[str, int, str] | None:
    """Inside `{ … }` or `[ … ]` on one line: a `: ` in a value (`label: Note: call`), or
    a value starting with a bracket (`label: {target} calls`). The message, the
    0-based column of the value, and the code."""
    before = line[:col]
    rest = re.split(r"[,}\]]", line[col:], maxsplit=1)[0]
    if problem.endswith("but got ':'"):
        found = _FLOW_KEY.search(before)
        if found is not None and found.group(2).strip():
            value = (found.group(2) + rest).strip()
            return (
                "a `: ` inside a value: YAML reads it as the start of another field. "
                f"Put the whole value in quotes: {found.group(1)}: {_quoted(value)}",
                found.start(2),
                "R106",
            )
    if problem.endswith("but got '<scalar>'"):
        found = _FLOW_BRACKETED.search(before)
        if found is not None and ":" not in rest:  # `[ops] intro: 1`: a comma is missing
            value = (found.group(2) + " " + rest.strip()).strip()
            bracket = found.group(2)[0]
            kind = "a mapping" if bracket == "{" else "a list"
            return (
                f"a value that starts with `{bracket}` is read as {kind}: if it is a text, put "
                f"the whole value in quotes: {found.group(1)}: {_quoted(value)}",
                found.start(2),
                "R107",
            )
    return None


def _at(mark: yaml.Mark | None) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _starts_flow(line: str, start: int, problem_col: int) -> bool:
    """A value starting with `{` or `[` on this line whose text goes on after the
    bracket closes (`{target} calls back`), where the parser failed."""
    if start >= len(line) or line[start] not in _CLOSE:
        return False
    depth = 0
    for index in range(start, len(line)):
        char = line[index]
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                rest = line[index + 1 :].strip()
                return bool(rest) and not rest.startswith("#") and problem_col > index
    return False


def _value_text(value: str) -> str:
    """A value without a trailing comment."""
    comment = re.search(r"\s#", value)
    return (value[: comment.start()] if comment else value).rstrip()


def _quoted(value: str) -> str:
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


def _closed_by(text: str, lines: list[str], opened: yaml.Mark, last_line: int) -> bool:
    """Whether the bracket at `opened` is closed by the end of line `last_line` (0-based),
    counting nested brackets and skipping quoted texts and comments."""
    depth = 0
    quote = ""
    for number in range(opened.line, min(last_line, len(lines) - 1) + 1):
        line = lines[number]
        start = opened.column if number == opened.line else 0
        previous = " "
        for char in line[start:]:
            if quote:
                if char == quote:
                    quote = ""
            elif char in "'\"":
                quote = char
            elif char == "#" and previous.isspace():
                break
            elif char in "[{":
                depth += 1
            elif char in "]}":
                depth -= 1
                if depth == 0:
                    return True
            previous = char
        if quote == "'":  # a single quote ends at the line (an apostrophe, most likely)
            quote = ""
    return False
