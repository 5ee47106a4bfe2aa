"""`rapport play FILE --watch`: edits reload the scenario and replay the moves made."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import AsyncIterator
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Static

from game.app.app import RapportApp
from game.app.screens.dialogs import ProblemScreen
from game.app.screens.play import PlayScreen
from game.app.screens.story_map import StoryMapScreen
from tests.app.conftest import open_game, settle, until
from tests.conftest import MINI


def save(path: Path, text: str) -> None:
    """Write and make sure the modification time moves on, however fast the test runs."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text)
    os.utime(path, ns=(time.time_ns(), max(time.time_ns(), before + 1_000_000)))


async def wait_for(pilot, app, condition) -> None:
    """Until the watcher has reloaded (or refused) the edited file."""
    await until(pilot, app, condition, "the edit was never reloaded")


#: MINI with its call renamed: a reload that every move still fits.
PHONE = MINI.replace("label: Call {target}", "label: Phone {target}")


@contextlib.asynccontextmanager
async def watching(tmp_path: Path) -> AsyncIterator[tuple[Path, RapportApp, Pilot]]:
    """MINI saved as a file and played with --watch, on the main screen."""
    path = tmp_path / "mini.yaml"
    save(path, MINI)
    app = RapportApp(str(path), seed=4, player="Ada", watch=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_game(pilot, app)
        yield path, app, pilot


async def reload(pilot: Pilot, app: RapportApp, path: Path, text: str) -> None:
    """Save `text` as the scenario and wait until the game has been replayed onto it."""
    before = app.session
    save(path, text)
    await wait_for(pilot, app, lambda: app.session is not before)


async def test_saving_the_file_reloads_and_replays_the_moves(tmp_path: Path) -> None:
    async with watching(tmp_path) as (path, app, pilot):
        await pilot.press("1", "e", "1")
        await settle(pilot, app)
        made = list(app.session.game.choices_made)
        assert made

        await reload(pilot, app, path, PHONE)
        assert isinstance(app.screen, PlayScreen)
        assert app.session.game.choices_made == made
        assert any("Phone" in c.label for c in app.session.game.choices())
        notes = [n.message for n in app._notifications]
        assert any(f"replayed {len(made)} of {len(made)} moves" in n for n in notes), notes

        broken = MINI.replace("turns: 6", "turns: many")
        save(path, broken)
        await wait_for(pilot, app, lambda: isinstance(app.screen, ProblemScreen))
        assert app.is_running
        session = app.session

        fixed = MINI.replace("{ id: call,", "{ id: call,")  # valid again
        save(path, fixed.replace("turns: 6", "turns: 7"))
        await wait_for(pilot, app, lambda: app.session is not session)
        assert isinstance(app.screen, PlayScreen)
        assert app.session.game.turns == 7
        assert app.session.game.choices_made == made


async def test_moves_that_no_longer_fit_are_set_aside_with_a_warning(tmp_path: Path) -> None:
    async with watching(tmp_path) as (path, app, pilot):
        await pilot.press("1", "1")
        await settle(pilot, app)
        # Rename 'call': the recorded calls no longer fit.
        await reload(pilot, app, path, MINI.replace("id: call", "id: ring"))
        assert app.session.game.choices_made == []
        assert len(app.session.pending_moves) == 2  # kept for the next reload
        assert any("replayed 0 of 2 moves" in n.message for n in app._notifications)


async def test_a_temporary_bad_edit_loses_no_moves(tmp_path: Path) -> None:
    """Break a move's id, then fix it: every move made before comes back."""
    async with watching(tmp_path) as (path, app, pilot):
        await pilot.press("1", "1", "e", "1", "e", "1")
        await settle(pilot, app)
        made = list(app.session.game.choices_made)
        assert len(made) >= 4

        await reload(pilot, app, path, MINI.replace("id: call", "id: ring"))  # calls no longer fit
        assert len(app.session.game.choices_made) < len(made)
        assert app.session.pending_moves

        await reload(pilot, app, path, MINI)  # fixed
        assert app.session.game.choices_made == made
        assert app.session.pending_moves == ()
        notes = [n.message for n in app._notifications]
        assert any(f"replayed {len(made)} of {len(made)} moves" in n for n in notes), notes


async def test_warnings_show_in_the_game_after_a_reload(tmp_path: Path) -> None:
    async with watching(tmp_path) as (path, app, pilot):
        # a condition that can never hold, which the author means: it plays, with a warning
        never = (
            MINI.replace(
                "    cost: 1\n    targets: none",
                "    cost: 1\n    when: turn > 99\n    targets: none",
            )
            + "intended: [R501]\n"
        )
        assert never != MINI
        await reload(pilot, app, path, never)
        warned = [n for n in app._notifications if n.title == "Scenario warning"]
        assert warned, [n.message for n in app._notifications]


async def test_the_story_map_opens_with_m_while_watching_and_follows_edits(tmp_path: Path) -> None:
    async with watching(tmp_path) as (path, app, pilot):
        await reload(pilot, app, path, PHONE)
        await pilot.press("m")
        await settle(pilot, app)
        assert isinstance(app.screen, StoryMapScreen)
        text = str(app.screen.query_one("#map-text", Static).content)
        for person in app.session.game.scenario.customer.people:
            assert person.name in text
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, PlayScreen)


async def test_there_is_no_story_map_key_for_a_trainee(tmp_path: Path) -> None:
    app = RapportApp("sand-supplier", seed=4, player="Ada")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_game(pilot, app)
        await pilot.press("m")
        await settle(pilot, app)
        assert isinstance(app.screen, PlayScreen)
        assert "story-map" not in {
            b.binding.id for b in app.screen.active_bindings.values() if b.enabled
        }
