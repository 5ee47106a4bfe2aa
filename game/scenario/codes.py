"""Stable codes for every problem `rapport validate` reports.

Each problem line reads `FILE:LINE:COL: CODE message` (a warning: `CODE warning:
message`). Codes never change meaning: trainers and editors may look them up in
docs/authoring.md ("Error codes"), where each has an entry. The hundreds group them:

- R1xx: reading the file and its YAML;
- R2xx: fields and their values;
- R3xx: ids, people and texts that do not fit together;
- R4xx: conditions;
- R5xx: warnings (the file plays, but probably not as meant).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Code:
    """What a code means, and whether it stops the file from being used."""

    code: str
    severity: Severity
    summary: str


_TABLE: tuple[tuple[str, Severity, str], ...] = (
    # Reading the file and its YAML.
    ("R101", "error", "the file cannot be read: missing, not a file, or over 1 MB"),
    ("R102", "error", "the file is not UTF-8 text"),
    ("R103", "error", "a control character in the file"),
    ("R104", "error", "YAML syntax error"),
    ("R105", "error", "a tab in the indentation"),
    ("R106", "error", "an unquoted `: ` inside a value"),
    ("R107", "error", "an unquoted value that starts with `{` or `[`"),
    ("R108", "error", "a bracket or quote that is never closed"),
    ("R109", "error", "a YAML tag a scenario may not use"),
    ("R110", "error", "a value YAML cannot read as its tag says"),
    ("R111", "error", "a number too large, or not finite"),
    ("R112", "error", "anchors, aliases or merge keys that expand too far"),
    ("R113", "error", "values nested too deeply"),
    ("R114", "error", "a key given twice in one mapping"),
    ("R115", "error", "a key that is not a plain word"),
    ("R116", "error", "an empty file, or a file that is not a mapping of fields"),
    ("R117", "error", "the format version `rapport: 1` missing or unsupported"),
    # Fields and their values.
    ("R201", "error", "a required field is missing"),
    ("R202", "error", "an unknown field"),
    ("R203", "error", "a value of the wrong type or out of range"),
    ("R204", "error", "not a valid id"),
    ("R205", "error", "a word that is not one of the allowed ones"),
    ("R206", "error", "an unknown bot in a lesson"),
    ("R207", "error", "an effect without exactly one kind"),
    ("R208", "error", "a rule of the format broken (one player, one default answer, …)"),
    ("R209", "error", "too many items in a list"),
    # Ids, people and texts.
    ("R301", "error", "an id that names nobody (or the wrong kind of person or thing)"),
    ("R302", "error", "a reserved word used as an id"),
    ("R303", "error", "an id used twice"),
    ("R304", "error", "reporting lines that go round in a loop"),
    ("R305", "error", "the people cannot make a game (nobody met, no influence, …)"),
    ("R306", "error", "`target` where there is no target person"),
    ("R307", "error", "a `leave` or `join` that cannot happen"),
    ("R308", "error", "an unknown placeholder in a text"),
    ("R309", "error", "an unknown lesson metric"),
    ("R310", "error", "the calendar runs past the last date Rapport can show"),
    ("R311", "error", "a turn that could hold more moves than a player ever makes"),
    ("R312", "error", "a contract that ends after the game, or decides before it starts"),
    # Conditions.
    ("R401", "error", "a condition that is not a valid expression"),
    ("R402", "error", "`=` where `==` was meant"),
    ("R403", "error", "a condition that ends early or leaves a bracket open"),
    ("R404", "error", "an unknown name or function, or a function given the wrong ids"),
    ("R405", "error", "something a condition may not contain"),
    ("R406", "error", "a condition that mixes numbers and text"),
    ("R407", "error", "a condition too long, too deep or with too large a number"),
    # Warnings.
    ("R501", "warning", "a condition that can never be true"),
    ("R502", "warning", "an event that can never fire"),
    ("R503", "warning", "a person no chain of introductions reaches, or who never arrives"),
    ("R504", "warning", "a cost no turn can afford"),
    ("R505", "warning", "a placeholder that cannot be filled here"),
    ("R506", "warning", "a `{` that is never closed in a text"),
    ("R507", "warning", "a flag no effect sets"),
    ("R508", "warning", "a move or answer that changes nothing"),
    ("R509", "warning", "a `join` of someone already there"),
    ("R510", "warning", "a lesson's bot file that is not there"),
    ("R511", "warning", "a text holding a control character or terminal escape"),
)

CODES: dict[str, Code] = {code: Code(code, severity, summary) for code, severity, summary in _TABLE}


#: Warnings about a part of the scenario that can never happen. They fail validation like
#: errors unless the scenario lists the code under `intended:` (the author means it).
NEVER_HAPPENS = ("R501", "R502", "R503", "R507", "R509")


def severity_of(code: str) -> Severity:
    """Whether problems with `code` are errors or warnings."""
    return CODES[code].severity
