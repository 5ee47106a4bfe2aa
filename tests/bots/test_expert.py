"""The expert bot: look-ahead on forks of the game, never on the game's own dice."""

from __future__ import annotations

import statistics

import pytest

from game.bots import BUILTIN_BOTS, make_bot, play
from game.bots.expert import ExpertBot, emphases, policies
from game.coach.results import run_result
from game.engine import Game, replay
from game.engine.view import GameView
from game.scenario.catalog import bundled_ids, load_bundled

#: Seeds of the sand-supplier comparison: a few games, a few seconds each.
SEEDS = range(4)


def quick() -> ExpertBot:
    """An expert that looks less far and on fewer forks: the same decisions, cheaper."""
    return ExpertBot(forks=2, horizon=1, opening_step=2, opening_rounds=1)


def test_the_expert_is_a_builtin_bot_and_plays_the_others() -> None:
    bot = make_bot("expert")
    assert isinstance(bot, ExpertBot) and bot.name == "expert"
    assert set(policies()) == set(BUILTIN_BOTS) - {"random", "idle", "expert"}
    assert {"relationship-builder", "constellation", "lone-star", "discounter"} <= set(policies())
    more = emphases(3.0)
    assert {"more-training", "more-company_communication", "more-networking"} <= set(more)
    assert not {"more-discount", "more-loyalty_program"} & set(more)
    assert more["more-training"].weights["training"] == 3.0


@pytest.mark.parametrize("scenario_id", bundled_ids())
def test_the_expert_plays_every_bundled_scenario_with_open_choices(scenario_id: str) -> None:
    loaded = load_bundled(scenario_id)
    game = play(Game(loaded.scenario, 1, scenario_hash=loaded.content_hash), quick())
    assert game.finished
    again = replay(loaded.scenario, game.run_log(), scenario_hash=loaded.content_hash)
    assert run_result(again, bot=None) == run_result(game, bot=None)


def test_the_expert_is_deterministic_for_a_seed(director) -> None:
    first = play(Game(director.scenario, 5, narrate=False), quick())
    second = play(Game(director.scenario, 5, narrate=False), quick())
    assert first.choices_made == second.choices_made


def test_the_expert_decides_from_forks_not_from_the_games_own_dice(sand) -> None:
    """Two games in the same state whose own dice differ get the same decisions."""
    game = Game(sand.scenario, 3, narrate=False)
    for choice in ("end", "end"):
        game.step(choice)
    twin = game.fork("other dice")
    twin._world.stream_key = (
        game._world.stream_key
    )  # its forks are the game's; its own dice are not
    decided = []
    for playing in (game, twin):
        bot = quick()
        bot.reset(3)
        view = GameView(playing)
        decided.append((bot.choose(view), bot.continuation))
    assert decided[0] == decided[1]


@pytest.fixture(scope="module")
def sand_games() -> dict[str, list[Game]]:
    loaded = load_bundled("sand-supplier")
    return {
        name: [play(Game(loaded.scenario, s, narrate=False), make_bot(name)) for s in SEEDS]
        for name in ("expert", "relationship-builder")
    }


def test_the_expert_scores_at_least_the_relationship_builder_on_sand(sand_games) -> None:
    expert = statistics.fmean(g.score().total for g in sand_games["expert"])
    builder = statistics.fmean(g.score().total for g in sand_games["relationship-builder"])
    assert expert >= builder, (expert, builder)


def test_the_default_expert_replays_its_own_game(sand, sand_games) -> None:
    """Deterministic at full strength too: the same seed, the same moves."""
    first = sand_games["expert"][0]
    again = play(Game(sand.scenario, first.seed, narrate=False), make_bot("expert"))
    assert again.choices_made == first.choices_made
