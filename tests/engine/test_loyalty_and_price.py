"""Loyalty starts after the second sale; a discount costs whatever the rivals do
(docs/model.md, "Loyalty" and "Defection")."""

from __future__ import annotations

import pytest

from game.engine import END, Game
from game.scenario import parse_scenario
from scoring.loyalty import personal_loyalty, stakeholders
from tests.conftest import scenario_text


def game_of(*, replace: tuple[tuple[str, str], ...] = (), seed: int = 1) -> Game:
    return Game(parse_scenario(scenario_text(replace=replace), "t.yaml").scenario, seed)


def relationships(game: Game) -> float:
    """The influence-weighted mean of personal loyalty, before the second-sale rule."""
    graph = game.graph
    people = [(data["influence"], person) for person, data in stakeholders(graph)]
    total = sum(influence for influence, _ in people)
    return sum(influence * personal_loyalty(graph, p) for influence, p in people) / total


def test_loyalty_counts_half_until_the_customer_has_bought_twice() -> None:
    game = game_of()  # a new customer: no sales before the game, one order a turn
    assert game.company_loyalty() == pytest.approx(0.5 * relationships(game))
    assert game.view().provisional == 0.5
    game.step(END)  # the first order
    assert game.milestones() == {"first_sale": 1, "second_sale": None}
    assert game.company_loyalty() == pytest.approx(0.5 * relationships(game))
    game.step(END)  # the second
    assert game.milestones()["second_sale"] == 2
    assert game.company_loyalty() == pytest.approx(relationships(game))
    assert game.view().provisional is None
    assert any("second sale: loyalty can begin" in e.text for e in game.log_entries)


def test_a_customer_who_bought_twice_before_is_loyal_from_the_start() -> None:
    game = game_of(replace=(("  orders_every: 1\n", "  orders_every: 1\n  sales_before: 2\n"),))
    assert game.company_loyalty() == pytest.approx(relationships(game))
    assert game.view().provisional is None


def test_an_ended_discount_leaves_part_of_itself_in_every_later_price() -> None:
    game = game_of()
    game.step("discount:you")
    game.step(END)
    game.step(END)  # the two turns of the discount are over
    assert game._world.state.anchor == pytest.approx(0.3 * 0.1)
    assert any("now expects 3% off every order" in e.text for e in game.log_entries)
    before = game._world.state.margin_earned
    game.step(END)
    margin = game.scenario.account.margin
    assert game._world.state.margin_earned - before == pytest.approx(1000 * (margin - 0.03))


def test_a_customer_taught_to_buy_on_price_hears_more_rival_offers() -> None:
    """The same dice: discounts only add approaches to the ones every player meets."""
    rivals = (("offer_chance: 0.0", "offer_chance: 0.2"),)

    def approach_turns(seed: int, *, discount: bool) -> set[int]:
        game = game_of(replace=rivals, seed=seed)
        while not game.finished:
            if discount and "discount:you" in {c.id for c in game.choices()}:
                game.step("discount:you")
            game.step(END)
        return {e.turn for e in game.log_entries if e.kind == "offer" and " made " in e.text}

    added = 0
    for seed in range(12):
        plain = approach_turns(seed, discount=False)
        cut = approach_turns(seed, discount=True)
        assert plain <= cut
        added += len(cut - plain)
    assert added > 0


def test_an_event_about_someone_who_has_gone_waits_for_them() -> None:
    """Events never tell of people who have left: one targeted at a stakeholder fires only
    while they buy from you."""
    event = """\
events:
  - id: buyer_calls
    title: Bea calls
    when: turn >= 2
    target: buyer
    text: Bea has a question about the last order.
"""
    game = Game(parse_scenario(scenario_text(extra=event), "t.yaml").scenario, 1)
    game._world.nodes["buyer"]["defected"] = True  # gone to a rival before turn 2
    game.step(END)
    assert "buyer_calls" not in game.events_fired
    assert not any("Bea calls" in e.text for e in game.log_entries)
    kept = Game(parse_scenario(scenario_text(extra=event), "t.yaml").scenario, 1)
    kept.step(END)
    assert "buyer_calls" in kept.events_fired
