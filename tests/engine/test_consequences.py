"""Consequences a player can trace: what cooled and since when, what an answer risks,
offers that wait for the answer, repeated events told as repeats."""

from __future__ import annotations

import pytest

from game.engine import Game
from game.scenario import parse_scenario
from game.scenario.catalog import bundled_ids, load_bundled
from game.scenario.models import Behaviour
from tests.conftest import scenario_text


def play_to(game: Game, turn: int, answer: int = 0) -> None:
    """End turns (answering events with their `answer`-th choice) until `turn` begins."""
    while game.turn < turn and not game.finished:
        options = game.choices()
        game.step(options[answer].id if game.pending_event else "end")


def test_the_cooling_line_names_each_pair_and_since_when() -> None:
    game = Game(load_bundled("sand-supplier").scenario, seed=3)
    play_to(game, 2)
    game.step("call:you:buyer")
    play_to(game, 5)
    lines = [e.text for e in game.log_entries if e.kind == "leak"]
    assert lines
    assert all("trust in" in line for line in lines)
    assert any("(no contact since fortnight " in line for line in lines[2:])
    # Rosa was called in turn 2: that turn's line does not say her trust in you cooled
    turn_two = next(e.text for e in game.log_entries if e.kind == "leak" and e.turn == 2)
    assert "Rosa's trust in you" not in turn_two


def test_the_board_marks_the_trust_that_will_cool_this_turn() -> None:
    game = Game(load_bundled("sand-supplier").scenario, seed=3)
    play_to(game, 3, answer=0)
    game.step("event:damp_load:next_week")
    rows = {row.id: row for row in game.view().people}
    assert "you" in rows["buyer"].cooling
    game.step("call:you:buyer")
    rows = {row.id: row for row in game.view().people}
    assert "you" not in rows["buyer"].cooling  # just called: it will not cool this turn


def test_event_answers_say_what_they_risk() -> None:
    game = Game(load_bundled("sand-supplier").scenario, seed=3)
    play_to(game, 3)
    assert game.pending_event is not None and game.pending_event.id == "damp_load"
    risks = {c.id: c.risks for c in game.choices()}
    assert risks["event:damp_load:send_jonas"] == ()
    assert any("50%" in r for r in risks["event:damp_load:next_week"])
    assert any("price cut" in r for r in risks["event:damp_load:credit_load"])


def test_a_rivals_offers_come_after_the_answer_not_before() -> None:
    game = Game(load_bundled("loyalty-giveaway").scenario, seed=3)
    play_to(game, 12)
    assert game.pending_event is not None and game.pending_event.id == "resignation"
    asked = [e.kind for e in game.log_entries if e.turn == 12]
    assert "offer" not in asked and "defection" not in asked  # nothing decided yet
    game.step("event:resignation:call_everyone")
    kinds = [e.kind for e in game.log_entries if e.turn == 12]
    decision = kinds.index("decision")
    assert any(k in ("offer", "defection") for k in kinds[decision + 1 :])


def test_a_repeated_event_says_it_is_a_repeat() -> None:
    """An event that may fire more than once says when it last did."""
    repeating = """\
events:
  - id: rush
    title: A rush order
    when: turn >= 2
    once: false
    text: Bo needs an extra delivery by Friday.
"""
    game = Game(parse_scenario(scenario_text(extra=repeating), "t.yaml").scenario, seed=0)
    play_to(game, 5)
    told = [e.text for e in game.log_entries if e.kind == "event" and "rush order" in e.text]
    assert len(told) >= 3
    assert "again" not in told[0]
    turn_name = game.scenario.calendar.turn_name.lower()
    assert all(f"again (the last was in {turn_name}" in text for text in told[1:])


@pytest.mark.parametrize("scenario_id", bundled_ids())
def test_doing_nothing_is_never_a_price_move(scenario_id: str) -> None:
    """An event's default answer is what happens if the player does nothing: it must
    not quietly hand out a discount or a loyalty programme."""
    scenario = load_bundled(scenario_id).scenario
    for event in scenario.events:
        default = event.default_choice
        if default is not None:
            assert default.behaviour not in (Behaviour.DISCOUNT, Behaviour.LOYALTY_PROGRAM), (
                f"{scenario_id}: {event.id}"
            )
