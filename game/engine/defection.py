"""How likely a stakeholder is to take a competitor's offer, and why.

The hazard adds up reasons to leave:

- *relationship*: how far loyalty falls short of `threshold` (as a share of
  it), weighted by `relationship`; trust in the competitor's own people (a rep
  who moved there), weighted by `pull`; and a little dissatisfaction,
  weighted by `satisfaction`;
- *price*: the competitor's price gap, less `reliability` times how much more
  reliable you are than them, weighted by `price`.

Loyal customers are deaf to offers: everything but the shortfall counts only in
proportion to `1 - loyalty`. The chance to defect is `1 - exp(-hazard)`. The
reason recorded is whichever of relationship or price weighed more.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from game.scenario.models import Defection

Reason = Literal["relationship", "price", "needs changed"]


@dataclass(frozen=True, slots=True)
class Hazard:
    chance: float
    relationship: float
    price: float

    @property
    def reason(self) -> Reason:
        return "price" if self.price > self.relationship else "relationship"


def defection_hazard(
    rules: Defection,
    *,
    loyalty: float,
    pull: float,
    price_gap: float,
    satisfaction: float,
) -> Hazard:
    """The chance a stakeholder defects on one offer, and how much each reason weighed."""
    open_ear = 1.0 - loyalty
    shortfall = max(0.0, rules.threshold - loyalty) / rules.threshold if rules.threshold else 0.0
    relationship = rules.relationship * shortfall
    relationship += open_ear * (rules.pull * pull + rules.satisfaction * (1.0 - satisfaction))
    price = open_ear * rules.price * max(0.0, price_gap)
    hazard = rules.base + relationship + price
    return Hazard(1.0 - math.exp(-hazard), relationship, price)
