"""game.workshop.leaderboard: what the app reads from and writes to a board (a real SQLite
file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.workshop.board import open_board
from game.workshop.leaderboard import BoardFeed, LeaderboardError, submit_game


def new_board(tmp_path: Path) -> Path:
    db = tmp_path / "board.sqlite"
    open_board(db).close()  # opening creates an empty board
    return db


def test_a_feed_reads_the_standings_and_what_is_new_since_its_last_read(
    tmp_path: Path, finished_logs: list[Path]
) -> None:
    db = new_board(tmp_path)
    feed = BoardFeed(db, workshop="ROOM1")
    first = feed.read()
    assert first.standings == [] and first.new == [] and first.games == 0
    for path in finished_logs[:3]:
        done = submit_game(db, path.read_text(), workshop="ROOM1", scenario_file=None)
        assert done.workshop == "ROOM1"
    second = feed.read()
    assert len(second.standings) == 3 and len(second.new) == 3 and second.games == 3
    assert [s.rank for s in second.standings] == [1, 2, 3]
    submit_game(db, finished_logs[3].read_text(), workshop="ROOM1", scenario_file=None)
    third = feed.read()
    assert [e.player for e in third.new] == ["Seed 3"]  # only what came since
    assert feed.read().new == []


def test_a_feed_analyses_the_room_of_the_scenario_shown(
    tmp_path: Path, finished_logs: list[Path]
) -> None:
    db = new_board(tmp_path)
    for path in finished_logs[:2]:
        submit_game(db, path.read_text(), workshop="ROOM1", scenario_file=None)
    feed = BoardFeed(db, workshop="ROOM1")
    room = feed.room(feed.read())
    assert room is not None and room.games == 2
    submit_game(db, finished_logs[2].read_text(), workshop="ROOM1", scenario_file=None)
    assert feed.room(feed.read()) is room and room.games == 3  # kept, and added to


def test_an_unreadable_board_gives_a_message_not_a_traceback(tmp_path: Path) -> None:
    db = tmp_path / "board.sqlite"
    db.write_bytes(b"this is not a database" * 100)
    with pytest.raises(LeaderboardError) as caught:
        BoardFeed(db).read()
    assert str(db) in str(caught.value) or "database" in str(caught.value)
    assert db.read_bytes().startswith(b"this is not a database")  # nothing was lost
