"""What a game in a live workshop room asks of the room, without knowing where it is.

A front end (the app, plain mode) that plays in a workshop gets a :class:`RoomHook`
from the workshop package: after every move it reports the game, and before a turn
ends it asks whether the trainer paused the room, ended the round, or put an event
into the games (the hook schedules those into the game before the turn ends, so they
fire as the next turn begins).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from game.play.session import PlaySession

PAUSED = "Your trainer has paused the room: your turn ends as soon as they resume."


@dataclass(frozen=True)
class RoomWord:
    """What the room says as a turn is about to end."""

    paused: bool = False
    """Wait: the turn may not end yet."""
    ended: str | None = None
    """The trainer ended the round: why, in words; the game stops here."""
    news: tuple[str, ...] = ()
    """Events the trainer put into this game, now scheduled for the next turn."""


class RoomHook(Protocol):
    """A workshop room a game reports to and listens to."""

    def report(self, session: PlaySession) -> None:
        """Tell the room how the game stands (after every move)."""

    def before_turn_ends(self, session: PlaySession) -> RoomWord:
        """Ask the room whether the turn may end now, scheduling the trainer's events."""


class Hooks:
    """Several hooks as one: every one hears each report; the turn waits while any says
    wait, and stops if any says the round has ended."""

    def __init__(self, hooks: list[RoomHook]) -> None:
        self.hooks = hooks

    def report(self, session: PlaySession) -> None:
        for hook in self.hooks:
            hook.report(session)

    def before_turn_ends(self, session: PlaySession) -> RoomWord:
        words = [hook.before_turn_ends(session) for hook in self.hooks]
        ended = next((w.ended for w in words if w.ended is not None), None)
        return RoomWord(
            paused=any(w.paused for w in words),
            ended=ended,
            news=tuple(line for w in words for line in w.news),
        )
