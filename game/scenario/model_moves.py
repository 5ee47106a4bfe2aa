"""The scenario format's moves and events: actions, events with their answers,
introductions, and the conditions they use."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from game.scenario.model_base import (
    MAX_CHOICES,
    MAX_EFFECTS,
    Behaviour,
    Label,
    Model,
    PersonId,
    Probability,
    Text,
)
from game.scenario.model_effects import (
    Effect,
    Ids,
)
from game.scenario.references import DefinesId, RefersTo

# --------------------------------------------------------------------------- actions, events

Condition = Annotated[
    str,
    Field(
        max_length=500,
        description="An expression over the game state, "
        "e.g. `trust(buyer, you) >= 0.5 and turn > 3`.",
    ),
]


class Action(Model):
    """A repeatable move with a time cost."""

    id: Annotated[PersonId, DefinesId("action")]
    label: Label = Field(description="Shown in the list; may use {actor} and {target}.")
    description: Text = ""
    behaviour: Behaviour
    cost: float = Field(ge=0, le=100, description="Time it takes from the turn's budget.")
    by: Annotated[
        Ids | Literal["player", "team"], RefersTo("supplier", words=("player", "team"))
    ] = Field("player", description="Who can do it: `player`, `team` or a list of supplier ids.")
    targets: Annotated[
        Ids | Literal["stakeholders", "none"], RefersTo("customer", words=("stakeholders", "none"))
    ] = Field("stakeholders", description="Whom: `stakeholders` (anyone met), a list, or `none`.")
    when: Condition | None = None
    per_turn: int = Field(1, ge=1, description="Uses per turn for each target.")
    cooldown: int = Field(0, ge=0, description="Turns to wait before using it again on a target.")
    effects: list[Effect] = Field(min_length=1, max_length=MAX_EFFECTS)


class EventChoice(Model):
    id: Annotated[PersonId, DefinesId("answer")]
    label: Label
    behaviour: Behaviour = Behaviour.OTHER
    cost: float = Field(0, ge=0, le=100)
    default: bool = Field(False, description="What happens if the player does nothing.")
    effects: list[Effect] = Field(default_factory=list, max_length=MAX_EFFECTS)


class Event(Model):
    """Something that happens at the start of a turn, scripted or by chance."""

    id: Annotated[PersonId, DefinesId("event")]
    title: Label
    text: Text
    when: Condition | None = None
    chance: Probability = Field(1.0, description="Chance per turn while `when` holds.")
    once: bool = True
    actor: Annotated[PersonId, RefersTo("supplier", words=("player",))] = Field(
        "player", description="Supplier person `actor` means in effects."
    )
    target: Annotated[PersonId | None, RefersTo("customer")] = Field(
        None, description="Customer person `target` means in effects."
    )
    effects: list[Effect] = Field(
        default_factory=list, max_length=MAX_EFFECTS, description="Applied when it fires."
    )
    choices: list[EventChoice] = Field(default_factory=list, max_length=MAX_CHOICES)

    @model_validator(mode="after")
    def _one_default(self) -> Event:
        defaults = [c.id for c in self.choices if c.default]
        if len(defaults) > 1:
            raise ValueError(f"only one choice may be the default (found {', '.join(defaults)})")
        return self

    @property
    def default_choice(self) -> EventChoice | None:
        """The choice taken when the player does nothing: the marked one, else the first."""
        for choice in self.choices:
            if choice.default:
                return choice
        return self.choices[0] if self.choices else None


class Introductions(Model):
    label: Label = "Ask {introducer} to introduce you to {target}"
    cost: float = Field(2.0, ge=0, le=100)
    transfer: Probability = Field(
        0.6, description="Share of the introducer's trust the new contact starts with."
    )
