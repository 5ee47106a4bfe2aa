"""A game is a pure function of (scenario, seed, choices); run logs replay exactly."""

from __future__ import annotations

import json
import random

import pytest

from game.bots import QUICK_BOTS, make_bot, play
from game.coach.results import run_result
from game.engine import Game, ReplayError, RunLog, RunLogError, replay, replay_prefix
from game.engine.view import GameView
from game.scenario.catalog import bundled_ids, load_bundled
from scoring.loyalty import company_loyalty


def random_game(loaded, seed: int, moves: int = 400) -> Game:
    game = Game(loaded.scenario, seed, scenario_hash=loaded.content_hash)
    rng = random.Random(seed * 31)
    for _ in range(moves):
        if game.finished:
            break
        game.step(rng.choice(game.choices()).id)
    return game


@pytest.mark.parametrize("seed", [0, 1, 17, -5, 2**40])
def test_same_seed_and_choices_give_the_same_game(sand, seed: int) -> None:
    first = random_game(sand, seed)
    second = Game(sand.scenario, seed, scenario_hash=sand.content_hash)
    for choice in first.choices_made:
        second.step(choice)
    assert second.timeline == first.timeline
    assert second.log_entries == first.log_entries
    assert run_result(second, bot=None) == run_result(first, bot=None)


def test_different_seeds_give_different_worlds(sand) -> None:
    results = {
        json.dumps(
            run_result(play(Game(sand.scenario, s), make_bot("idle")), bot="idle")["timeline"]
        )
        for s in range(5)
    }
    assert len(results) > 1


def test_run_log_round_trips_and_replays_to_the_same_result(sand) -> None:
    game = play(
        Game(sand.scenario, 7, scenario_hash=sand.content_hash), make_bot("relationship-builder")
    )
    log = RunLog.from_json(game.run_log(bot="relationship-builder").to_json())
    assert log.choices == tuple(game.choices_made)
    again = replay(sand.scenario, log, scenario_hash=sand.content_hash)
    assert run_result(again, bot=log.bot) == run_result(game, bot="relationship-builder")


def test_replay_refuses_a_log_from_another_scenario_version(sand, director) -> None:
    game = play(Game(sand.scenario, 1), make_bot("idle"))
    log = game.run_log()
    foreign = RunLog(log.scenario, "sha256:" + "0" * 64, log.seed, log.choices)
    with pytest.raises(ReplayError, match="different version of scenario 'sand-supplier'"):
        replay(sand.scenario, foreign)
    with pytest.raises(ReplayError, match="is for scenario 'sand-supplier', not 'director-to-ceo'"):
        replay(director.scenario, log)


def test_replay_refuses_an_impossible_choice(sand) -> None:
    game = play(Game(sand.scenario, 1), make_bot("idle"))
    log = game.run_log()
    edited = RunLog(log.scenario, log.scenario_hash, log.seed, ("call:you:nobody", *log.choices))
    with pytest.raises(ReplayError, match=r"choice 1 of \d+ \('call:you:nobody'\)"):
        replay(sand.scenario, edited)


def test_replay_prefix_stops_at_the_first_choice_that_no_longer_fits(sand) -> None:
    game = random_game(sand, 3, moves=30)
    choices = [*game.choices_made[:10], "no-such-choice", *game.choices_made[10:]]
    partial, applied = replay_prefix(sand.scenario, 3, choices)
    assert applied == 10
    assert partial.choices_made == game.choices_made[:10]


HEAD = '{"format": "rapport-runlog", "version": 1, "scenario": "x", "scenario_hash": "sha256:1", '


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not valid JSON"),
        ("[]", "expected a JSON object"),
        ('{"format": "rapport-runlog", "version": 9}', "version 9 is not supported"),
        (
            HEAD + '"seed": "one", "choices": []}',
            "seed",
        ),
        (
            HEAD + '"seed": 1, "choices": [1, 2]}',
            "choices",
        ),
        (
            '{"format": "rapport-runlog", "version": 1, "scenario": "x", "scenario_hash": "md5", '
            '"seed": 1, "choices": []}',
            "scenario_hash",
        ),
    ],
)
def test_malformed_run_logs_are_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(RunLogError, match=message):
        RunLog.from_json(text)


