"""The trust dynamics of DESIGN.md section 2, each checked on a small real scenario."""

from __future__ import annotations

import pytest

from game.bots.base import default_answer
from game.engine import END, Game, InvalidChoice
from game.engine.condition_values import ConditionValues
from game.engine.defection import defection_hazard
from game.engine.view import GameView
from game.scenario import parse_scenario
from game.scenario.models import Defection
from tests.conftest import scenario_text

CHAT = """\
  - id: chat
    label: Chat with {target}
    behaviour: contact
    cost: 0.5
    per_turn: 3
    effects:
      - trust: { delta: 0.2 }
"""


def game_of(extra: str = "", *, replace: tuple[tuple[str, str], ...] = (), seed: int = 1) -> Game:
    text = scenario_text(replace=replace)
    if extra:
        text = text.replace("\nactions:\n", "\nactions:\n" + extra, 1)
    return Game(parse_scenario(text, "t.yaml").scenario, seed)


def test_contact_gains_saturate_and_repeats_are_worth_less() -> None:
    game = game_of(CHAT)
    before = game.trust("boss", "you")
    game.step("chat:you:boss")
    first = game.trust("boss", "you") - before
    assert first == pytest.approx(0.2 * (1 - before))
    middle = game.trust("boss", "you")
    game.step("chat:you:boss")
    second = game.trust("boss", "you") - middle
    assert second == pytest.approx(0.2 * (1 - middle) * 0.5)
    assert second < first


def test_a_teammate_is_a_fresh_contact_not_a_repeat() -> None:
    game = game_of(CHAT)
    game.step("chat:you:buyer")
    before = game.trust("buyer", "tech")
    game.step("call:tech:buyer")
    assert game.trust("buyer", "tech") - before == pytest.approx(0.1)


def test_trust_leaks_toward_baseline_without_contact_and_holds_with_it() -> None:
    idle = game_of(replace=(("offer_chance: 0.0", "offer_chance: 0.0"),))
    start = idle.trust("boss", "you")
    for _ in range(4):
        idle.step(END)
    leaked = idle.trust("boss", "you")
    assert 0.1 < leaked < start
    kept = game_of()
    for _ in range(4):
        kept.step("call:you:boss")
        kept.step(END)
    assert kept.trust("boss", "you") > start


def test_broken_promises_cost_more_than_kept_ones_earn() -> None:
    promise = """\
  - id: promise
    label: Promise {target} a delivery
    behaviour: delivery
    cost: 1
    effects:
      - promise: { what: the delivery, reliability: RELIABILITY, gain: 0.1 }
"""
    kept = game_of(promise.replace("RELIABILITY", "1.0"))
    before = kept.trust("boss", "you")
    kept.step("promise:you:boss")
    gained = kept.trust("boss", "you") - before
    broken = game_of(promise.replace("RELIABILITY", "0.0"))
    broken.step("promise:you:boss")
    lost = before - broken.trust("boss", "you")
    assert gained == pytest.approx(0.1 * (1 - before))
    assert lost == pytest.approx(0.1 * 2.5)
    assert broken._world.state.promises_broken == 1 and kept._world.state.promises_kept == 1


def test_a_trusted_manager_lifts_the_trust_of_their_reports_up_to_a_cap() -> None:
    uncapped = "dynamics: { leak: 0, firm_leak: 0, endorsement_cap: 1 }"
    game = game_of(replace=(("time_budget: 4", "time_budget: 4\n" + uncapped),))
    boss, buyer = game.trust("boss", "you"), game.trust("buyer", "you")
    game.step(END)
    assert game.trust("buyer", "you") == pytest.approx(buyer + 0.1 * (boss - buyer))
    assert game.trust("boss", "you") == pytest.approx(boss)


def test_endorsement_never_replaces_contact() -> None:
    """However much the boss trusts you, vouching alone lifts a report only to the cap."""
    capped = "dynamics: { leak: 0, firm_leak: 0, endorsement_cap: 0.3, spread: 0.5 }"
    game = game_of(
        replace=(
            ("time_budget: 4", "time_budget: 4\n" + capped),
            ("{ from: boss, to: you, value: 0.5 }", "{ from: boss, to: you, value: 0.95 }"),
            ("{ from: buyer, to: you, value: 0.3 }", "{ from: buyer, to: you, value: 0.1 }"),
        )
    )
    for _ in range(5):
        game.step(END)
    assert 0.25 < game.trust("buyer", "you") <= 0.3
    game.step("call:you:buyer")
    assert game.trust("buyer", "you") > 0.3  # contact of their own takes them further


