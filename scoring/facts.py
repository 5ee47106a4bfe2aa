"""The facts about a run that scoring reads: plain data, no game objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RunFacts:
    turns_played: int
    years_played: float
    final: dict[str, float]
    timeline: list[dict[str, float]]
    potential_revenue: float
    """What every order would have brought at full share and list price."""
    margin_earned: float
    """Gross margin actually earned: discounts come off it."""
    margin: float
    interest: float
    sales: int
    sales_before: int
    tracks_sales: bool
    attribution: dict[str, float]
    defections: list[dict[str, Any]]
    promises_kept: int
    promises_broken: int
    weights: dict[str, float] = field(default_factory=dict)
