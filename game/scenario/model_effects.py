"""The scenario format's effects: what a move, an answer or an event changes."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, model_validator

from game.scenario.model_base import (
    MAX_EFFECTS,
    MAX_IDS,
    Label,
    Model,
    PersonId,
    Probability,
    Text,
)
from game.scenario.references import RefersTo

# --------------------------------------------------------------------------- effects

Ids = Annotated[list[PersonId], Field(max_length=MAX_IDS)]
Who = PersonId | Ids


class TrustChange(Model):
    who: Annotated[Who, RefersTo("customer", words=("target", "all"))] = Field(
        "target", description="Customer person(s): an id, `target`, `all` or a list."
    )
    to: Annotated[PersonId, RefersTo("supplier", words=("firm", "actor", "player"))] = Field(
        "actor", description="Supplier person, `actor`, `player` or `firm`."
    )
    delta: float = Field(ge=-1, le=1)


class Promise(Model):
    """A promise the supplier makes; kept with probability `reliability`."""

    what: Label = "the promise"
    who: Annotated[Who, RefersTo("customer", words=("target", "all"))] = "target"
    to: Annotated[PersonId, RefersTo("supplier", words=("firm", "actor", "player"))] = "actor"
    reliability: Probability | Literal["supplier"] = "supplier"
    gain: Probability = Field(0.08, description="Trust gained when kept; a broken one costs more.")
    satisfaction: Probability = Field(0.05, description="Satisfaction gained when kept.")
    kept: list[Effect] = Field(default_factory=list, max_length=MAX_EFFECTS)
    broken: list[Effect] = Field(default_factory=list, max_length=MAX_EFFECTS)


class Order(Model):
    value: float = Field(ge=0)
    counts_as_sale: bool = True


class Leave(Model):
    who: Annotated[PersonId, RefersTo("supplier", "customer")]
    to: Annotated[PersonId | None, RefersTo("competitor")] = Field(
        None, description="Competitor they join, if any."
    )


class Offer(Model):
    competitor: Annotated[PersonId, RefersTo("competitor")]
    discount: float = Field(0.0, ge=0, le=0.9, description="Extra discount on their usual price.")
    who: Annotated[PersonId | None, RefersTo("customer")] = Field(
        None, description="Stakeholder approached; default by influence."
    )


class Discount(Model):
    rate: float = Field(gt=0, le=0.9)
    turns: int = Field(4, ge=1)


class Effect(Model):
    """One effect. Exactly one of the fields is given."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={"minProperties": 1, "maxProperties": 1},
    )

    trust: TrustChange | None = None
    satisfaction: float | None = Field(None, ge=-1, le=1)
    promise: Promise | None = None
    introduce: Annotated[PersonId | None, RefersTo("customer")] = None
    order: Order | None = None
    flag: (
        Annotated[
            dict[PersonId, bool | int | float | Annotated[str, Field(max_length=120)]],
            Field(max_length=MAX_IDS),
        ]
        | None
    ) = None
    leave: Leave | None = None
    join: Annotated[PersonId | None, RefersTo("supplier", "customer")] = None
    offer: Offer | None = None
    discount: Discount | None = None
    reliability: float | None = Field(None, ge=-1, le=1)
    log: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _exactly_one(cls, data: Any) -> Any:
        if isinstance(data, dict) and len(data) != 1:
            keys = ", ".join(sorted(map(str, data))) or "nothing"
            raise ValueError(f"an effect has exactly one key (got {keys})")
        return data

    @model_validator(mode="after")
    def _not_empty(self) -> Effect:
        if getattr(self, self.kind) is None:
            raise ValueError(f"`{self.kind}` needs a value")
        return self

    @property
    def kind(self) -> str:
        """The name of the one field that is set."""
        return next(iter(self.model_fields_set))


Promise.model_rebuild()
