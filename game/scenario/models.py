"""Typed models of the scenario format (`rapport: 1`).

A scenario is one YAML file. These pydantic models define what it may contain;
`rapport schema` prints them as JSON Schema for editors, and
`docs/authoring.md` explains every field.
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, ConfigDict, Field, model_validator

from game.scenario.model_base import (
    FIRM,
    MAX_ACTIONS,
    MAX_CHOICES,
    MAX_COMPETITORS,
    MAX_CUSTOMER_PEOPLE,
    MAX_EFFECTS,
    MAX_EVENTS,
    MAX_IDS,
    MAX_LESSONS,
    MAX_MOVES,
    MAX_MOVES_PER_TURN,
    MAX_SUPPLIER_PEOPLE,
    MAX_TRUST,
    RESERVED_IDS,
    SEVEN_BEHAVIOURS,
    Behaviour,
    Label,
    Model,
    PersonId,
    Probability,
    ScenarioId,
    Text,
)
from game.scenario.model_dynamics import Defection, Dynamics, ScoreWeights
from game.scenario.model_effects import (
    Discount,
    Effect,
    Ids,
    Leave,
    Offer,
    Order,
    Promise,
    TrustChange,
    Who,
)
from game.scenario.model_moves import Action, Condition, Event, EventChoice, Introductions
from game.scenario.model_people import (
    Account,
    Calendar,
    Competitor,
    Contract,
    Customer,
    Person,
    Stakeholder,
    Supplier,
    SupplierPerson,
    TrustSeed,
)
from game.scenario.references import DefinesId
from game.scenario.suggest import closest

# --------------------------------------------------------------------------- lessons

BotName = Literal[
    "relationship-builder",
    "discounter",
    "relationship-plus-discounts",
    "lone-star",
    "constellation",
    "narrow",
    "random",
    "idle",
    "expert",
]
BOT_NAMES: tuple[str, ...] = get_args(BotName)


def _bot_reference(name: str) -> str:
    """A built-in bot's name, or a custom bot file (`.py`, relative to the scenario)."""
    if name in BOT_NAMES or name.endswith(".py"):
        return name
    close = closest(name, BOT_NAMES)
    hint = f"; did you mean '{close}'?" if close else ""
    raise ValueError(
        f"unknown bot {name[:60]!r}{hint} (built-in bots: {', '.join(BOT_NAMES)}; "
        "or a .py bot file, relative to the scenario's folder)"
    )


BotRef = Annotated[
    str,
    AfterValidator(_bot_reference),
    Field(
        max_length=300,
        description="A built-in bot, or a custom bot file ending in .py, relative to the "
        "scenario's folder.",
        json_schema_extra={"anyOf": [{"enum": list(BOT_NAMES)}, {"pattern": r"\.py$"}]},
    ),
]


class Lesson(Model):
    """What a scenario teaches, stated as an expectation between bots over many seeds."""

    id: Annotated[PersonId, DefinesId("lesson")]
    text: Text
    metric: Annotated[str, Field(max_length=80)] = Field(
        description="A result metric, e.g. `company_loyalty`, `defections`, `reached.ceo`."
    )
    bot: BotRef
    above: BotRef | None = None
    below: BotRef | None = None
    at_least: float | None = None
    at_most: float | None = None
    margin: float = Field(0.0, ge=0)

    @model_validator(mode="after")
    def _one_comparison(self) -> Lesson:
        given = [
            k for k in ("above", "below", "at_least", "at_most") if getattr(self, k) is not None
        ]
        if len(given) != 1:
            raise ValueError("a lesson needs exactly one of above, below, at_least, at_most")
        return self


# --------------------------------------------------------------------------- scenario


class Scenario(Model):
    """A whole scenario file."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        json_schema_extra={"title": "Rapport scenario", "$id": "https://rapport.invalid/schema/1"},
    )

    rapport: Literal[1] = Field(description="Format version.")
    id: ScenarioId
    title: Label
    summary: Annotated[str, Field(max_length=300)] = ""
    briefing: Text = ""
    goal: Text = ""
    turns: int = Field(ge=1, le=200)
    time_budget: float = Field(gt=0, le=1000, description="Time the player has each turn.")
    time_unit: Annotated[str, Field(max_length=12)] = "h"
    calendar: Calendar = Calendar()
    dynamics: Dynamics = Dynamics()
    scoring: ScoreWeights = ScoreWeights()
    supplier: Supplier
    customer: Customer
    competitors: list[Competitor] = Field(default_factory=list, max_length=MAX_COMPETITORS)
    account: Account = Account()
    trust: list[TrustSeed] = Field(default_factory=list, max_length=MAX_TRUST)
    introductions: Introductions = Introductions()
    actions: list[Action] = Field(min_length=1, max_length=MAX_ACTIONS)
    events: list[Event] = Field(default_factory=list, max_length=MAX_EVENTS)
    lessons: list[Lesson] = Field(default_factory=list, max_length=MAX_LESSONS)
    intended: list[Literal["R501", "R502", "R503", "R507", "R509"]] = Field(
        default_factory=list,
        max_length=5,
        description="Codes of parts that can never happen which the author means (a rare "
        "event kept switched off, a person who never arrives): they stay warnings "
        "instead of failing validation.",
    )

    @property
    def player(self) -> SupplierPerson:
        """The player's own rep."""
        return next(p for p in self.supplier.people if p.player)


__all__ = [
    "BOT_NAMES",
    "FIRM",
    "MAX_ACTIONS",
    "MAX_CHOICES",
    "MAX_COMPETITORS",
    "MAX_CUSTOMER_PEOPLE",
    "MAX_EFFECTS",
    "MAX_EVENTS",
    "MAX_IDS",
    "MAX_LESSONS",
    "MAX_MOVES",
    "MAX_MOVES_PER_TURN",
    "MAX_SUPPLIER_PEOPLE",
    "MAX_TRUST",
    "RESERVED_IDS",
    "SEVEN_BEHAVIOURS",
    "Account",
    "Action",
    "Behaviour",
    "BotName",
    "BotRef",
    "Calendar",
    "Competitor",
    "Condition",
    "Contract",
    "Customer",
    "Defection",
    "Discount",
    "Dynamics",
    "Effect",
    "Event",
    "EventChoice",
    "Ids",
    "Introductions",
    "Label",
    "Leave",
    "Lesson",
    "Model",
    "Offer",
    "Order",
    "Person",
    "PersonId",
    "Probability",
    "Promise",
    "Scenario",
    "ScenarioId",
    "ScoreWeights",
    "Stakeholder",
    "Supplier",
    "SupplierPerson",
    "Text",
    "TrustChange",
    "TrustSeed",
    "Who",
]
