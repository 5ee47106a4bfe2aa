"""A trainer's event put into a game: it fires as the next turn begins, whatever its
condition and chance; the run log keeps it and a replay honours it."""

from __future__ import annotations

import json

import pytest

from game.engine import END, Game, InvalidChoice, ReplayError, RunLog, RunLogError, replay
from game.scenario.catalog import load_bundled

SCENARIO = "loyalty-giveaway"


def _end_turn(game: Game) -> None:
    while game.pending_event is not None:
        game.step(game.choices()[0].id)
    game.step(END)


def test_an_injected_event_fires_next_turn_and_replays() -> None:
    loaded = load_bundled(SCENARIO)
    game = Game(loaded.scenario, 7, scenario_hash=loaded.content_hash)
    _end_turn(game)
    plain = Game(loaded.scenario, 7, scenario_hash=loaded.content_hash)
    _end_turn(plain)
    item = game.inject("resignation", 1)
    assert (item.id, item.event, item.turn) == (1, "resignation", 3)
    assert "resignation" not in game.events_fired  # nothing happens before its turn
    _end_turn(game)
    assert game.events_fired["resignation"] == 3
    lines = [e.text for e in game.log_entries if e.turn == 3 and e.kind == "event"]
    assert any("put into the game by your trainer" in line for line in lines)
    while not game.finished:
        _end_turn(game)
    log = RunLog.from_json(game.run_log().to_json())
    assert [(i.id, i.event, i.turn) for i in log.injected] == [(1, "resignation", 3)]
    again = replay(loaded.scenario, log)
    assert again.score().total == game.score().total
    assert again.events_fired == game.events_fired
    # Without the trainer's event, the player's answer to it no longer fits: a log cannot
    # drop an event it was given.
    without = json.loads(log.to_json())
    del without["injected"]
    with pytest.raises(ReplayError, match="event:resignation"):
        replay(loaded.scenario, RunLog.from_dict(without))


def test_what_cannot_be_injected_is_refused_and_what_cannot_happen_is_told() -> None:
    loaded = load_bundled(SCENARIO)
    game = Game(loaded.scenario, 7, scenario_hash=loaded.content_hash)
    with pytest.raises(InvalidChoice, match="no event 'nothing'"):
        game.inject("nothing", 1)
    game.inject("resignation", 1)
    with pytest.raises(InvalidChoice, match="already in the game"):
        game.inject("resignation", 1)
    _end_turn(game)
    game.inject("resignation", 2)  # it happens once, and it just did
    _end_turn(game)
    told = [e.text for e in game.log_entries if e.kind == "info" and "trainer's event" in e.text]
    assert told == [
        "The trainer's event, Vince resigns, did not happen: it had already happened in this game."
    ]
    while game.turn < game.turns:
        _end_turn(game)
    with pytest.raises(InvalidChoice, match="last turn"):
        game.inject("rumour", 3)


def test_a_game_without_injections_keeps_its_run_log_as_it_was() -> None:
    loaded = load_bundled(SCENARIO)
    game = Game(loaded.scenario, 7, scenario_hash=loaded.content_hash)
    _end_turn(game)
    assert "injected" not in game.run_log().to_dict()


@pytest.mark.parametrize(
    ("injected", "message"),
    [
        ("yes", '"injected" must be a list'),
        ([{"id": 1, "event": "x"}], '"turn" must be a whole number'),
        ([{"id": True, "event": "x", "turn": 2}], '"id" must be a whole number'),
        ([{"id": 1, "event": "../x", "turn": 2}], '"event" must be an event id'),
        ([7], "must be an object"),
        ([{"id": n, "event": "x", "turn": 2} for n in range(1, 102)], "at most 100"),
    ],
)
def test_a_run_log_with_malformed_injections_is_refused(injected: object, message: str) -> None:
    loaded = load_bundled(SCENARIO)
    data = Game(loaded.scenario, 7, scenario_hash=loaded.content_hash).run_log().to_dict()
    data["injected"] = injected
    with pytest.raises(RunLogError, match=message):
        RunLog.from_dict(data)


def test_a_run_log_whose_injection_does_not_fit_the_scenario_does_not_replay() -> None:
    loaded = load_bundled(SCENARIO)
    data = Game(loaded.scenario, 7, scenario_hash=loaded.content_hash).run_log().to_dict()
    data["injected"] = [{"id": 1, "event": "not_here", "turn": 2}]
    with pytest.raises(ReplayError, match=r"trainer.s events: the scenario has no event"):
        replay(loaded.scenario, RunLog.from_dict(data))
