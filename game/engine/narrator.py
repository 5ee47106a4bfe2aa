"""Narration: the sentences of the event log, each with the change in loyalty it caused.

Rule modules never test whether a game is narrated. They ask their world's
narrator to `mark` company loyalty before a change and to `tell` what happened
after it; a :class:`Narrator` writes the line with the loyalty delta, a
:class:`SilentNarrator` (headless play: bots, balance runs, look-ahead forks)
does nothing, so the game reaches exactly the same state either way. Text that
costs something to build is passed as a function and built only when it is told.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from game.engine.rules import Namer
from game.engine.state import GameState, LogEntry, LogKind
from game.engine.text import percent, points
from game.scenario.models import FIRM

#: A log line's text, or a function that builds it when (and only if) it is told.
Text = str | Callable[[], str]
#: A trust change of one person: (person, trust before, trust after).
TrustMove = tuple[str, float, float]


def sentence(head: str, phrases: Sequence[str]) -> str:
    """'Call Dana: Dana's trust in you 40% → 48%.' from a head and its phrases."""
    head = head.rstrip()
    if not phrases:
        return head if head.endswith((".", "!", "?")) else head + "."
    body = "; ".join(phrase.rstrip().rstrip(".") for phrase in phrases)
    end = "" if body.endswith(("!", "?")) else "."
    return f"{head.rstrip('.')}: {body}{end}"


class Narrator:
    """Writes the event log of one game."""

    __slots__ = ("_namer", "_state")

    #: Whether anything told is kept (False for :class:`SilentNarrator`).
    listening = True

    def __init__(self, state: GameState, namer: Namer) -> None:
        self._state = state
        self._namer = namer

    def mark(self) -> float:
        """Company loyalty now: pass it to :meth:`tell` as `since`."""
        return self._state.loyalty.company()

    def tell(
        self,
        kind: LogKind,
        text: Text,
        phrases: Sequence[str] | None = None,
        *,
        cause: str = "",
        since: float | None = None,
        min_change: float = 0.0,
    ) -> None:
        """Add a line: `text`, or given `phrases`, a :func:`sentence` of the two; and,
        given `since`, the change in company loyalty since that mark (and only if it
        is at least `min_change` either way)."""
        state = self._state
        delta = 0.0 if since is None else state.loyalty.company() - since
        if abs(delta) < 1e-12:
            delta = 0.0
        if abs(delta) < min_change:
            return
        head = text() if callable(text) else text
        line = head if phrases is None else sentence(head, phrases)
        state.log.append(LogEntry(state.turn, kind, line, cause, delta))

    def phrase(self, text: Text) -> list[str]:
        """One phrase for a line being built (none when nobody listens)."""
        return [text() if callable(text) else text]

    def trust_moves(self, moves: Sequence[TrustMove], to: str) -> list[str]:
        """Phrases for trust changes of several people in one supplier node."""
        moved = [(p, b, a) for p, b, a in moves if abs(a - b) >= 0.0005]
        if not moved:
            return []
        namer = self._namer
        whom = "your company" if to == FIRM else namer.name(to)
        if len(moved) == 1:
            person, before, after = moved[0]
            return [f"{namer.names[person]}'s trust in {whom} {percent(before)} → {percent(after)}"]
        change = sum(a - b for _p, b, a in moved) / len(moved)
        return [
            f"trust in {whom} {points(change).replace(' pts', ' pts on average')} "
            f"for {len(moved)} people"
        ]


class SilentNarrator(Narrator):
    """The narrator of a game nobody reads: it keeps no log and builds no text."""

    __slots__ = ()
    listening = False

    def mark(self) -> float:
        return 0.0

    def tell(
        self,
        kind: LogKind,
        text: Text,
        phrases: Sequence[str] | None = None,
        *,
        cause: str = "",
        since: float | None = None,
        min_change: float = 0.0,
    ) -> None:
        return None

    def phrase(self, text: Text) -> list[str]:
        return []

    def trust_moves(self, moves: Sequence[TrustMove], to: str) -> list[str]:
        return []
