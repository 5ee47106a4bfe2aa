"""The live board: scores submitted from another process appear without a key press."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from textual.widgets import DataTable

from game.app.live_board import LiveBoardApp
from game.workshop import Submitter
from scoring.leaderboard import Leaderboard
from tests.app.conftest import screen_text


def rows(app: LiveBoardApp) -> list[str]:
    table = app.query_one(DataTable)
    return [str(table.get_row_at(i)[1]) for i in range(table.row_count)]


async def test_a_submission_from_another_process_appears(tmp_path: Path, finished_logs) -> None:
    db = tmp_path / "board.db"
    Leaderboard(db).close()
    app = LiveBoardApp(db, workshop="LIVE")
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        assert rows(app) == []
        subprocess.run(
            [
                sys.executable,
                "-m",
                "game",
                "submit",
                str(finished_logs[0]),
                "--workshop",
                "live",
                "--name",
                "Far Away",
                "--db",
                str(db),
            ],
            check=True,
        )
        deadline = time.monotonic() + 10
        while not rows(app) and time.monotonic() < deadline:
            await pilot.pause(0.2)  # no key is pressed: the board polls by itself
            await app.workers.wait_for_complete()
        assert rows(app) == ["Far Away  ★ new"]
        assert "1 players" in screen_text(app)
        await pilot.press("r")
        await pilot.pause(0.2)
        room = screen_text(app)
        assert "1 games of Same Sand, Different Supplier" in room
        assert "A damp load" in room


async def test_a_board_file_that_breaks_is_reported_and_the_last_board_kept(
    tmp_path: Path, finished_logs
) -> None:
    db = tmp_path / "board.db"
    with Leaderboard(db) as board:
        Submitter(board).submit(finished_logs[0].read_bytes(), workshop="LIVE", name="Early Bird")
    app = LiveBoardApp(db, workshop="LIVE")
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        assert rows(app) == ["Early Bird"]
        for leftover in tmp_path.glob("board.db*"):
            leftover.unlink()
        db.write_bytes(b"this is not a database" * 100)
        deadline = time.monotonic() + 10
        while app.unreadable is None and time.monotonic() < deadline:
            await pilot.pause(0.2)
            await app.workers.wait_for_complete()
        assert app.unreadable is not None and str(db) in app.unreadable
        assert "unreadable" in app.sub_title
        assert rows(app) == ["Early Bird"]  # the last good read stays on the projector
    assert db.read_bytes().startswith(b"this is not a database")  # never overwritten