def test_introductions_gate_access_and_carry_trust_over() -> None:
    game = game_of(
        replace=(("{ from: boss, to: you, value: 0.5 }", "{ from: boss, to: you, value: 0.35 }"),)
    )
    ids = {c.id for c in game.choices()}
    assert "call:you:vp" not in ids
    assert "intro:boss:vp" not in ids  # the boss does not trust you enough yet (0.35 < 0.4)
    with pytest.raises(InvalidChoice):
        game.step("call:you:vp")
    game.step("call:you:boss")
    assert "intro:boss:vp" in {c.id for c in game.choices()}
    game.step("intro:boss:vp")
    assert game._world.nodes["vp"]["met"]
    assert game.trust("vp", "you") == pytest.approx(0.6 * game.trust("boss", "you"))
    assert game.graph.edges["boss", "vp"]["introduced"] == 1
    assert "call:you:vp" in {c.id for c in game.choices()}


def test_uses_per_turn_and_cooldowns_close_and_reopen_moves() -> None:
    """A move closes for every actor once its target has had its uses this turn, comes
    back next turn, and a move with a cooldown waits that many turns."""
    game = game_of(CHAT.replace("cost: 0.5", "cost: 0.1"))

    def open_ids() -> set[str]:
        return {c.id for c in game.choices()}

    for _ in range(3):
        assert "chat:you:boss" in open_ids()
        game.step("chat:you:boss")
    assert "chat:you:boss" not in open_ids()  # per_turn: 3
    assert "chat:you:buyer" in open_ids()  # uses count per target
    assert {"call:you:boss", "call:tech:boss"} <= open_ids()
    game.step("call:tech:boss")
    assert not {"call:you:boss", "call:tech:boss"} & open_ids()  # whoever made the call
    game.step("discount:you")
    assert "discount:you" not in open_ids()
    for turn in (2, 3):
        game.step(END)
        assert game.turn == turn
        assert "chat:you:boss" in open_ids()
        assert "discount:you" not in open_ids()  # cooldown: 2
    game.step(END)
    assert "discount:you" in open_ids()


def test_moves_too_dear_for_the_time_left_close_until_the_next_turn() -> None:
    game = game_of(CHAT, replace=(("time_budget: 4", "time_budget: 2.5"),))
    for _ in range(3):
        game.step("chat:you:boss")
    assert "call:you:boss" in {c.id for c in game.choices()}  # 1h left, costs 1h
    game.step("chat:you:buyer")
    ids = {c.id for c in game.choices()}
    assert not {"call:you:boss", "call:tech:buyer"} & ids  # 0.5h left
    assert "chat:you:buyer" in ids
    game.step(END)
    assert {"call:you:boss", "call:tech:buyer"} <= {c.id for c in game.choices()}


def test_defection_depends_mostly_on_loyalty_and_little_on_satisfaction() -> None:
    rules = Defection()
    loyal_unhappy = defection_hazard(rules, loyalty=0.85, pull=0, price_gap=0.1, satisfaction=0.2)
    disloyal_happy = defection_hazard(rules, loyalty=0.2, pull=0, price_gap=0.1, satisfaction=0.95)
    assert disloyal_happy.chance > 4 * loyal_unhappy.chance
    happy = defection_hazard(rules, loyalty=0.5, pull=0, price_gap=0.1, satisfaction=1.0)
    unhappy = defection_hazard(rules, loyalty=0.5, pull=0, price_gap=0.1, satisfaction=0.3)
    assert unhappy.chance - happy.chance < 0.1
    assert disloyal_happy.relationship > disloyal_happy.price


def test_a_defections_reason_is_drawn_in_proportion_to_the_hazard() -> None:
    rules = Defection()
    hazard = defection_hazard(rules, loyalty=0.4, pull=0, price_gap=0.1, satisfaction=0.7)
    share = hazard.price / (hazard.price + hazard.relationship)
    assert 0.05 < share < 0.95
    draws = [i / 1000 for i in range(1000)]
    prices = sum(hazard.draw_reason(u) == "price" for u in draws) / len(draws)
    assert prices == pytest.approx(share, abs=0.002)
    no_gap = defection_hazard(rules, loyalty=0.4, pull=0, price_gap=0.0, satisfaction=0.7)
    assert all(no_gap.draw_reason(u) == "relationship" for u in draws)


def test_price_moves_the_disloyal_more_than_the_loyal() -> None:
    rules = Defection()

    def extra(loyalty: float) -> float:
        cheap = defection_hazard(rules, loyalty=loyalty, pull=0, price_gap=0.3, satisfaction=0.7)
        same = defection_hazard(rules, loyalty=loyalty, pull=0, price_gap=0.0, satisfaction=0.7)
        return cheap.chance - same.chance

    assert extra(0.2) > 3 * extra(0.9)
    price = defection_hazard(rules, loyalty=0.75, pull=0, price_gap=0.5, satisfaction=0.9)
    assert price.price > price.relationship


