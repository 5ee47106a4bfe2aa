"""Play whole games through the UI and check them against the engine and the CLI."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from game.app.app import RapportApp
from game.app.screens.debrief import DebriefScreen
from game.app.screens.picker import PickerScreen
from game.app.screens.play import EventModal, PlayScreen
from tests.app.conftest import open_game, settle


async def play_to_the_end(pilot, app: RapportApp, rng: random.Random) -> None:
    """Press keys like a player: a few numbered moves, then end the turn; answer events."""
    for _ in range(600):
        screen = app.screen
        if isinstance(screen, DebriefScreen):
            return
        if isinstance(screen, EventModal):
            await pilot.press(str(rng.randint(1, len(screen.answers))))
        elif isinstance(screen, PlayScreen):
            if rng.random() < 0.75:
                await pilot.press(str(rng.randint(1, 4)))
            else:
                await pilot.press("e")
        await pilot.pause()
    raise AssertionError("the game did not end")


async def test_a_game_played_through_the_ui_scores_what_replay_says(rapport_home: Path) -> None:
    app = RapportApp("sand-supplier", seed=42, player="Ada")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_game(pilot, app)
        assert isinstance(app.screen, PlayScreen)
        await play_to_the_end(pilot, app, random.Random(7))
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, DebriefScreen)
        ui_score = screen.debrief.score.total
        assert str(ui_score) in str(screen.query_one("#score-digits").value)
        assert app.session is not None and app.session.archived is not None
        log_path = app.session.archived
    assert not (rapport_home / "saves" / "autosaves" / "sand-supplier.json").exists()
    log = json.loads(log_path.read_text())
    assert log["player"] == "Ada" and log["seed"] == 42
    result = subprocess.run(
        [sys.executable, "-m", "game", "replay", str(log_path), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout)["score"]["total"] == ui_score


async def test_quitting_mid_game_and_continuing_resumes_the_same_game(rapport_home: Path) -> None:
    app = RapportApp("director-to-ceo", seed=5, player="Bo")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_game(pilot, app)
        for key in ("1", "1", "e", "2", "e", "1"):
            await pilot.press(key)
            await pilot.pause()
        game = app.session.game
        turn, made = game.turn, list(game.choices_made)
        saved_at_turn_end = made[: len(made) - 1]  # the move in this turn is not saved yet
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    saved = json.loads((rapport_home / "saves" / "autosaves" / "director-to-ceo.json").read_text())
    assert saved["choices"] == made  # quitting saves everything, even mid-turn
    assert saved_at_turn_end == made[:-1]

    again = RapportApp(None)
    async with again.run_test(size=(100, 32)) as pilot:
        await settle(pilot, again)
        assert isinstance(again.screen, PickerScreen)
        assert again.screen.items[0].key == "continue:director-to-ceo"
        assert "Bo" in again.screen.items[0].detail
        await pilot.press("enter")
        await settle(pilot, again)
        assert isinstance(again.screen, PlayScreen)
        assert again.session.game.turn == turn
        assert again.session.game.choices_made == made


@pytest.mark.parametrize(
    "content", [b"{not json", b'{"format": "rapport-runlog", "version": 1}', b"\x00\xff garbage"]
)
async def test_a_corrupt_save_is_reported_and_kept(rapport_home: Path, content: bytes) -> None:
    saves = rapport_home / "saves"
    saves.mkdir(parents=True)
    (saves / "autosave.json").write_bytes(content)
    app = RapportApp(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, PickerScreen)
        assert all(item.key != "continue" for item in app.screen.items)
        notes = [n.message for n in app._notifications]
        assert any("could not be read" in note for note in notes), notes
    kept = list(saves.glob("autosave.corrupt-*.json"))
    assert len(kept) == 1 and kept[0].read_bytes() == content
    assert not (saves / "autosave.json").exists()


async def test_a_save_that_no_longer_fits_its_scenario_is_kept(rapport_home: Path) -> None:
    saves = rapport_home / "saves"
    saves.mkdir(parents=True)
    log = {
        "format": "rapport-runlog",
        "version": 1,
        "scenario": "sand-supplier",
        "scenario_hash": "sha256:" + "0" * 64,
        "seed": 1,
        "choices": ["end"],
    }
    (saves / "autosave.json").write_text(json.dumps(log))
    app = RapportApp(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        notes = [n.message for n in app._notifications]
        assert any("cannot be resumed" in note for note in notes), notes
    kept = list(saves.glob("autosave.mismatch-*.json"))
    assert len(kept) == 1 and json.loads(kept[0].read_text()) == log
