"""Checks of a scenario's texts: placeholders the game can fill, braces that close."""

from __future__ import annotations

import re

from game.scenario.check_context import CheckContext
from game.scenario.pydantic_errors import Loc, dotted
from game.scenario.suggest import did_you_mean

PLACEHOLDERS = frozenset({"actor", "target", "introducer", "customer", "supplier"})
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
#: What the game fills in each kind of text (everything else stays as written).
ACTION_TEXT = frozenset({"actor", "target", "customer", "supplier"})
INTRODUCTION_TEXT = frozenset({"introducer", "target", "actor"})


class TextChecks(CheckContext):
    """Placeholders and braces in the texts a player reads."""

    def check_template(self, path: Loc, text: str, fills: frozenset[str], why: str) -> None:
        """Unknown placeholders (errors), and known ones the game cannot fill in this
        text or a `{` never closed (warnings)."""
        for match in _PLACEHOLDER.finditer(text):
            name = match.group(1)
            if name not in PLACEHOLDERS:
                self.report(
                    path,
                    "R308",
                    f"{dotted(path)}: unknown placeholder '{{{name}}}'"
                    f"{did_you_mean(name, PLACEHOLDERS)}; use "
                    + ", ".join(f"{{{p}}}" for p in sorted(PLACEHOLDERS)),
                    col_offset=match.start(),
                )
            elif name not in fills:
                reason = why or "the game shows this text as written"
                if name == "introducer" and why:
                    reason = "only an introduction's label has an introducer"
                self.report(
                    path,
                    "R505",
                    f"{dotted(path)}: '{{{name}}}' cannot be filled here ({reason}), so "
                    "it would show as written",
                    col_offset=match.start(),
                )
        for index in _unclosed_braces(text):
            self.report(
                path,
                "R506",
                f"{dotted(path)}: this `{{` is never closed (write {{target}}, not "
                "{target); a text that needs a lone brace cannot have one)",
                col_offset=index,
            )


def _unclosed_braces(text: str) -> list[int]:
    """Where a `{` opens that no `}` closes before the next `{` or the end."""
    found = []
    opened: int | None = None
    for index, char in enumerate(text):
        if char == "{":
            if opened is not None:
                found.append(opened)
            opened = index
        elif char == "}":
            opened = None
    if opened is not None:
        found.append(opened)
    return found
