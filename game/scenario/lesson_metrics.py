"""The metrics a lesson can compare between bots, and what each means.

Each metric is measured at the end of a run and averaged over a bot's runs,
except `satisfied_share`, which pools every defection of every run. `hours.*`
and `people_worked*` describe what the bot did rather than how the customer
took it.
"""

from __future__ import annotations

METRICS: dict[str, str] = {
    "score": "the final score, 0–1000",
    "company_loyalty": "final company loyalty, 0..1",
    "resilience": "share of company loyalty left if the key person walked out",
    "concentration": "how much of the trust one person holds (Herfindahl index)",
    "satisfaction": "final satisfaction, 0..1",
    "revenue": "revenue over the game",
    "share": "share of the business still held at the end",
    "lifetime_value": "customer lifetime value at the end",
    "defections": "stakeholders lost per run",
    "satisfied_share": "of all defections, the share whose stakeholder was satisfied (≥ 0.6)",
    "promises_kept": "promises kept per run",
    "promises_broken": "promises broken per run",
    "loyalty_drop": "share of peak company loyalty lost by the end",
    "first_sale": "share of runs with a first sale",
    "second_sale": "share of runs with a second sale",
    "people_worked": "distinct customer people the bot's moves were aimed at (its actions, "
    "introductions and event answers other than the default)",
    "people_worked_share": "people_worked over the number of customer people",
}

#: Metrics about one thing in the scenario: `prefix.ID`.
PREFIXED: dict[str, str] = {
    "reached.": "share of runs in which this customer person was met",
    "defected.": "share of runs in which this customer person left",
    "followed.": "share of runs in which someone left for this competitor",
    "loss_at.": "share of company loyalty lost in the turn this event fired (0 if it never did)",
    "flag.": "the flag's mean value at the end (true counts as 1)",
    "hours.": "share of the time the bot's moves took that went to moves with this "
    "behaviour tag, 0..1 (introductions count as networking; default answers not at all)",
}

#: What the id after each prefix must name.
PREFIX_KINDS = {
    "reached.": "customer",
    "defected.": "customer",
    "followed.": "competitor",
    "loss_at.": "event",
    "flag.": "flag",
    "hours.": "behaviour",
}


def split_metric(metric: str) -> tuple[str, str | None]:
    """("reached.", "ceo") for a prefixed metric, (metric, None) otherwise."""
    for prefix in PREFIXED:
        if metric.startswith(prefix):
            return prefix, metric.removeprefix(prefix)
    return metric, None
