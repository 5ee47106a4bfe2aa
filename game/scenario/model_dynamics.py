"""The scenario format's rules of the world: how trust, satisfaction and defection
move (dynamics), and how the score is weighed."""

from __future__ import annotations

from pydantic import Field

from game.scenario.model_base import (
    Model,
    Probability,
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
