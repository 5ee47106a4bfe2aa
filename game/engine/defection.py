"""How likely a stakeholder is to take a competitor's offer, and why.

The hazard adds up reasons to leave:

- *relationship*: how far loyalty falls short of `threshold` (as a share of
  it), weighted by `relationship`; trust in the competitor's own people (a rep
  who moved there), weighted by `pull`; and a little dissatisfaction,
  weighted by `satisfaction`;
- *price*: the competitor's price gap, less `reliability` times how much more
  reliable you are than them, weighted by `price`.

Loyal customers are deaf to offers: everything but the shortfall counts only in
proportion to `1 - loyalty`. The chance to defect is `1 - exp(-hazard)`. A
defection's real reason is drawn in proportion to the terms: price with
probability `price / hazard`, the relationship otherwise (the small base counts
with the relationship).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from game.scenario.models import Defection

Reason = Literal["relationship", "price", "needs changed"]


@dataclass(frozen=True, slots=True)
class Hazard:
    """One offer's chance of a defection, and what each reason adds to the hazard."""

    chance: float
    relationship: float
    price: float

    def draw_reason(self, draw: float) -> Reason:
        """The real reason of a defection, given a uniform `draw` in [0, 1): price in
        proportion to its share of the hazard."""
        total = self.relationship + self.price
        return "price" if total > 0 and draw * total < self.price else "relationship"


def defection_hazard(
    rules: Defection,
    *,
    loyalty: float,
    pull: float,
    price_gap: float,
    satisfaction: float,
    price_taught: float = 0.0,
) -> Hazard:
    """The chance a stakeholder defects on one offer, and how much each reason weighed.

    `price_taught` is the discount rates given so far: a customer who has been taught to
    buy on price weighs the price gap more (`conditioning`)."""
    open_ear = 1.0 - loyalty
    shortfall = max(0.0, rules.threshold - loyalty) / rules.threshold if rules.threshold else 0.0
    relationship = rules.relationship * shortfall
    relationship += open_ear * (rules.pull * pull + rules.satisfaction * (1.0 - satisfaction))
    price_weight = rules.price * (1.0 + rules.conditioning * price_taught)
    price = open_ear * price_weight * max(0.0, price_gap)
    relationship += rules.base
    return Hazard(1.0 - math.exp(-(relationship + price)), relationship, price)
