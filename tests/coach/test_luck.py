"""game.coach.luck: the split of a score's variance, and how often the better policy wins."""

from __future__ import annotations

import pytest

from game.coach.luck import concordance, measure_luck, split_variance


def test_a_policy_that_always_wins_by_the_same_margin_is_all_policy_and_seed() -> None:
    scores = {"good": [600, 700, 800], "poor": [500, 600, 700]}
    seed, policy, interaction = split_variance(scores)
    assert interaction == pytest.approx(0.0)
    assert seed + policy == pytest.approx(1.0)
    (pair,) = concordance(scores, gap=30)
    assert (pair.better, pair.worse, pair.gap, pair.wins) == ("good", "poor", 100, 1.0)


def test_pure_luck_is_all_interaction_and_close_pairs_are_left_out() -> None:
    scores = {"a": [700, 500], "b": [500, 700]}
    seed, policy, interaction = split_variance(scores)
    assert (seed, policy) == (pytest.approx(0.0), pytest.approx(0.0))
    assert interaction == pytest.approx(1.0)
    assert concordance(scores, gap=30) == ()


def test_ties_count_half() -> None:
    (pair,) = concordance({"a": [900, 500], "b": [500, 500]}, gap=30)
    assert pair.wins == 0.75


def test_measured_on_a_bundled_scenario() -> None:
    report = measure_luck("tutorial", policies=("relationship-builder", "idle"), seeds=range(6))
    assert set(report.scores) == {"relationship-builder", "idle"}
    assert all(len(s) == 6 for s in report.scores.values())
    shares = report.seed_share + report.policy_share + report.interaction_share
    assert shares == pytest.approx(1.0)
    (pair,) = report.pairs
    assert pair.better == "relationship-builder" and pair.wins == 1.0
    assert report.as_dict()["variance"]["policy"] > 0.5
