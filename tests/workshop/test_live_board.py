"""The live board: scores submitted from another process (or machine) appear without a key press.

On a SQLite file and on the session's PostgreSQL server.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import DataTable

from game.app.live_board import LiveBoardApp
from game.workshop.board import open_board
from game.workshop.submit import Submitter
from tests.app.conftest import screen_text, until
from tests.workshop.conftest import BACKENDS


def rows(app: LiveBoardApp) -> list[str]:
    table = app.query_one(DataTable)
    return [str(table.get_row_at(i)[1]) for i in range(table.row_count)]


def cells(app: LiveBoardApp) -> list[list[str]]:
    table = app.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


@pytest.mark.parametrize("board_location", BACKENDS, indirect=True)
async def test_a_submission_from_another_process_appears(board_location, finished_logs) -> None:
    db = board_location
    open_board(db).close()
    app = LiveBoardApp(db, workshop="LIVE")
    async with app.run_test(size=(120, 32)) as pilot:
        await until(pilot, app, lambda: app.polled, "the board was never read")
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
        # No key is pressed: the board polls by itself.
        await until(pilot, app, lambda: rows(app), "the submission never appeared", looks=600)
        assert rows(app) == ["Far Away  ★ new"]
        with open_board(db) as board:
            (entry,) = board.entries()
        assert entry.par is not None
        assert cells(app)[0][:5] == [
            "1",
            "Far Away  ★ new",
            str(entry.score),
            str(entry.par),
            f"{entry.score - entry.par:+d}",
        ]
        assert "1 players" in screen_text(app)
        await pilot.press("r")
        await until(pilot, app, lambda: "A damp load" in screen_text(app), "no room tab")
        room = screen_text(app)
        assert "1 games of Same Sand, Different Supplier" in room
        assert "A damp load" in room


async def test_a_board_file_that_breaks_is_reported_and_the_last_board_kept(
    tmp_path: Path, finished_logs
) -> None:
    db = tmp_path / "board.db"
    with open_board(db) as board:
        Submitter(board).submit(finished_logs[0].read_bytes(), workshop="LIVE", name="Early Bird")
    app = LiveBoardApp(db, workshop="LIVE")
    async with app.run_test(size=(120, 32)) as pilot:
        await until(pilot, app, lambda: app.polled, "the board was never read")
        assert rows(app) == ["Early Bird"]
        for leftover in tmp_path.glob("board.db*"):
            leftover.unlink()
        db.write_bytes(b"this is not a database" * 100)
        await until(pilot, app, lambda: app.unreadable, "the broken file was never noticed", 600)
        assert app.unreadable is not None and str(db) in app.unreadable
        assert "unreadable" in app.sub_title
        assert rows(app) == ["Early Bird"]  # the last good read stays on the projector
    assert db.read_bytes().startswith(b"this is not a database")  # never overwritten


async def test_a_par_board_ranks_by_score_minus_par(tmp_path: Path, finished_logs) -> None:
    db = tmp_path / "board.db"
    with open_board(db) as board:
        submitter = Submitter(board)
        for seed in (3, 5):  # idle play: 267 points on seed 3 (par 516), 295 on seed 5 (par 776)
            submitter.submit(finished_logs[seed].read_bytes(), workshop="PAR", name=f"s{seed}")
    for rank, order in (("score", ["s5", "s3"]), ("par", ["s3", "s5"])):
        app = LiveBoardApp(db, workshop="PAR", rank=rank)
        async with app.run_test(size=(120, 32)) as pilot:
            await until(pilot, app, lambda app=app: app.polled, "the board was never read")
            assert rows(app) == order
            assert ("score − par" in app.sub_title) == (rank == "par")


async def test_a_game_scored_when_the_round_ended_is_marked_unfinished(tmp_path: Path) -> None:
    db = tmp_path / "board.db"
    with open_board(db) as board:
        for player, finished in (("Done", True), ("Stopped", False)):
            board.add(
                workshop="ENDED",
                scenario="tutorial",
                scenario_hash="sha256:x",
                seed=1,
                player=player,
                score=500,
                breakdown={},
                run_log="{}",
                finished=finished,
            )
    app = LiveBoardApp(db, workshop="ENDED")
    async with app.run_test(size=(120, 32)) as pilot:
        await until(pilot, app, lambda: app.polled, "the board was never read")
        assert sorted(rows(app)) == ["Done", "Stopped  (unfinished)"]
