"""What `rapport validate` says about a scenario text, and which characters each problem
covers, for the language server (plain functions: no language-server types here)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from game.authoring.id_index import Span
from game.scenario.loader import parse_scenario
from game.scenario.problems import Problem, ScenarioError

_TOKEN = re.compile(r"[^\s,\[\]{}#:]+")


def check_text(text: str, name: str, folder: Path | None = None) -> list[Problem]:
    """Every problem `rapport validate` reports for this text: its errors, or, when
    there are none, its warnings. `folder` is where the file lives (lessons' bot files
    are looked for there)."""
    try:
        loaded = parse_scenario(text, name, folder=folder)
    except ScenarioError as error:
        return list(error.problems)
    return list(loaded.warnings)


def problem_span(lines: Sequence[str], line: int, col: int) -> Span:
    """The characters a problem at 1-based (`line`, `col`) points at: the word or value
    that starts there (at least one character where the line has one)."""
    if not lines:
        return Span(0, 0, 0)
    number = min(max(line - 1, 0), len(lines) - 1)
    text = lines[number].rstrip("\r\n")
    start = min(max(col - 1, 0), len(text))
    match = _TOKEN.match(text, start)
    if match:
        return Span(number, start, match.end() - start)
    return Span(number, start, 1 if start < len(text) else 0)
