"""The app's logic without Textual: the scenario listing and reloading an edited scenario."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from game.bots import make_bot, play
from game.engine import Game
from game.play.best_scores import SCORES_FILE, best_scores
from game.play.listing import (
    SUGGESTED_ORDER,
    continue_listing,
    continued_scenario,
    found_scenarios,
    scenario_listings,
)
from game.play.saves import SaveStore, unfinished_summary
from game.play.session import PlaySession, reload_session
from game.scenario import ScenarioError, load_scenario, parse_scenario
from game.scenario.catalog import bundled_ids, bundled_text, load_bundled
from tests.conftest import scenario_text


def test_the_listing_shows_each_scenario_once_and_explains_broken_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    local = tmp_path / "scenarios"
    local.mkdir()
    (local / "sand-supplier.yaml").write_bytes(bundled_text("sand-supplier"))  # the same again
    (local / "broken.yaml").write_text("id: broken\nturns: [\n")
    listings = scenario_listings()
    titles = [item.title for item in listings]
    assert len([t for t in titles if t.startswith("Same Sand")]) == 1
    assert len(listings) == len(bundled_ids()) + 1
    broken = next(item for item in listings if item.problem)
    assert broken.title == "broken (cannot be played)" and "broken.yaml" in broken.detail


def test_the_listing_suggests_an_order_the_tutorial_first_then_own_scenarios_by_title(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    local = tmp_path / "scenarios"
    local.mkdir()
    for scenario_id in bundled_ids():  # the bundled scenarios again, as in the repository
        (local / f"{scenario_id}.yaml").write_bytes(bundled_text(scenario_id))
    (local / "zebra.yaml").write_text(scenario_text(replace=(("title: Mini", "title: Aardvark"),)))
    (local / "mini.yaml").write_text(scenario_text(replace=(("title: Mini", "title: Zoo"),)))
    keys = [item.key for item in scenario_listings()]
    assert set(SUGGESTED_ORDER) == set(bundled_ids())  # a new bundled scenario needs a place
    assert keys == [f"bundled:{i}.yaml" for i in SUGGESTED_ORDER] + [
        f"local:{local / 'zebra.yaml'}",  # "Aardvark"
        f"local:{local / 'mini.yaml'}",  # "Zoo"
    ]
    ids = [found.entry.id for found in found_scenarios()]
    assert ids[0] == "tutorial"
    # Each found by the id it declares: two different files that both say `id: mini`
    # are both listed (each with its path); the bundled copies only once.
    assert ids.count("mini") == 2 and len(ids) == len(set(ids)) + 1


def finish(saves: SaveStore, scenario_id: str, bot: str, seed: int) -> int:
    """Play a finished game of a bundled scenario into `saves`, as the app keeps it."""
    loaded = load_bundled(scenario_id)
    game = play(Game(loaded.scenario, seed, scenario_hash=loaded.content_hash), make_bot(bot))
    saves.finish(game.run_log(player="Ada"))
    return game.score().total


def test_best_scores_come_from_finished_games_replayed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saves = SaveStore(tmp_path / "saves")
    scores = [finish(saves, "tutorial", bot, seed) for bot, seed in (("idle", 1), ("narrow", 2))]
    finish(saves, "sand-supplier", "idle", 3)
    tutorial, sand = load_bundled("tutorial"), load_bundled("sand-supplier")
    found = best_scores([tutorial], saves.folder)  # only the scenarios asked about
    assert list(found) == [("tutorial", tutorial.content_hash)]
    best = found[("tutorial", tutorial.content_hash)]
    assert (best.score, best.games) == (max(scores), 2)
    assert (saves.folder / SCORES_FILE).is_file()

    def no_replays(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("replayed again")

    monkeypatch.setattr("game.engine.replay", no_replays)
    again = best_scores([tutorial], saves.folder)
    assert again == found  # from the scores kept, without replaying
    monkeypatch.undo()
    both = best_scores([tutorial, sand], saves.folder)
    assert both[("sand-supplier", sand.content_hash)].games == 1


def test_a_finished_game_of_another_version_of_the_scenario_does_not_count(tmp_path: Path) -> None:
    saves = SaveStore(tmp_path / "saves")
    finish(saves, "tutorial", "relationship-builder", 1)
    edited = parse_scenario(
        bundled_text("tutorial").replace(b"turns: 5", b"turns: 6"), "tutorial.yaml"
    )
    assert best_scores([edited], saves.folder) == {}


def test_listings_show_the_best_score_and_survive_corrupt_score_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rapport_home: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    saves = SaveStore(rapport_home / "saves")
    score = finish(saves, "tutorial", "relationship-builder", 4)
    runs = saves.runs_folder
    (runs / "garbage.json").write_bytes(b"\x00\xff not a run log")
    (runs / "empty.json").write_text("")
    (runs / "not-a-log.json").write_text('{"format": "rapport-runlog", "version": 1}')
    for name, scenario_id, choices in (
        ("sand-supplier-seed1-bad.json", "sand-supplier", ["no-such-move"]),
        ("tutorial-seed1-unfinished.json", "tutorial", ["end"]),  # not a finished game
    ):
        log = {"format": "rapport-runlog", "version": 1, "scenario": scenario_id, "seed": 1}
        log |= {"scenario_hash": load_bundled(scenario_id).content_hash, "choices": choices}
        (runs / name).write_text(json.dumps(log))
    for cache in (
        b"{not json",
        b'{"format": "rapport-run-scores", "version": 1, "runs": []}',
        b'{"format": "rapport-run-scores", "version": 1, "runs": {"x.json": 5}}',
        b"\xff\xfe",
    ):
        (saves.folder / SCORES_FILE).write_bytes(cache)
        listings = {item.key: item for item in scenario_listings()}
        tutorial = listings["bundled:tutorial.yaml"]
        assert (tutorial.best, tutorial.games) == (score, 1)
        assert listings["bundled:sand-supplier.yaml"].best is None
    assert {p.name for p in runs.iterdir()} >= {"garbage.json", "empty.json", "not-a-log.json"}
    # a score file that cannot be written keeps nothing, and still lists
    (saves.folder / SCORES_FILE).unlink()
    (saves.folder / SCORES_FILE).mkdir()
    assert scenario_listings()[0].best == score


def test_reloading_an_edited_scenario_replays_the_moves_that_still_fit(tmp_path: Path) -> None:
    path = tmp_path / "mini.yaml"
    path.write_text(scenario_text())
    loaded = load_scenario(path)
    game = Game(loaded.scenario, 3)
    for _ in range(2):  # two moves, then the end of the turn
        game.step(next(c.id for c in game.choices() if c.kind == "action"))
    game.step("end")
    moves = list(game.choices_made)
    session = PlaySession(loaded, game, "Ada", SaveStore(tmp_path / "saves"), str(path))
    path.write_text(scenario_text(extra="\n# an edit that changes nothing the game uses\n"))
    reloaded = reload_session(path, session)
    assert reloaded.session is not None and reloaded.session is not session
    assert (reloaded.applied, reloaded.total) == (len(moves), len(moves))
    assert reloaded.session.game.choices_made == moves
    assert reloaded.session.player == "Ada"


def test_moves_that_stop_fitting_come_back_when_the_edit_is_undone(tmp_path: Path) -> None:
    path = tmp_path / "mini.yaml"
    path.write_text(scenario_text())
    loaded = load_scenario(path)
    game = Game(loaded.scenario, 3)
    for _ in range(2):
        game.step(next(c.id for c in game.choices() if c.kind == "action"))
    game.step("end")
    moves = list(game.choices_made)
    session = PlaySession(loaded, game, "Ada", None, str(path))
    path.write_text(scenario_text().replace("id: call", "id: ring"))
    broken = reload_session(path, session)
    assert broken.session is not None and broken.applied < len(moves)
    assert broken.session.pending_moves == tuple(moves[broken.applied :])
    path.write_text(scenario_text())
    fixed = reload_session(path, broken.session)
    assert fixed.session is not None
    assert fixed.session.game.choices_made == moves
    assert (fixed.applied, fixed.total) == (len(moves), len(moves))


def test_a_new_move_replaces_the_moves_set_aside(tmp_path: Path) -> None:
    path = tmp_path / "mini.yaml"
    path.write_text(scenario_text())
    loaded = load_scenario(path)
    session = PlaySession(loaded, Game(loaded.scenario, 3), "Ada", None, str(path))
    session.pending_moves = ("call:you:x", "end")
    session.step("end")
    assert session.pending_moves == ()


def test_a_broken_edit_raises_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "mini.yaml"
    path.write_text(scenario_text())
    loaded = load_scenario(path)
    session = PlaySession(loaded, Game(loaded.scenario, 1), "Ada", None, str(path))
    path.write_text("id: mini\nturns: [\n")
    with pytest.raises(ScenarioError):
        reload_session(path, session)
    assert session.game.choices_made == []


def test_reloading_before_a_game_starts_reads_the_scenario_only(tmp_path: Path) -> None:
    path = tmp_path / "mini.yaml"
    path.write_text(scenario_text())
    reloaded = reload_session(path, None)
    assert reloaded.session is None and reloaded.loaded.scenario.id


def test_the_continue_line_says_who_how_far_and_when_and_hides_a_workshop_seed() -> None:
    when = dt.datetime(2026, 11, 23, 14, 5)
    item = continue_listing("mini", "Mini", player="Ada", turn=3, turns=6, saved_at=when, seed=42)
    assert continued_scenario(item.key) == "mini"
    assert item.title == "Continue: Mini"
    assert item.detail == "Ada · turn 3 of 6 · saved 23 Nov 2026, 14:05 · seed 42"
    hidden = continue_listing(
        "mini", "Mini", player="Ada", turn=3, turns=6, saved_at=None, seed=None
    )
    assert "seed" not in hidden.detail
    assert continued_scenario("bundled:mini.yaml") is None


def test_the_unfinished_summary_names_the_saved_game(tmp_path: Path) -> None:
    path = tmp_path / "mini.yaml"
    path.write_text(scenario_text())
    loaded = load_scenario(path)
    saves = SaveStore(tmp_path / "saves")
    assert unfinished_summary(saves, "mini", 6) is None
    session = PlaySession.start(loaded, 3, "Ada", saves=saves)
    session.step("end")
    summary = unfinished_summary(saves, loaded.scenario.id, loaded.scenario.turns)
    assert summary is not None and summary.startswith("Ada, turn 2 of")


def test_kill_9_after_a_move_loses_nothing(tmp_path: Path) -> None:
    """Every move is saved at once: a process killed with SIGKILL mid-turn resumes with
    every move it made."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(
        f"""
        import os, signal
        from pathlib import Path
        from game.play.saves import SaveStore
        from game.play.session import PlaySession
        from game.scenario.catalog import load_bundled

        session = PlaySession.start(
            load_bundled("sand-supplier"), 3, "Ada", saves=SaveStore(Path({str(tmp_path)!r}))
        )
        moves = [c.id for c in session.game.choices() if c.kind == "action"][:2]
        for move in moves:
            session.step(move)
        print(" ".join(moves), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == -9, result.stderr
    moves = result.stdout.split()
    assert len(moves) == 2
    save = SaveStore(tmp_path).read_autosave("sand-supplier")
    assert save is not None
    assert list(save.log.choices) == moves
    resumed = PlaySession.resume(SaveStore(tmp_path), "sand-supplier")
    assert resumed is not None
    assert resumed.game.choices_made == moves and resumed.game.turn == 1
