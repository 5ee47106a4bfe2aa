"""`Game.fork`: an independent copy of a game now, whose future dice are resampled."""

from __future__ import annotations

import copy

import networkx as nx
import pytest

from game.bots import make_bot, play
from game.coach.results import run_result
from game.engine import Game, ReplayError, RunLog, replay
from game.engine.view import GameView
from game.scenario import parse_scenario
from game.scenario.catalog import bundled_ids, load_bundled
from scoring.loyalty import company_loyalty
from tests.conftest import scenario_text


def played(loaded, seed: int, steps: int, bot: str = "relationship-builder") -> Game:
    """A narrated game after `steps` moves of `bot`."""
    game = Game(loaded.scenario, seed, scenario_hash=loaded.content_hash)
    player = make_bot(bot)
    player.reset(seed)
    view = GameView(game)
    for _ in range(steps):
        if game.finished:
            break
        game.step(player.choose(view))
    return game


def finish(game: Game, bot: str = "relationship-builder") -> Game:
    """Play `game` on to its end with a fresh `bot` (the built-in bots read only the view)."""
    player = make_bot(bot)
    player.reset(game.seed)
    view = GameView(game)
    while not game.finished:
        game.step(player.choose(view))
    return game


def snapshot(game: Game) -> dict:
    """Everything a fork could disturb in its parent, deep-copied."""
    return {
        "graph": nx.node_link_data(game.graph, edges="links"),
        "state": copy.deepcopy(
            {k: getattr(game._world.state, k) for k in ("uses", "touches", "flags")}
        ),
        "metrics": game.metrics(),
        "choices": game.choices(),
        "timeline": copy.deepcopy(game.timeline),
        "made": list(game.choices_made),
        "log": list(game.log_entries),
        "time_left": game.time_left,
        "score": game.score(),
    }


@pytest.mark.parametrize("scenario_id", bundled_ids())
def test_a_fork_starts_identical_to_its_parent(scenario_id: str) -> None:
    loaded = load_bundled(scenario_id)
    for steps in (0, 7, 40, 95):
        game = played(loaded, 3, steps)
        fork = game.fork("look")
        assert fork.turn == game.turn and fork.time_left == game.time_left
        assert fork.metrics() == game.metrics()
        assert fork.choices() == game.choices()
        assert fork.choices_made == game.choices_made
        assert fork.timeline == game.timeline
        assert fork.pending_event == game.pending_event
        assert fork.score() == game.score()
        assert fork.log_entries == game.log_entries
        assert nx.utils.graphs_equal(fork.graph, game.graph)
        assert fork.graph is not game.graph
        assert fork.seed != game.seed and fork.scenario is game.scenario  # sealed


def test_a_fork_is_quiet_unless_asked(sand) -> None:
    game = played(sand, 1, 10)
    quiet, told = game.fork(1), game.fork(1, narrate=True)
    finish(quiet)
    finish(told)
    assert quiet.log_entries == game.log_entries  # only what happened before the fork
    assert len(told.log_entries) > len(game.log_entries)
    assert run_result(quiet, bot=None) == run_result(told, bot=None)


@pytest.mark.parametrize("scenario_id", bundled_ids())
def test_stepping_a_fork_never_changes_its_parent(scenario_id: str) -> None:
    loaded = load_bundled(scenario_id)
    for bot in ("relationship-builder", "random", "discounter"):
        game = played(loaded, 5, 30, bot)
        before = snapshot(game)
        for salt in range(3):
            finish(game.fork(salt), bot)
        assert snapshot(game) == before


@pytest.mark.parametrize("scenario_id", bundled_ids())
def test_being_forked_never_changes_a_game(scenario_id: str) -> None:
    """A game forked (and its forks played out) before every move ends exactly as one
    that never was, and its run log still replays to it."""
    loaded = load_bundled(scenario_id)
    plain = play(
        Game(loaded.scenario, 9, scenario_hash=loaded.content_hash), make_bot("constellation")
    )
    game = Game(loaded.scenario, 9, scenario_hash=loaded.content_hash)
    bot = make_bot("constellation")
    bot.reset(9)
    view = GameView(game)
    while not game.finished:
        fork = view.fork(len(game.choices_made))
        for _ in range(5):
            if not fork.finished:
                fork.step(fork.choices()[-1].id)
        game.step(bot.choose(view))
    assert game.choices_made == plain.choices_made
    assert game.log_entries == plain.log_entries
    assert run_result(game, bot=None) == run_result(plain, bot=None)
    again = replay(loaded.scenario, game.run_log(), scenario_hash=loaded.content_hash)
    assert run_result(again, bot=None) == run_result(game, bot=None)


def outcome(game: Game) -> tuple:
    """What the world's dice decided in a finished game."""
    state = game._world.state
    return (
        state.promises_kept,
        state.promises_broken,
        tuple((d.turn, d.who) for d in state.defections),
        tuple(tuple(sorted(record.items())) for record in game.timeline),
    )


