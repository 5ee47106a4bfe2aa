"""Reflection first: before the expert's analysis, the player says which turn they would
play differently and what they expected; then the analysis is shown beside their answer.

Research on debriefing simulations finds that the trainee's own reflection is what
makes a debrief work, so the questions come before any verdict. The answers are kept
with the game (the run log's `notes`, the Markdown export), never in the score.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from game.coach.analysis_report import Analysis, Moment

QUESTIONS = (
    "Which turn would you play differently, and what would you do instead?",
    "What did you expect to happen, and what surprised you?",
)
PREFIXES = ("I would play differently: ", "I expected: ")
MAX_ANSWER = 1000


@dataclass(frozen=True)
class Reflection:
    """The player's answers to `QUESTIONS` (empty when skipped)."""

    differently: str = ""
    expected: str = ""

    @classmethod
    def from_answers(cls, *answers: str) -> Reflection:
        cleaned = [" ".join(a.split())[:MAX_ANSWER] for a in answers]
        cleaned += [""] * (2 - len(cleaned))
        return cls(cleaned[0], cleaned[1])

    @classmethod
    def from_notes(cls, notes: tuple[str, ...]) -> Reflection:
        found = {prefix: "" for prefix in PREFIXES}
        for note in notes:
            for prefix in PREFIXES:
                if note.startswith(prefix):
                    found[prefix] = note.removeprefix(prefix)
        return cls(found[PREFIXES[0]], found[PREFIXES[1]])

    @property
    def empty(self) -> bool:
        return not (self.differently or self.expected)

    def notes(self) -> tuple[str, ...]:
        """The answers as run-log notes."""
        pairs = zip(PREFIXES, (self.differently, self.expected), strict=True)
        return tuple(prefix + answer for prefix, answer in pairs if answer)

    @property
    def turn(self) -> int | None:
        """The turn the player named, if their answer names one."""
        found = re.search(r"\d+", self.differently)
        return int(found.group()) if found else None


def beside(reflection: Reflection, analysis: Analysis) -> list[str]:
    """The analysis's view of the turn the player named, next to what they said."""
    lines = []
    if reflection.differently:
        lines.append(f"You would play differently: {reflection.differently}")
    if reflection.expected:
        lines.append(f"You expected: {reflection.expected}")
    turn = reflection.turn
    if turn is None:
        return lines
    named: Moment | None = next((m for m in analysis.moments if m.turn == turn), None)
    if named is not None:
        lines.append(
            f"The expert agrees that turn {turn} mattered: it would have chosen "
            f"“{named.expert}”, worth about {named.loss:.0f} points more."
        )
    elif analysis.moments:
        costliest = max(analysis.moments, key=lambda m: m.loss)
        lines.append(
            f"At turn {turn} the expert found no clear loss; the costliest decision it found "
            f"was turn {costliest.turn}'s, about {costliest.loss:.0f} points."
        )
    else:
        lines.append(f"At turn {turn}, as everywhere, the expert found no clear loss.")
    return lines
