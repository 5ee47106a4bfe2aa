"""The research's lessons come out of play, over many seeds of every bundled scenario.

These are population tests, not timed ones: each plays every built-in bot (the
`expert` apart, which has its own test) over the same seeds and checks what
the research found. Nothing in the engine writes these figures down; if one of
these fails, the rules have stopped teaching the lesson.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from functools import cache

import pytest

from game.bots import QUICK_BOTS, make_bot, play
from game.coach.results import SATISFIED
from game.engine import Game
from game.scenario.catalog import load_bundled

SCENARIOS = ("sand-supplier", "director-to-ceo", "second-sale", "loyalty-giveaway", "loyalty-force")
BOTS = QUICK_BOTS
SEEDS = range(1000, 1060)  # not the seeds `rapport balance` starts from
BROAD_NETWORKS = ("relationship-builder", "constellation", "lone-star")


@dataclass(frozen=True)
class Played:
    scores: tuple[float, ...]
    satisfied: int
    price: int
    defections: int
    needs_changed: int = 0
    named_relationship: int = 0


@cache
def played(scenario: str, bot: str) -> Played:
    loaded = load_bundled(scenario)
    player = make_bot(bot)
    scores: list[float] = []
    satisfied = price = defections = needs = named = 0
    for seed in SEEDS:
        game = play(Game(loaded.scenario, seed, narrate=False), player)
        scores.append(game.score().total)
        for record in game.defections:
            defections += 1
            satisfied += record.satisfaction >= SATISFIED
            price += record.reason == "price"
            needs += record.reason == "needs changed"
            named += record.stated == "relationship"
    return Played(tuple(scores), satisfied, price, defections, needs, named)


def mean_score(scenario: str, bot: str) -> float:
    return statistics.fmean(played(scenario, bot).scores)


def test_most_defectors_were_satisfied_and_a_minority_left_for_price() -> None:
    """Research: 75% of defectors were satisfied, 25% left for price. Over the library
    and every bot, play lands in 60–90% and 15–35%, and no scenario is above 95%."""
    total = satisfied = price = 0
    for scenario in SCENARIOS:
        pooled = [played(scenario, bot) for bot in BOTS]
        count = sum(p.defections for p in pooled)
        happy = sum(p.satisfied for p in pooled)
        assert count > 50, scenario
        assert happy / count <= 0.95, f"{scenario}: {happy / count:.0%} of defectors satisfied"
        total += count
        satisfied += happy
        price += sum(p.price for p in pooled)
    assert 0.60 <= satisfied / total <= 0.90, f"{satisfied / total:.0%} satisfied"
    assert 0.15 <= price / total <= 0.35, f"{price / total:.0%} left for price"


def test_needs_change_now_and_then_and_few_defectors_name_the_relationship() -> None:
    """Research: needs had changed for 10% of defectors, and a weak relationship was the
    real reason for most, yet only 20% said so. Over the library and every bot, play
    lands in 6–15% and 10–30%: people are candid only with someone they still trust."""
    pooled = [played(scenario, bot) for scenario in SCENARIOS for bot in BOTS]
    total = sum(p.defections for p in pooled)
    needs = sum(p.needs_changed for p in pooled) / total
    named = sum(p.named_relationship for p in pooled) / total
    assert 0.06 <= needs <= 0.15, f"needs changed for {needs:.0%} of defectors"
    assert 0.10 <= named <= 0.30, f"{named:.0%} of defectors named the relationship"


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_discounts_on_top_of_relationships_cost_more_than_they_bring(scenario: str) -> None:
    relationships = mean_score(scenario, "relationship-builder")
    with_discounts = mean_score(scenario, "relationship-plus-discounts")
    assert with_discounts < relationships - 10, (with_discounts, relationships)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_a_narrow_network_scores_clearly_below_a_broad_one(scenario: str) -> None:
    """`narrow` works only the most influential people it has met; the three bots that
    work with everyone at the customer (through the whole team or one rep) are the
    broad networks it is measured against. The best of them scores clearly more on
    average, and more on nearly every single seed: one game teaches it."""
    best = max(BROAD_NETWORKS, key=lambda bot: mean_score(scenario, bot))
    broad, narrow = played(scenario, best).scores, played(scenario, "narrow").scores
    assert statistics.fmean(broad) - statistics.fmean(narrow) >= 15, (best, broad, narrow)
    wins = statistics.fmean(b > n for b, n in zip(broad, narrow, strict=True))
    assert wins >= 0.85, f"{best} beats narrow on only {wins:.0%} of seeds"


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_relationships_beat_price_moves_and_doing_nothing(scenario: str) -> None:
    relationships = mean_score(scenario, "relationship-builder")
    for other in ("discounter", "idle", "random"):
        assert mean_score(scenario, other) < relationships, other


def test_loyalty_to_the_firm_starts_with_the_second_order() -> None:
    """Research: loyalty starts once the customer has confirmed the value of the first
    order and buys again. In second-sale, over every bot, most of a two-order game's
    gain in company loyalty comes after the second order, and games with one order end
    well below the loyalty of games with two."""
    scenario = load_bundled("second-sale").scenario
    gains_after: list[float] = []
    gains: list[float] = []
    ends = {1: [], 2: []}  # type: dict[int, list[float]]
    for bot in BOTS:
        player = make_bot(bot)
        for seed in range(1000, 1030):
            game = play(Game(scenario, seed, narrate=False), player)
            timeline = game.timeline
            loyalty = {int(t["turn"]): t["company_loyalty"] for t in timeline}
            end = timeline[-1]["company_loyalty"]
            milestones = game.milestones()
            second = milestones["second_sale"]
            if second is not None:
                gains_after.append(end - loyalty[second - 1])
                gains.append(end - loyalty[0])
                ends[2].append(end)
            elif milestones["first_sale"] is not None:
                ends[1].append(end)
    assert len(gains) > 50 and len(ends[1]) > 20
    share = sum(gains_after) / sum(gains)
    assert share >= 0.5, f"{share:.0%} of the gain after the second order"
    assert max(ends[1]) < statistics.fmean(ends[2])
