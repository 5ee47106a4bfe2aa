"""The choices a player (or bot) can make, and how they are listed.

Choice ids are stable strings that a run log records:

- ``action:actor:target`` — a repeatable action (``call:you:buyer``);
  ``action:actor`` when the action has no target person;
- ``intro:introducer:person`` — ask for an introduction;
- ``event:event_id:choice_id`` — answer a pending event;
- ``end`` — end the turn.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from game.common.errors import UserError

END = "end"

ChoiceKind = Literal["action", "introduction", "event", "end"]


@dataclass(frozen=True, slots=True)
class Choice:
    """One thing the player can do now."""

    id: str
    kind: ChoiceKind
    label: str
    cost: float
    behaviour: str
    actor: str | None = None
    target: str | None = None
    source: str | None = None
    description: str = ""
    default: bool = False
    gain: float = 0.0
    """Nominal trust gain for the target (before saturation and repeats): its weight."""
    sets_flags: tuple[str, ...] = ()
    """Flags its effects set to a true value: how scenarios mark steps of a process."""
    risks: tuple[str, ...] = ()
    """What an event's answer risks, in words (a promise that may break, a rival invited in)."""


def action_choice_id(action: str, actor: str, target: str | None) -> str:
    """The id of an action choice."""
    return f"{action}:{actor}:{target}" if target else f"{action}:{actor}"


def intro_choice_id(introducer: str, person: str) -> str:
    """The id of an introduction choice."""
    return f"intro:{introducer}:{person}"


def event_choice_id(event: str, choice: str) -> str:
    """The id of an answer to an event."""
    return f"event:{event}:{choice}"


class InvalidChoice(UserError, ValueError):
    """A choice that is not open now; the message says why."""
