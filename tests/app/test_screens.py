"""Every screen renders at 80×24 and large sizes; markup in names is shown literally;
keys, help, commands and export work."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from textual.command import CommandList

from game.app.app import RapportApp
from game.app.screens.debrief import DebriefScreen
from game.app.screens.dialogs import ConfirmScreen, ProblemScreen
from game.app.screens.help import HelpScreen
from game.app.screens.picker import PickerScreen
from game.app.screens.play import EventModal, PlayScreen
from tests.app.conftest import open_game, screen_text, settle, until
from tests.conftest import MINI

MARKUP_SCENARIO = (
    MINI.replace("title: Mini", 'title: "[red]Loud[/red] title"')
    .replace("name: Bo,", 'name: "[bold]Bo[/bold]",')
    .replace("name: Bea,", 'name: "[link=https://example.invalid]Bea[/link]",')
    .replace("label: Call {target}", 'label: "Call {target} [i]now[/i]"')
    + """\
events:
  - id: markup
    title: "[blink]Alarm[/blink]"
    text: "Text with [b]markup[/b] and [@click=app.quit]a click[/]"
    when: turn == 1
    choices:
      - { id: ok, label: "[u]Fine[/u]", behaviour: other }
"""
)


def _palette_hits(app: RapportApp) -> int:
    """How many commands the open command palette lists for what was typed."""
    lists = app.screen.query(CommandList)
    return lists.first().option_count if lists else 0


async def test_markup_in_scenario_and_player_names_is_shown_literally(tmp_path: Path) -> None:
    path = tmp_path / "markup.yaml"
    path.write_text(MARKUP_SCENARIO)
    app = RapportApp(str(path), seed=1, player="[b]Ada[/b] [link=x]y[/link]")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        text = screen_text(app)
        assert "[red]Loud[/red] title" in text
        assert "[bold]Bo[/bold]" in text
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, EventModal)
        text = screen_text(app)
        assert "[blink]Alarm[/blink]" in text
        assert "[b]markup[/b] and [@click=app.quit]a click[/]" in text
        assert "[u]Fine[/u]" in text
        await pilot.press("1")
        await settle(pilot, app)
        assert isinstance(app.screen, PlayScreen)
        text = screen_text(app)
        assert "[b]Ada[/b] [link=x]y[/link]" in text  # the player's name in the header
        assert "[i]now[/i]" in text
        assert app.is_running


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_every_screen_renders_at_this_size(size: tuple[int, int]) -> None:
    app = RapportApp("sand-supplier", seed=3, player="Ada")
    async with app.run_test(size=size) as pilot:
        await settle(pilot, app)
        assert "Brightwater" in screen_text(app)  # briefing
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, PlayScreen)
        text = screen_text(app)
        assert (
            "Tom Lindqvist" in text and "Call Tom Lindqvist" in text and "Company loyalty" in text
        )
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "How to play" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("e", "e")
        await settle(pilot, app)
        assert isinstance(app.screen, EventModal)  # the damp load, turn 3
        assert "A damp load" in screen_text(app)
        await pilot.press("2")
        await pilot.press("d")
        await settle(pilot, app)
        assert isinstance(app.screen, DebriefScreen)
        assert "debrief so far" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)


async def test_the_picker_lists_scenarios_and_explains_broken_ones(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "broken.yaml").write_text("rapport: 1\nid: broken\n")
    app = RapportApp(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, PickerScreen)
        titles = [item.title for item in screen.items]
        assert "Same Sand, Different Supplier" in titles
        assert "broken (cannot be played)" in titles
        index = titles.index("broken (cannot be played)")
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, ProblemScreen)
        assert "missing required field" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, PickerScreen)


async def test_an_invalid_scenario_argument_shows_located_problems(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(MINI.replace("turns: 6", "turns: lots"))
    app = RapportApp(str(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, ProblemScreen)
        # The long temporary path folds over lines: compare without borders and spaces.
        text = re.sub(r"[│\s]+", "", screen_text(app))
        assert "bad.yaml:4:8:R203turns:Inputshouldbeavalidinteger" in text


async def test_command_palette_and_theme(rapport_home: Path) -> None:
    app = RapportApp("sand-supplier", seed=2)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_game(pilot, app)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for title in (
            "game: new game",
            "game: restart",
            "game: save",
            "game: debrief so far",
            "game: theme",
        ):
            assert title in titles
        theme = app.theme
        app.action_toggle_theme()
        assert app.theme != theme
        await pilot.press("1")
        await pilot.pause()
        app.action_save()
        assert (rapport_home / "saves" / "autosaves" / "sand-supplier.json").exists()
        app.action_restart()
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmScreen)  # restarting asks first
        await pilot.press("y")
        await settle(pilot, app)
        assert app.session.game.choices_made == []
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"debrief so far")
        await until(pilot, app, lambda: _palette_hits(app) > 0, "the palette found nothing")
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, DebriefScreen)


async def test_the_debrief_exports_markdown(rapport_home: Path) -> None:
    app = RapportApp("sand-supplier", seed=2, player="Ada [x]")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_game(pilot, app)
        await pilot.press("1", "e", "d")
        await settle(pilot, app)
        await pilot.press("x")
        await pilot.pause()
    (path,) = (rapport_home / "debriefs").glob("sand-supplier-seed2-*.md")
    text = path.read_text()
    assert text.startswith("# Debrief: Same Sand, Different Supplier")
    assert "Player: **Ada \\[x\\]**" in text
    assert "## The built-in bots on the same seed" in text
    assert "| relationship-builder |" in text
    # the player's own row sits among the bots', with their figures
    (own,) = [line for line in text.splitlines() if line.startswith("| **you** |")]
    assert own.count("%") == 2


async def test_keys_typed_faster_than_a_screen_closes_never_close_the_game() -> None:
    """Textual's dismiss pops whatever is on top: a second quick key must not take the
    game screen with it."""
    app = RapportApp("sand-supplier", seed=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_game(pilot, app)
        await pilot.press("e", "e")
        await settle(pilot, app)
        assert isinstance(app.screen, EventModal)
        for keys in (["enter", "enter"], ["question_mark", "escape", "escape"]):
            for key in keys:  # all queued before the first one is handled
                app.simulate_key(key)
            await settle(pilot, app)
            assert [type(s) for s in app.screen_stack[1:]] == [PlayScreen], keys
        for key in ["d", "d"]:
            app.simulate_key(key)
        await settle(pilot, app)
        assert [type(s) for s in app.screen_stack[1:]] == [PlayScreen, DebriefScreen]
        for key in ["escape", "escape"]:
            app.simulate_key(key)
        await settle(pilot, app)
        assert [type(s) for s in app.screen_stack[1:]] == [PlayScreen]


@pytest.mark.parametrize("sequence", [2000, 2001])
async def test_two_thousand_random_keys_on_the_main_screen_raise_nothing(sequence: int) -> None:
    """Two sequences of a thousand keys (run side by side by the test workers)."""
    app = RapportApp("sand-supplier", seed=9)
    # Every key the main screen and its dialogs answer to, and some they ignore. Not q, n or
    # the palette: leaving the game for the picker is tested elsewhere.
    keys = [
        *"0123456789edxry",
        "question_mark",
        "enter",
        "escape",
        "up",
        "down",
        "tab",
        "space",
        "left",
        "right",
        "pageup",
        "pagedown",
        "home",
        "end",
        "backspace",
        "a",
        "ctrl+c",
    ]
    rng = random.Random(sequence)
    pressed = 0
    async with app.run_test(size=(80, 24)) as pilot:
        await open_game(pilot, app)
        while pressed < 1000:
            for _ in range(20):  # a burst of keys, faster than any player types
                app.simulate_key(rng.choice(keys))
                pressed += 1
            await pilot.pause()
            for _ in range(5):
                if isinstance(app.screen, PlayScreen | DebriefScreen):
                    break
                await pilot.press("1" if isinstance(app.screen, EventModal) else "escape")
            assert isinstance(app.screen, PlayScreen | DebriefScreen), app.screen
            if isinstance(app.screen, DebriefScreen) and app.screen.final:
                app.restart_now()  # a finished game starts over: keep monkeying
            assert app.is_running
        await settle(pilot, app)
        assert app.return_code is None
