"""The scenario format's people and firms: your team, the customer's people, the
competitors, the account and its contract, the calendar, the trust at the start."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field, model_validator

from game.scenario.model_base import (
    MAX_COMPETITORS,
    MAX_CUSTOMER_PEOPLE,
    MAX_IDS,
    MAX_SUPPLIER_PEOPLE,
    Label,
    Model,
    PersonId,
    Probability,
    Text,
)
from game.scenario.references import DefinesId, RefersTo

# --------------------------------------------------------------------------- people


class Person(Model):
    id: Annotated[PersonId, DefinesId("rep")]  # as a competitor's rep; see below
    name: Label
    role: Annotated[str, Field(max_length=120)] = ""
    about: Text = Field("", description="A line or two the briefing shows about this person.")


class SupplierPerson(Person):
    """Someone on the player's side: the rep, a technician, an executive."""

    id: Annotated[PersonId, DefinesId("supplier")]

    player: bool = Field(False, description="True for the player's own rep (exactly one).")
    active: bool = Field(True, description="False for someone who joins later (a `join` effect).")
    churn: Probability | None = Field(
        None, description="Chance per turn that this person resigns; default `dynamics.churn`."
    )
    churn_per_year: Probability | None = Field(
        None,
        description="Chance per year that this person resigns (turned into a chance per turn "
        "from the calendar); overrides `churn`.",
    )


class Stakeholder(Person):
    """Someone at the customer with a say in buying."""

    id: Annotated[PersonId, DefinesId("customer")]

    influence: Probability = Field(description="Weight in the buying decision, 0..1.")
    reports_to: Annotated[PersonId | None, RefersTo("customer")] = None
    met: bool = Field(False, description="Already known to the supplier at the start.")
    introduced_by: Annotated[list[PersonId] | None, RefersTo("customer")] = Field(
        None,
        max_length=MAX_IDS,
        description="Who can introduce the supplier to this person. "
        "Default: their manager and their direct reports.",
    )
    intro_trust: Probability | None = Field(
        None, description="Trust the introducer must have in you; default `dynamics.intro_trust`."
    )
    present: bool = Field(
        True,
        description="False for someone who arrives later (a `join` effect), such as a "
        "successor. They arrive unmet.",
    )
    satisfaction: Probability | None = Field(
        None,
        description="This person's satisfaction at the start; default `account.satisfaction`.",
    )


class Supplier(Model):
    name: Label
    reliability: Probability = Field(0.9, description="Chance a delivery promise is kept.")
    people: list[SupplierPerson] = Field(min_length=1, max_length=MAX_SUPPLIER_PEOPLE)

    @model_validator(mode="after")
    def _one_player(self) -> Supplier:
        players = [p.id for p in self.people if p.player]
        if len(players) != 1:
            raise ValueError(
                f"exactly one supplier person needs `player: true` (found {len(players)})"
            )
        return self


class Customer(Model):
    name: Label
    about: Text = ""
    people: list[Stakeholder] = Field(min_length=1, max_length=MAX_CUSTOMER_PEOPLE)


class Competitor(Model):
    id: Annotated[PersonId, DefinesId("competitor")]
    name: Label
    price: float = Field(
        1.0, gt=0, le=5, description="Their price as a fraction of your list price."
    )
    reliability: Probability = 0.8
    offer_chance: Probability = Field(0.15, description="Chance per turn that they make an offer.")
    from_turn: int = Field(1, ge=1, description="First turn of their regular offers.")
    pitches: Annotated[list[PersonId] | None, RefersTo("customer")] = Field(
        None,
        max_length=MAX_IDS,
        description="Stakeholders their regular offers go to; default: anyone.",
    )
    price_match: Probability = Field(
        0.5,
        description="Chance per turn that they answer a discount of yours with the same "
        "cut of their own, for as long as yours lasts.",
    )
    people: list[Person] = Field(
        default_factory=list, max_length=MAX_COMPETITORS, description="Their reps."
    )


class Contract(Model):
    """A supply contract with an end: near it, the customer's buying centre decides to
    renew, to re-tender, or to leave, on the same terms as a defection."""

    ends: int = Field(ge=2, description="The turn the contract ends.")
    notice: int = Field(
        1, ge=1, description="How many turns before the end the buying centre decides."
    )
    competitor: Annotated[PersonId | None, RefersTo("competitor")] = Field(
        None, description="The competitor invited to bid; default: the first competitor."
    )


class Account(Model):
    """The business at stake with this customer."""

    order_value: float = Field(0.0, ge=0, description="Value of one regular order at full share.")
    orders_every: int = Field(0, ge=0, description="Turns between regular orders; 0 for none.")
    currency: Annotated[str, Field(max_length=8)] = "$"
    margin: Probability = Field(0.25, description="Gross margin on revenue, for lifetime value.")
    interest: float = Field(0.1, ge=0, le=1, description="Yearly discount rate for lifetime value.")
    satisfaction: Probability = Field(0.7, description="Satisfaction at the start.")
    satisfaction_baseline: Probability = Field(
        0.7, description="Where satisfaction drifts back to without service events."
    )
    sales_before: int = Field(0, ge=0, description="Sales already made before the game starts.")
    contract: Contract | None = Field(
        None, description="A contract with an end date, decided near its end."
    )


class Calendar(Model):
    start: dt.date = dt.date(2027, 1, 4)
    days_per_turn: int = Field(14, ge=1, le=365)
    turn_name: Annotated[str, Field(max_length=20)] = "Turn"


class TrustSeed(Model):
    """Trust that exists at the start, from a customer person to a supplier node."""

    source: Annotated[PersonId, RefersTo("customer")] = Field(alias="from")
    to: Annotated[PersonId, RefersTo("supplier", "rep", words=("firm",))]
    value: Probability