def test_a_forks_future_dice_are_not_its_parents(sand, director) -> None:
    """Parent and fork play on alike (the idle bot, which only ends turns and takes
    defaults), yet the world treats them differently: deliveries, events, defections
    and the timeline differ."""
    differ = total = 0
    for loaded in (sand, director):
        for seed in range(6):
            for steps in (0, 25):
                game = played(loaded, seed, steps)
                fork = game.fork("other future")
                finish(game, "idle")
                finish(fork, "idle")
                total += 1
                differ += outcome(fork) != outcome(game)
    assert differ >= total - 1, (differ, total)


def test_this_turns_dice_are_resampled_too(sand) -> None:
    """Forked mid-turn, the fork's end of this very turn rolls its own dice."""
    differ = 0
    for seed in range(12):
        game = played(sand, seed, 2)
        fork = game.fork("now")
        game.step("end")
        fork.step("end")
        differ += game.timeline[-1] != fork.timeline[-1] or (
            game._world.state.promises_kept != fork._world.state.promises_kept
        )
    assert differ >= 10


def test_forks_with_one_salt_are_identical_and_with_two_differ(sand) -> None:
    game = played(sand, 2, 12)
    first, second = finish(game.fork("a")), finish(game.fork("a"))
    assert outcome(first) == outcome(second)
    assert run_result(first, bot=None) == run_result(second, bot=None)
    others = {outcome(finish(game.fork(salt))) for salt in ("b", "c", "d", 1, 2)}
    assert len(others | {outcome(first)}) >= 5


def test_a_fork_of_a_fork_resamples_again(sand) -> None:
    game = played(sand, 4, 20)
    fork = game.fork("x")
    inner = fork.fork("x")
    assert inner.metrics() == fork.metrics()
    assert outcome(finish(inner, "idle")) != outcome(finish(fork, "idle"))


def test_a_fork_made_with_its_parents_dice_plays_exactly_like_it(sand, director) -> None:
    """White-box: a fork given the parent's own random streams is a perfect copy, so
    nothing the engine keeps (graph, caches, counters, rosters) was left out or shared."""
    for loaded in (sand, director):
        for seed, steps, bot in ((0, 3, "random"), (1, 50, "constellation"), (2, 90, "lone-star")):
            game = played(loaded, seed, steps, bot)
            twin = game.fork("twin", narrate=True)
            twin._world.stream_key = game._world.stream_key
            twin._world.dice = game._world.dice  # keyed dice: nothing to copy
            twin.seed = game.seed  # and the bots' seeds drawn from it
            finish(game, bot)
            finish(twin, bot)
            assert twin.choices_made == game.choices_made
            assert twin.log_entries == game.log_entries
            assert run_result(twin, bot=None) == run_result(game, bot=None)


def test_a_forks_caches_follow_its_own_graph(sand) -> None:
    game = played(sand, 6, 30)
    fork = finish(game.fork("cache"))
    assert fork.company_loyalty() == pytest.approx(company_loyalty(fork.graph), abs=1e-12)
    assert fork.metrics()["share"] == pytest.approx(fork.share())
    assert fork._world.state.loyalty.graph is fork.graph
    assert fork._world.nodes is fork.graph._node and fork._world.succ is fork.graph._succ


def test_a_fork_while_an_event_waits() -> None:
    asking = """\
events:
  - id: question
    title: A question
    when: turn == 2
    text: Bo asks for a meeting.
    choices:
      - { id: meet, label: Meet Bo, behaviour: contact, cost: 1 }
      - { id: later, label: Not now, behaviour: decline, default: true }
"""
    game = Game(parse_scenario(scenario_text(extra=asking), "t.yaml").scenario, 1)
    game.step("end")
    assert game.pending_event is not None
    fork = game.fork(0)
    assert fork.pending_event == game.pending_event
    answers = [c.id for c in game.choices()]
    fork.step(answers[-1])
    assert fork.pending_event != game.pending_event or len(fork._world.state.pending) < len(
        game._world.state.pending
    )
    assert [c.id for c in game.choices()] == answers


def test_the_view_forks_the_game_it_shows(sand) -> None:
    game = played(sand, 8, 15)
    fork = GameView(game).fork("v")
    assert isinstance(fork, Game)
    assert outcome(finish(fork)) == outcome(finish(game.fork("v")))


def test_a_fork_is_sealed_its_seed_and_run_log_never_rebuild_the_real_game(sand) -> None:
    """A bot that replays a fork's run log, or plays from the seed it is given, meets
    another customer: never the real game's future."""
    bot = "relationship-builder"
    for seed in range(5):
        game = played(sand, seed, 20, bot)
        view = GameView(game)
        assert view.seed != game.seed
        fork = view.fork("peek")
        assert fork.seed != game.seed
        log = fork.run_log()
        assert log.seed != game.seed
        assert log.choices == tuple(game.choices_made)
        real = finish(game, bot)
        for candidate in (log, RunLog(log.scenario, log.scenario_hash, view.seed, log.choices)):
            try:
                rebuilt = finish(replay(sand.scenario, candidate), bot)
            except ReplayError:
                continue  # another customer: the real game's moves do not even fit
            assert rebuilt.log_entries != real.log_entries
