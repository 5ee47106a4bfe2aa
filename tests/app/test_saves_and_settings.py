"""Saves and settings a trainee playtest found wanting: one unfinished game per
scenario, old save layouts migrated, and a theme remembered across games."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from game.app.app import RapportApp
from game.app.screens.briefing import BriefingScreen
from game.app.screens.dialogs import ConfirmScreen
from game.app.screens.picker import PickerScreen
from game.app.screens.play import EventModal, PlayScreen
from tests.app.conftest import (
    play_and_quit,
    screen_text,
    settle,
    slot,
)

# ---------------------------------------------------------------- 3. one save per scenario


async def test_each_scenario_keeps_its_own_unfinished_game(rapport_home: Path) -> None:
    await play_and_quit(RapportApp("director-to-ceo", seed=5, player="Bo"), ["1", "e", "e"])
    await play_and_quit(RapportApp("sand-supplier", seed=3, player="Ada"), ["1", "e"])
    assert slot(rapport_home, "director-to-ceo").is_file()
    assert slot(rapport_home, "sand-supplier").is_file()

    app = RapportApp(None)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, PickerScreen)
        games = [item for item in app.screen.items if item.key.startswith("continue")]
        # newest first, each with its scenario, player, turn and when it was saved
        assert [item.title for item in games] == [
            "Continue: Same Sand, Different Supplier",
            "Continue: From the Director's Office to the CEO's",
        ]
        assert games[0].detail.startswith("Ada · turn 2 of 24 · saved ")
        assert games[1].detail.startswith("Bo · turn 3 of 20 · saved ")
        text = screen_text(app)
        assert "Continue: Same Sand" in text and "Continue: From the Director" in text
        await pilot.press("down", "enter")  # the older game
        await settle(pilot, app)
        assert isinstance(app.screen, PlayScreen | EventModal)
        assert app.session.game.scenario.id == "director-to-ceo"
        assert app.session.game.turn == 3 and app.session.player == "Bo"


async def test_starting_a_scenario_with_an_unfinished_game_asks_to_replace_it(
    rapport_home: Path,
) -> None:
    await play_and_quit(RapportApp("sand-supplier", seed=3, player="Ada"), ["1", "e"])
    saved = slot(rapport_home, "sand-supplier").read_text()
    app = RapportApp("sand-supplier", seed=4, player="Ada")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, BriefingScreen)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmScreen)
        assert "replace" in screen_text(app).lower()
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, BriefingScreen)
        assert slot(rapport_home, "sand-supplier").read_text() == saved
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.press("y")
        await settle(pilot, app)
        assert isinstance(app.screen, PlayScreen)
        assert app.session.game.seed == 4
    assert json.loads(slot(rapport_home, "sand-supplier").read_text())["seed"] == 4


async def test_a_save_in_the_old_single_file_layout_is_found_and_migrated(
    rapport_home: Path,
) -> None:
    await play_and_quit(RapportApp("sand-supplier", seed=3, player="Ada"), ["1", "e"])
    old = rapport_home / "saves" / "autosave.json"
    slot(rapport_home, "sand-supplier").replace(old)  # as an older Rapport left it
    content = old.read_text()
    app = RapportApp(None)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, PickerScreen)
        first = app.screen.items[0]
        assert first.title == "Continue: Same Sand, Different Supplier"
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, PlayScreen)
        assert app.session.game.turn == 2
    assert not old.exists()
    assert (
        json.loads(slot(rapport_home, "sand-supplier").read_text())["choices"]
        == (json.loads(content)["choices"])
    )


async def test_an_old_single_save_beside_a_newer_save_of_its_scenario_is_kept(
    rapport_home: Path,
) -> None:
    await play_and_quit(RapportApp("sand-supplier", seed=3, player="Ada"), ["1", "e"])
    old = rapport_home / "saves" / "autosave.json"
    shutil.copy(slot(rapport_home, "sand-supplier"), old)
    os.utime(old, (1_000_000_000, 1_000_000_000))  # saved by an older Rapport, long ago
    app = RapportApp(None)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot, app)
        games = [item for item in app.screen.items if item.key.startswith("continue")]
        assert len(games) == 1
        notes = [n.message for n in app._notifications if "older saved game" in n.message]
    (kept,) = old.parent.glob("autosave.superseded-*.json")
    assert len(notes) == 1 and str(kept) in notes[0]
    assert kept.read_text() == slot(rapport_home, "sand-supplier").read_text()


# ---------------------------------------------------------------- 6. the theme is remembered


async def test_the_chosen_theme_is_remembered(rapport_home: Path) -> None:
    app = RapportApp(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        default = app.theme
        app.theme = "nord"
        await settle(pilot, app)
    settings = json.loads((rapport_home / "settings.json").read_text())
    assert settings["theme"] == "nord"
    again = RapportApp(None)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot, again)
        assert again.theme == "nord" != default


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"theme": 5}', "theme"),
        (b'{"theme": "no-such-theme"}', "no-such-theme"),
        (b"\xff\xfe garbage", "not valid"),
    ],
)
async def test_unreadable_settings_warn_in_one_line_and_are_kept(
    rapport_home: Path, content: bytes, problem: str
) -> None:
    path = rapport_home / "settings.json"
    path.write_bytes(content)
    app = RapportApp(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, PickerScreen)
        notes = [n.message for n in app._notifications if str(path) in n.message]
        assert len(notes) == 1, notes
        assert problem in notes[0] and "\n" not in notes[0]
        assert app.theme == "textual-dark"
    assert path.read_bytes() == content  # never deleted nor rewritten


async def test_unreadable_settings_are_set_aside_before_a_new_theme_is_saved(
    rapport_home: Path,
) -> None:
    path = rapport_home / "settings.json"
    path.write_text("{not json")
    app = RapportApp(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.theme = "nord"
        await settle(pilot, app)
    assert json.loads(path.read_text())["theme"] == "nord"
    (kept,) = rapport_home.glob("settings.unreadable-*.json")
    assert kept.read_text() == "{not json"
