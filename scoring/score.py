"""The final score (0–1000) and the breakdown the debrief explains."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from scoring.facts import RunFacts
from scoring.value import lifetime_value, retention_rate

#: Readable names for the causes of trust changes.
CAUSES: dict[str, str] = {
    "contact": "Regular contact",
    "special_needs": "Responding to special needs",
    "training": "Training the customer",
    "industry_info": "Sharing industry information",
    "business_review": "Business reviews",
    "product_ideas": "Asking for product ideas",
    "networking": "Introductions and a broad network",
    "company_communication": "Direct company communication",
    "account_plan": "Account planning with the customer",
    "innovation": "Innovations",
    "delivery": "Reliable deliveries",
    "late delivery": "Late deliveries",
    "service": "Service and support",
    "discount": "Discounts",
    "loyalty_program": "Loyalty programme",
    "promise kept": "Promises kept",
    "promise broken": "Promises broken",
    "leak": "Trust leaking without contact",
    "endorsement": "Managers vouching for you",
    "departure": "People who left your team",
    "defection": "Stakeholders lost to competitors",
    "turnover": "People who left the customer",
    "event": "Events",
    "selling": "Selling",
    "other": "Other moves",
    "decline": "Declined requests",
}

PART_LABELS = {
    "company_loyalty": "Company loyalty",
    "resilience": "Loyalty that survives a departure",
    "share": "Share of the business kept",
    "margin": "Margin earned against potential",
    "satisfaction": "Average satisfaction",
    "milestones": "First and second sale",
}


@dataclass(frozen=True, slots=True)
class ScorePart:
    key: str
    label: str
    value: float
    weight: float
    points: float


@dataclass(frozen=True, slots=True)
class Driver:
    cause: str
    label: str
    points: float


@dataclass(frozen=True)
class Score:
    total: int
    parts: tuple[ScorePart, ...]
    built: tuple[Driver, ...]
    leaked: tuple[Driver, ...]
    retention: float
    lifetime_value: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "breakdown": {
                p.key: {"label": p.label, "value": round(p.value, 4), "points": round(p.points, 1)}
                for p in self.parts
            },
            "built": [asdict(d) | {"points": round(d.points, 2)} for d in self.built],
            "leaked": [asdict(d) | {"points": round(d.points, 2)} for d in self.leaked],
            "retention": round(self.retention, 4),
            "lifetime_value": round(self.lifetime_value, 2),
        }


def part_values(facts: RunFacts) -> dict[str, float | None]:
    """Each score part as 0..1, or None where the scenario does not use it."""
    final = facts.final
    turns = [t for t in facts.timeline if t["turn"] >= 1] or facts.timeline
    values: dict[str, float | None] = {
        "company_loyalty": final["company_loyalty"],
        "resilience": final["company_loyalty"] * final["resilience"],
        "share": final["share"],
        "margin": margin_part(facts),
        "satisfaction": sum(t["satisfaction"] for t in turns) / len(turns),
        "milestones": None,
    }
    if facts.tracks_sales:
        reached = (facts.sales >= 1) + (facts.sales >= 2)
        values["milestones"] = reached / 2
    return values


def margin_part(facts: RunFacts) -> float | None:
    """Margin earned over the margin every order would have earned at full share and list
    price (None when the scenario has no orders). Discounts and lost share both cost."""
    potential = facts.potential_revenue * facts.margin
    if potential <= 0:
        return None
    return max(0.0, facts.margin_earned / potential)


def drivers(facts: RunFacts) -> tuple[tuple[Driver, ...], tuple[Driver, ...]]:
    """Causes that built trust and causes that leaked it, biggest first, in points of 100."""
    items = [
        Driver(cause, CAUSES.get(cause, cause.replace("_", " ").capitalize()), value * 100)
        for cause, value in facts.attribution.items()
        if abs(value) >= 0.0005
    ]
    built = tuple(sorted((d for d in items if d.points > 0), key=lambda d: -d.points))
    leaked = tuple(sorted((d for d in items if d.points < 0), key=lambda d: d.points))
    return built, leaked


def score_run(facts: RunFacts) -> Score:
    """Score a run: weighted parts scaled to 1000, plus what built and leaked loyalty."""
    values = part_values(facts)
    weights = {key: facts.weights.get(key, 0.0) for key in PART_LABELS}
    used = {k: v for k, v in values.items() if v is not None and weights[k] > 0}
    total_weight = sum(weights[k] for k in used) or 1.0
    parts = tuple(
        ScorePart(
            key, PART_LABELS[key], value, weights[key], 1000 * weights[key] * value / total_weight
        )
        for key, value in used.items()
    )
    built, leaked = drivers(facts)
    final = facts.final
    retention = retention_rate(final["company_loyalty"], final["share"])
    years = facts.years_played or 1.0
    yearly_margin = max(0.0, facts.margin_earned) / years * final["share"]
    value = lifetime_value(yearly_margin, retention, facts.interest)
    total = round(sum(p.points for p in parts))
    return Score(total, parts, built, leaked, retention, value)
