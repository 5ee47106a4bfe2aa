"""Screenshots of every screen, compared with the approved SVGs in __snapshots__/.

After an intended change of look, review and approve with:
    python -m pytest tests/app/test_snapshots.py --snapshot-update
The test extra pins Textual and Rich so the approved images stay comparable.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from game.app.app import RapportApp
from tests.app.conftest import open_game, settle


def app() -> RapportApp:
    return RapportApp("sand-supplier", seed=3, player="Ada")


async def briefing(pilot: Pilot) -> None:
    await settle(pilot, pilot.app)


async def main_screen(pilot: Pilot) -> None:
    await open_game(pilot, pilot.app)
    await pilot.press("1", "2", "e", "3")
    await settle(pilot, pilot.app)


async def event_modal(pilot: Pilot) -> None:
    await open_game(pilot, pilot.app)
    await pilot.press("e", "e")
    await settle(pilot, pilot.app)


async def debrief(pilot: Pilot) -> None:
    await open_game(pilot, pilot.app)
    await pilot.press("1", "e", "1", "e", "1", "d")
    await settle(pilot, pilot.app)


async def help_screen(pilot: Pilot) -> None:
    await open_game(pilot, pilot.app)
    await pilot.press("question_mark")
    await settle(pilot, pilot.app)


@pytest.mark.parametrize(
    ("run_before", "size"),
    [
        (briefing, (80, 24)),
        (main_screen, (80, 24)),
        (main_screen, (160, 48)),
        (event_modal, (80, 24)),
        (debrief, (80, 24)),
        (help_screen, (80, 24)),
    ],
    ids=["briefing", "main-80x24", "main-160x48", "event", "debrief", "help"],
)
def test_screen(snap_compare, run_before, size) -> None:
    assert snap_compare(app(), run_before=run_before, terminal_size=size)


def test_picker(snap_compare) -> None:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot, pilot.app)

    assert snap_compare(RapportApp(None), run_before=run_before, terminal_size=(80, 24))
