"""The scenario format's building blocks: id, text and share types, the limits a
scenario may not pass, behaviours, and the base every model shares."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

PersonId = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9_]*$",
        max_length=40,
        description="A short id: lower-case letters, digits and underscores.",
    ),
]
ScenarioId = Annotated[
    str,
    Field(pattern=r"^[a-z][a-z0-9-]*$", max_length=60, description="Lower-case words and dashes."),
]
Probability = Annotated[float, Field(ge=0.0, le=1.0)]
Text = Annotated[str, Field(max_length=4000)]
Label = Annotated[str, Field(min_length=1, max_length=120)]

# Limits on how much a scenario may hold: far above what a game needs, and low
# enough that whatever validates is quick to check and to play.
MAX_SUPPLIER_PEOPLE = 40
MAX_CUSTOMER_PEOPLE = 80
MAX_COMPETITORS = 10
MAX_TRUST = 1000
MAX_ACTIONS = 150
MAX_EVENTS = 200
MAX_CHOICES = 12
MAX_EFFECTS = 40
MAX_LESSONS = 60
MAX_IDS = 80
#: Every (action, actor, target) a scenario can offer, over all its actions.
MAX_MOVES = 20_000
#: The most moves one turn may hold (actions, introductions, answers and the end of
#: the turn), so that every bot ends its turns: `game.bots.base` stops a bot after
#: 500 moves in one turn.
MAX_MOVES_PER_TURN = 400

#: Ids with a fixed meaning in effects, conditions and targets.
FIRM = "firm"
RESERVED_IDS = frozenset({FIRM, "actor", "target", "player", "all", "team", "stakeholders", "none"})


class Behaviour(StrEnum):
    """What kind of move a choice is. Bots and the debrief read these tags."""

    # The seven account-manager behaviours.
    CONTACT = "contact"
    SPECIAL_NEEDS = "special_needs"
    TRAINING = "training"
    INDUSTRY_INFO = "industry_info"
    BUSINESS_REVIEW = "business_review"
    PRODUCT_IDEAS = "product_ideas"
    NETWORKING = "networking"
    # Moves that build loyalty to the company rather than to one person.
    COMPANY_COMMUNICATION = "company_communication"
    ACCOUNT_PLAN = "account_plan"
    INNOVATION = "innovation"
    # Operations and service.
    DELIVERY = "delivery"
    SERVICE = "service"
    # Price and programme moves.
    DISCOUNT = "discount"
    LOYALTY_PROGRAM = "loyalty_program"
    # Doing something else, or nothing, with the time.
    SELLING = "selling"
    OTHER = "other"
    DECLINE = "decline"


SEVEN_BEHAVIOURS = (
    Behaviour.CONTACT,
    Behaviour.SPECIAL_NEEDS,
    Behaviour.TRAINING,
    Behaviour.INDUSTRY_INFO,
    Behaviour.BUSINESS_REVIEW,
    Behaviour.PRODUCT_IDEAS,
    Behaviour.NETWORKING,
)


class Model(BaseModel):
    """Base for every scenario model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
