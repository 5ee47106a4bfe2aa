"""The app's logic without Textual: the scenario listing and reloading an edited scenario."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.engine import Game
from game.listing import scenario_listings
from game.saves import SaveStore
from game.scenario import ScenarioError, load_scenario
from game.scenario.catalog import bundled_ids, bundled_text
from game.session import PlaySession, reload_session
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