def test_trust_in_a_rep_who_joins_a_competitor_pulls_toward_them() -> None:
    rules = Defection()
    stays = defection_hazard(rules, loyalty=0.5, pull=0.0, price_gap=0, satisfaction=0.7)
    pulled = defection_hazard(rules, loyalty=0.5, pull=0.8, price_gap=0, satisfaction=0.7)
    assert pulled.chance > stays.chance


def test_a_rep_who_leaves_takes_their_trust_but_firm_trust_stays() -> None:
    leave = """\
  - id: resign
    label: Tess resigns
    behaviour: other
    cost: 0
    targets: none
    effects:
      - leave: { who: tech, to: RIVAL }
"""
    for rival, side in (("null", "gone"), ("rival", "competitor")):
        game = game_of(CHAT + leave.replace("RIVAL", rival))
        game.step("call:tech:boss")
        firm_before = game.trust("boss", "firm")
        tech_trust = game.trust("boss", "tech")
        assert tech_trust > 0
        loyalty_before = game.company_loyalty()
        game.step("resign:you")
        assert game._world.nodes["tech"]["side"] == side
        assert game.trust("boss", "firm") == firm_before
        assert game.company_loyalty() < loyalty_before
        assert game.trust("boss", "tech") == (0.0 if side == "gone" else tech_trust)
        assert "call:tech:boss" not in {c.id for c in game.choices()}


def test_firm_trust_counts_toward_personal_loyalty() -> None:
    news = """\
  - id: news
    label: Company newsletter
    behaviour: company_communication
    cost: 1
    targets: none
    effects:
      - trust: { who: all, to: firm, delta: 0.3 }
"""
    game = game_of(news)
    before = game.company_loyalty()
    game.step("news:you")
    assert game.trust("buyer", "firm") == pytest.approx(0.3)
    assert game.company_loyalty() > before


def test_discounts_raise_satisfaction_briefly() -> None:
    calm = "dynamics: { experience: 0 }"
    game = game_of(
        replace=(
            ("orders_every: 1", "orders_every: 0"),
            ("time_budget: 4", "time_budget: 4\n" + calm),
        )
    )
    start = game.satisfaction()
    game.step("discount:you")
    assert game.satisfaction() == pytest.approx(start + 0.1 * (1 - start))  # gains saturate
    for _ in range(5):
        game.step(END)
    assert abs(game.satisfaction() - game.scenario.account.satisfaction_baseline) < 0.05
    assert game._world.state.discount == 0.0


def test_events_block_other_choices_until_answered() -> None:
    text = scenario_text("""\
    events:
      - id: crisis
        title: Crisis
        when: turn == 2
        text: Something broke at {customer}.
        choices:
          - { id: help, label: Help, behaviour: special_needs, cost: 1 }
          - { id: ignore, label: Ignore, behaviour: decline, default: true }
    """)
    game = Game(parse_scenario(text, "t.yaml").scenario, 1)
    game.step(END)
    assert game.pending_event is not None
    assert [c.id for c in game.choices()] == ["event:crisis:help", "event:crisis:ignore"]
    assert [c.default for c in game.choices()] == [False, True]
    with pytest.raises(InvalidChoice, match="first answer the event 'crisis'"):
        game.step("call:you:boss")
    game.step("event:crisis:help")
    assert game.pending_event is None and game.time_left == 3
    assert any("Something broke at Customer Co." in e.text for e in game.log_entries)


def test_game_ends_after_the_last_turn() -> None:
    game = game_of()
    for _ in range(6):
        game.step(END)
    assert game.finished
    assert game.choices() == ()
    assert len(game.timeline) == 7  # the start plus six turns
    with pytest.raises(InvalidChoice, match="the game is over"):
        game.step(END)


def test_regular_orders_add_revenue_and_milestones() -> None:
    game = game_of(replace=(("reliability: 0.9", "reliability: 1.0"),))
    game.step(END)
    game.step(END)
    assert game._world.state.revenue == 2000 and game._world.state.sales == 2
    assert ConditionValues(game._world).call("milestone", ("second_sale",))


def test_a_less_reliable_competitor_must_be_cheaper_to_tempt() -> None:
    offer = """\
  - id: tempt
    label: Rival tempts the buyer
    behaviour: other
    cost: 0
    targets: none
    effects:
      - offer: { competitor: rival, who: buyer, discount: 0.2 }
"""
    rates = []
    for reliability in ("0.9", "0.2"):
        replace = (("offer_chance: 0.0,", f"offer_chance: 0.0, reliability: {reliability},"),)
        scenario = game_of(offer, replace=replace).scenario
        defections = 0
        for seed in range(300):
            game = Game(scenario, seed)
            game.step("tempt:you")
            assert [t.who for t in GameView(game).in_play] == ["buyer"]
            while not game.finished and GameView(game).in_play:
                game.step(default_answer(GameView(game)))
            defections += bool(game._world.nodes["buyer"]["defected"])
        rates.append(defections / 300)
    assert rates[1] < rates[0] - 0.05, rates