def test_narrative_text_never_changes_the_outcome(sand) -> None:
    """Reading the view or metrics mid-game must not change what happens next."""
    plain = Game(sand.scenario, 5)
    observed = Game(sand.scenario, 5)
    bot = make_bot("relationship-builder")
    bot.reset(5)
    from game.engine.view import GameView

    view = GameView(observed)
    while not observed.finished:
        choice = bot.choose(view)
        observed.metrics()
        observed.company_loyalty()
        observed.score()
        observed.step(choice)
        plain.step(choice)
    assert plain.timeline == observed.timeline


@pytest.mark.parametrize("scenario_id", bundled_ids())
def test_a_game_without_narration_has_the_same_outcome(scenario_id: str) -> None:
    """`narrate=False` drops the event log and nothing else: same moves, same result."""
    loaded = load_bundled(scenario_id)
    for bot_name in QUICK_BOTS:
        for seed in (0, 3):
            told = Game(loaded.scenario, seed, scenario_hash=loaded.content_hash)
            quiet = Game(loaded.scenario, seed, scenario_hash=loaded.content_hash, narrate=False)
            play(told, make_bot(bot_name))
            play(quiet, make_bot(bot_name))
            assert quiet.choices_made == told.choices_made, (bot_name, seed)
            assert run_result(quiet, bot=bot_name) == run_result(told, bot=bot_name)
            assert quiet.log_entries == []
            assert len(told.log_entries) > told.turns  # at least one line per turn


def test_a_narrated_replay_of_a_quiet_game_tells_what_happened(sand) -> None:
    quiet = play(Game(sand.scenario, 4, narrate=False), make_bot("constellation"))
    told = replay(sand.scenario, quiet.run_log())
    assert run_result(told, bot=None) == run_result(quiet, bot=None)
    assert any(entry.kind == "delivery" for entry in told.log_entries)


def test_company_loyalty_does_not_depend_on_when_it_is_asked_for(sand) -> None:
    """The loyalty cache keeps exact sums: asking after every move or only at the end
    gives the very same number."""
    watched = random_game(sand, 11, moves=200)
    unwatched = Game(sand.scenario, 11)
    for choice in watched.choices_made:
        unwatched.step(choice)
    asked_each_step = Game(sand.scenario, 11)
    for choice in watched.choices_made:
        asked_each_step.company_loyalty()
        asked_each_step.step(choice)
    assert asked_each_step.company_loyalty() == unwatched.company_loyalty()
    assert unwatched.company_loyalty() == pytest.approx(company_loyalty(unwatched.graph), abs=1e-12)


def test_two_policies_on_one_seed_meet_the_same_rival_approaches() -> None:
    """Common random numbers: the dice are keyed by what they decide, so a rival
    approaches the same person in the same turn whatever the player did before."""
    scenario = load_bundled("sand-supplier").scenario

    def approaches(bot: str, seed: int) -> list[tuple[int, str]]:
        game = play(Game(scenario, seed), make_bot(bot))
        return [
            (e.turn, e.text) for e in game.log_entries if e.kind == "offer" and " made " in e.text
        ]

    for seed in range(10):
        builder = approaches("relationship-builder", seed)
        star = approaches("lone-star", seed)
        assert len(builder) >= 3 and len(star) >= 3
        assert [(t, text.split(" an offer")[0]) for t, text in builder[:3]] == [
            (t, text.split(" an offer")[0]) for t, text in star[:3]
        ]


def test_a_replica_rolls_the_games_own_dice_and_no_bot_can_have_one() -> None:
    """The analysis looks back with `Game.replica()`: the same future as the game. A bot's
    view offers only forks, whose dice are their own."""
    scenario = load_bundled("sand-supplier").scenario
    game = play(Game(scenario, 5), make_bot("relationship-builder"))
    start = Game(scenario, 5)
    for choice in game.choices_made[:20]:
        start.step(choice)
    replica = start.replica()
    for choice in game.choices_made[20:]:
        replica.step(choice)
    assert replica.score() == game.score() and replica.timeline == game.timeline
    assert not hasattr(GameView(start), "replica")
