"""`rapport play --workshop`: the finished game lands on the board, the debrief shows the rank."""

from __future__ import annotations

from pathlib import Path

from game.app.app import RapportApp
from game.app.screens.debrief import DebriefScreen
from game.app.screens.play import EventModal
from scoring.leaderboard import Leaderboard
from tests.app.conftest import open_game, screen_text, settle


async def test_a_finished_workshop_game_is_submitted_and_ranked(tmp_path: Path) -> None:
    db = tmp_path / "room.db"
    with Leaderboard(db) as board:  # someone already played better
        board.add(
            workshop="ROOM1",
            scenario="director-to-ceo",
            scenario_hash="sha256:x",
            seed=1,
            player="Earlier",
            score=999,
            breakdown={},
            run_log="{}",
        )
    app = RapportApp("director-to-ceo", seed=8, player="Ada", workshop="ROOM1", db_path=db)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_game(pilot, app)
        for _ in range(300):
            if isinstance(app.screen, DebriefScreen):
                break
            await pilot.press("1" if isinstance(app.screen, EventModal) else "e")
        await settle(pilot, app)
        assert isinstance(app.screen, DebriefScreen)
        assert "Workshop ROOM1: Ada is number 2 of 2" in screen_text(app)
    with Leaderboard(db) as board:
        standings = board.standings(workshop="ROOM1")
    assert [s.entry.player for s in standings] == ["Earlier", "Ada"]
    assert standings[1].entry.seed == 8
