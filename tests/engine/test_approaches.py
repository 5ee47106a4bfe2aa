"""A rival's offer puts a person in play: the terms show, the player can answer, the terms
decide (docs/model.md, "Defection")."""

from __future__ import annotations

import pytest

from game.bots import make_bot
from game.engine import END, Game
from game.engine.approaches import leave_chance, threshold
from game.engine.view import GameView
from game.scenario import parse_scenario
from tests.conftest import scenario_text

TEMPT = """\
  - id: tempt
    label: Rival tempts the buyer
    behaviour: other
    cost: 0
    targets: none
    effects:
      - offer: { competitor: rival, who: buyer, discount: 0.3 }
"""


def game_of(*, replace: tuple[tuple[str, str], ...] = (), seed: int = 1) -> Game:
    text = scenario_text().replace("\nactions:\n", "\nactions:\n" + TEMPT, 1)
    for old, new in replace:
        assert old in text, old
        text = text.replace(old, new)
    return Game(parse_scenario(text, "t.yaml").scenario, seed)


def test_an_offer_puts_the_person_in_play_until_the_end_of_the_next_turn() -> None:
    game = game_of()
    game.step("tempt:you")
    (terms,) = GameView(game).in_play
    assert terms.who == "buyer" and terms.competitor == "rival"
    assert terms.since == 1 and terms.decides == 2
    assert terms.price_gap == pytest.approx(1 - 0.9 * 0.7)
    assert 0.0 <= terms.chance <= 1.0
    board = game.view()
    assert [p.id for p in board.in_play] == ["buyer"]
    assert next(row for row in board.people if row.id == "buyer").in_play
    assert any("is weighing it and decides at the end of" in e.text for e in game.log_entries)
    game.step(END)
    assert not game._world.nodes["buyer"]["defected"]  # not before the end of turn 2
    assert [t.who for t in GameView(game).in_play] == ["buyer"]
    game.step(END)
    assert GameView(game).in_play == ()
    assert game.view().in_play == ()


def test_contact_in_the_window_lowers_the_chance_to_leave() -> None:
    game = game_of()
    game.step("tempt:you")
    before = GameView(game).in_play[0]
    game.step("call:you:buyer")
    after = GameView(game).in_play[0]
    assert after.own_loyalty > before.own_loyalty
    assert after.pressure < before.pressure
    assert after.chance <= before.chance


def test_the_terms_decide_and_the_die_only_settles_close_calls() -> None:
    assert threshold(0.15, 0.0) == pytest.approx(0.35)
    assert threshold(0.15, 1.0) == pytest.approx(0.65)
    assert leave_chance(0.3, 0.15) == 0.0
    assert leave_chance(0.7, 0.15) == 1.0
    assert leave_chance(0.5, 0.15) == pytest.approx(0.5)
    assert leave_chance(0.3, 0.5) == pytest.approx(0.3)  # doubt 0.5: a plain roll
    # A loyal buying centre and a small gap: no seed makes her leave. A neglected buyer
    # and a deep cut: every seed does.
    loyal = (
        ("{ from: buyer, to: you, value: 0.3 }", "{ from: buyer, to: you, value: 0.95 }"),
        ("{ from: boss, to: you, value: 0.5 }", "{ from: boss, to: you, value: 0.95 }"),
        ("discount: 0.3 }", "discount: 0.0 }"),
    )
    neglected = (("{ from: buyer, to: you, value: 0.3 }", "{ from: buyer, to: you, value: 0.0 }"),)
    for replace, leaves in ((loyal, False), (neglected, True)):
        for seed in range(30):
            game = game_of(replace=replace, seed=seed)
            game.step("tempt:you")
            assert GameView(game).in_play[0].chance == (1.0 if leaves else 0.0)
            game.step(END)
            game.step(END)
            assert bool(game._world.nodes["buyer"]["defected"]) is leaves


def test_stay_at_is_the_loyalty_that_keeps_them() -> None:
    game = game_of()
    game.step("tempt:you")
    terms = GameView(game).in_play[0]
    assert terms.stay_at is None or terms.stay_at >= terms.own_loyalty
    if terms.stay_at is not None and terms.chance > 0:
        assert terms.stay_at > terms.own_loyalty


def test_a_sensible_bot_answers_the_person_in_play_first() -> None:
    game = game_of()
    game.step("tempt:you")
    bot = make_bot("relationship-builder")
    view = GameView(game)
    bot.reset(view.seed)
    targets = []
    while game.turn == 1:
        choice = bot.choose(view)
        targets += [c.target for c in view.choices if c.id == choice]
        game.step(choice)
    assert "buyer" in targets, targets
