"""Typed models of the scenario format (`rapport: 1`).

A scenario is one YAML file. These pydantic models define what it may contain;
`rapport schema` prints them as JSON Schema for editors, and
`docs/authoring.md` explains every field.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from game.scenario.suggest import closest

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


# --------------------------------------------------------------------------- people


class Person(Model):
    id: PersonId
    name: Label
    role: Annotated[str, Field(max_length=120)] = ""
    about: Text = Field("", description="A line or two the briefing shows about this person.")


class SupplierPerson(Person):
    """Someone on the player's side: the rep, a technician, an executive."""

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

    influence: Probability = Field(description="Weight in the buying decision, 0..1.")
    reports_to: PersonId | None = None
    met: bool = Field(False, description="Already known to the supplier at the start.")
    introduced_by: list[PersonId] | None = Field(
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
    id: PersonId
    name: Label
    price: float = Field(
        1.0, gt=0, le=5, description="Their price as a fraction of your list price."
    )
    reliability: Probability = 0.8
    offer_chance: Probability = Field(0.15, description="Chance per turn that they make an offer.")
    from_turn: int = Field(1, ge=1, description="First turn of their regular offers.")
    pitches: list[PersonId] | None = Field(
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
    competitor: PersonId | None = Field(
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

    source: PersonId = Field(alias="from")
    to: PersonId
    value: Probability


# --------------------------------------------------------------------------- effects

Ids = Annotated[list[PersonId], Field(max_length=MAX_IDS)]
Who = PersonId | Ids


class TrustChange(Model):
    who: Who = Field("target", description="Customer person(s): an id, `target`, `all` or a list.")
    to: PersonId = Field("actor", description="Supplier person, `actor`, `player` or `firm`.")
    delta: float = Field(ge=-1, le=1)


class Promise(Model):
    """A promise the supplier makes; kept with probability `reliability`."""

    what: Label = "the promise"
    who: Who = "target"
    to: PersonId = "actor"
    reliability: Probability | Literal["supplier"] = "supplier"
    gain: Probability = Field(0.08, description="Trust gained when kept; a broken one costs more.")
    satisfaction: Probability = Field(0.05, description="Satisfaction gained when kept.")
    kept: list[Effect] = Field(default_factory=list, max_length=MAX_EFFECTS)
    broken: list[Effect] = Field(default_factory=list, max_length=MAX_EFFECTS)


class Order(Model):
    value: float = Field(ge=0)
    counts_as_sale: bool = True


class Leave(Model):
    who: PersonId
    to: PersonId | None = Field(None, description="Competitor they join, if any.")


class Offer(Model):
    competitor: PersonId
    discount: float = Field(0.0, ge=0, le=0.9, description="Extra discount on their usual price.")
    who: PersonId | None = Field(None, description="Stakeholder approached; default by influence.")


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
    introduce: PersonId | None = None
    order: Order | None = None
    flag: (
        Annotated[
            dict[PersonId, bool | int | float | Annotated[str, Field(max_length=120)]],
            Field(max_length=MAX_IDS),
        ]
        | None
    ) = None
    leave: Leave | None = None
    join: PersonId | None = None
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

    id: PersonId
    label: Label = Field(description="Shown in the list; may use {actor} and {target}.")
    description: Text = ""
    behaviour: Behaviour
    cost: float = Field(ge=0, le=100, description="Time it takes from the turn's budget.")
    by: Ids | Literal["player", "team"] = Field(
        "player", description="Who can do it: `player`, `team` or a list of supplier ids."
    )
    targets: Ids | Literal["stakeholders", "none"] = Field(
        "stakeholders", description="Whom: `stakeholders` (anyone met), a list, or `none`."
    )
    when: Condition | None = None
    per_turn: int = Field(1, ge=1, description="Uses per turn for each target.")
    cooldown: int = Field(0, ge=0, description="Turns to wait before using it again on a target.")
    effects: list[Effect] = Field(min_length=1, max_length=MAX_EFFECTS)


class EventChoice(Model):
    id: PersonId
    label: Label
    behaviour: Behaviour = Behaviour.OTHER
    cost: float = Field(0, ge=0, le=100)
    default: bool = Field(False, description="What happens if the player does nothing.")
    effects: list[Effect] = Field(default_factory=list, max_length=MAX_EFFECTS)


class Event(Model):
    """Something that happens at the start of a turn, scripted or by chance."""

    id: PersonId
    title: Label
    text: Text
    when: Condition | None = None
    chance: Probability = Field(1.0, description="Chance per turn while `when` holds.")
    once: bool = True
    actor: PersonId = Field("player", description="Supplier person `actor` means in effects.")
    target: PersonId | None = Field(None, description="Customer person `target` means in effects.")
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


# --------------------------------------------------------------------------- dynamics


class Defection(Model):
    """How likely a stakeholder is to take a competitor's offer."""

    base: float = Field(0.005, ge=0, le=5)
    relationship: float = Field(0.6, ge=0, le=20, description="Weight of weak loyalty.")
    threshold: Probability = Field(0.7, description="Loyalty above which it stops mattering.")
    pull: float = Field(0.5, ge=0, le=20, description="Weight of trust in the competitor's people.")
    price: float = Field(2.5, ge=0, le=20, description="Weight of the price gap.")
    reliability: float = Field(
        0.1,
        ge=0,
        le=5,
        description="How much a point of your reliability over the competitor's offsets "
        "a point of their price advantage.",
    )
    satisfaction: float = Field(0.3, ge=0, le=20, description="Weight of dissatisfaction.")
    conditioning: float = Field(
        6.0,
        ge=0,
        le=50,
        description="Each discount teaches the customer to buy on price: the price weight "
        "grows by this much times the discount rates given so far.",
    )
    shopping: float = Field(
        2.0,
        ge=0,
        le=50,
        description="A customer taught to buy on price asks rivals for quotes: each "
        "competitor's offer chance grows by this much times the discount rates given so far.",
    )
    anchoring: Probability = Field(
        0.3,
        description="A discount leaves part of itself in the price: when it ends, the "
        "customer expects this share of it off every later order.",
    )
    colleagues: Probability = Field(
        0.6,
        description="How much a stakeholder weighing an offer goes by their colleagues' "
        "loyalty rather than their own (the buying centre).",
    )
    candour: Probability = Field(
        0.25,
        description="A defector who left over the relationship admits it only if they still "
        "trust one of your people at least this much; otherwise they name the price.",
    )
    needs_change: Probability = Field(
        0.001, description="Chance per turn per stakeholder that their needs change."
    )
    window: int = Field(
        1,
        ge=0,
        le=6,
        description="Turns a stakeholder approached by a competitor weighs the offer before "
        "deciding (in play), so the player can answer; 0 decides on the spot.",
    )
    doubt: float = Field(
        0.15,
        ge=0,
        le=0.5,
        description="How far chance sways a decision on an offer: a person in play leaves "
        "when the pressure on them (1 - exp(-hazard)) passes a threshold drawn between "
        "0.5 - doubt and 0.5 + doubt. 0.5 makes every decision a roll of that pressure; "
        "0 decides by the terms alone.",
    )


class Dynamics(Model):
    """Numbers that shape how trust moves. Defaults suit most scenarios."""

    baseline: Probability = Field(0.1, description="Trust drifts toward this without contact.")
    leak: Probability = Field(0.08, description="Share of the gap to baseline lost per idle turn.")
    firm_leak: Probability = Field(0.02, description="The same for trust in the firm.")
    contact_grace: int = Field(1, ge=0, description="Turns without contact before trust leaks.")
    repeat_factor: Probability = Field(
        0.5, description="Each repeat on the same person in a turn is worth this much less."
    )
    loss_aversion: float = Field(
        2.5,
        ge=1,
        le=10,
        description="A broken promise costs this many times what a kept one earns.",
    )
    spread: Probability = Field(
        0.1, description="Share of a manager's extra trust their reports take on per turn."
    )
    endorsement_cap: Probability = Field(
        0.3,
        description="A manager's endorsement lifts a report's trust to at most this: "
        "vouching earns a hearing, only contact earns more.",
    )
    intro_trust: Probability = 0.5
    loyalty_weight: Probability = Field(
        0.8, description="How much one fully trusted person counts."
    )
    firm_weight: Probability = Field(0.6, description="How much full trust in the firm counts.")
    provisional: Probability = Field(
        0.5,
        description="The share of its people's loyalty a customer counts as loyalty to "
        "the company until it has bought twice: loyalty starts after the second sale.",
    )
    satisfaction_drift: Probability = Field(
        0.2, description="Share of the gap to baseline closed per turn."
    )
    experience: Probability = Field(
        0.12,
        description="How far one person's satisfaction can move in a turn from their "
        "everyday experience of product and service.",
    )
    churn: Probability = Field(0.0, description="Chance per turn a supplier person resigns.")
    churn_per_year: Probability | None = Field(
        None,
        description="Chance per year a supplier person resigns (34.7% in US sales forces in "
        "2017); turned into a chance per turn from the calendar, and overrides `churn`.",
    )
    defection: Defection = Defection()


class ScoreWeights(Model):
    """Points (out of 1000 together) for each part of the final score."""

    company_loyalty: float = Field(350, ge=0)
    resilience: float = Field(150, ge=0)
    share: float = Field(150, ge=0)
    margin: float = Field(100, ge=0)
    satisfaction: float = Field(100, ge=0)
    milestones: float = Field(150, ge=0)


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

    id: PersonId
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
