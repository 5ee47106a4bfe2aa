"""Located authoring problems: `PATH:LINE:COL: CODE message`, one line each."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from game.common.errors import UserError
from game.scenario.codes import Severity

#: Characters never written raw to a terminal: C0 and C1 controls (escape sequences
#: start with one), DEL, and the bidirectional overrides that reorder what is shown.
UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` safe for a terminal, on one line: every unsafe character escaped
    (`\\x1b`, `\\n`, `\\u202e`)."""
    return UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char == "\n":
        return "\\n"
    if char == "\r":
        return "\\r"
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def short_repr(value: object, limit: int = 60) -> str:
    """`repr(value)`, cut to `limit` characters: a value quoted in a message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong with a scenario file, and where it is.

    `message` is the plain text; `code` (R101…) says which kind of problem it is.
    """

    path: str
    line: int
    col: int
    message: str
    severity: Severity = "error"
    code: str = ""

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        code = f"{self.code} " if self.code else ""
        return printable(f"{self.path}:{self.line}:{self.col}: {code}{prefix}{self.message}")


class ScenarioError(UserError):
    """A scenario that cannot be used; `problems` lists every error found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
