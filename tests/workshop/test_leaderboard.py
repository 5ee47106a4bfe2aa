"""The leaderboard store and submissions, against real SQLite files and a real PostgreSQL server."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from game.workshop.board import SCHEMA_VERSION, BoardError, open_board
from game.workshop.board.sqlite_store import sqlite_migration
from game.workshop.submit import SubmissionError, Submitter
from game.workshop.workshops import workshop_code
from tests.workshop.conftest import BACKENDS, edited

both = pytest.mark.parametrize("board_location", BACKENDS, indirect=True)
sqlite_only = pytest.mark.parametrize("board_location", ["sqlite"], indirect=True)


def _submit_all(location: str, logs: list[str], who: int) -> int:
    """One process: submit every log under its own player names."""
    with open_board(location) as board:
        submitter = Submitter(board)
        for index, log in enumerate(logs):
            submitter.submit(Path(log).read_bytes(), workshop="rush", name=f"p{who}-{index}")
    return len(logs)


@both
def test_eight_processes_submitting_at_once_lose_nothing(board_location, finished_logs) -> None:
    open_board(board_location).close()
    logs = [str(finished_logs[n % 10]) for n in range(100)]  # 10 seeds: 10 pars per process
    context = multiprocessing.get_context("spawn")
    with context.Pool(8) as pool:
        done = pool.starmap(_submit_all, [(str(board_location), logs, who) for who in range(8)])
    assert done == [100] * 8
    with open_board(board_location) as board:
        assert board.count() == 800
        assert board.integrity() == "ok"
        standings = board.standings(workshop="RUSH")
        assert len(standings) == 800
        assert len(board.standings(workshop="RUSH", rank="par")) == 800
        ids = [e.id for e in board.entries()]
        assert len(set(ids)) == 800 and ids == sorted(ids)
        times = [e.created for e in board.entries()]
        assert times == sorted(times)  # ids and times follow commit order
        assert all(s.entry.par is not None for s in standings)


@both
def test_the_stored_score_is_recomputed_not_read(board_location, finished_logs) -> None:
    with open_board(board_location) as board:
        submitter = Submitter(board)
        honest = submitter.submit(finished_logs[0].read_bytes(), workshop="w", name="honest")
        forged = edited(
            finished_logs[0], score={"total": 1000}, final={"company_loyalty": 1}, par=0
        )
        cheat = submitter.submit(forged, workshop="w", name="cheat")
        assert cheat.score == honest.score < 1000
        assert cheat.par == honest.par is not None
        stored = board.standings(workshop="W")
        assert {s.entry.player: (s.entry.score, s.entry.par) for s in stored} == {
            "honest": (honest.score, honest.par),
            "cheat": (honest.score, honest.par),
        }
        assert "score" not in json.loads(stored[0].entry.run_log)
        assert "par" not in json.loads(stored[0].entry.run_log)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            lambda log: edited(log, scenario_hash="sha256:" + "0" * 64),
            "different version of scenario 'sand-supplier'",
        ),
        (lambda log: log.read_text()[:200], "not a run log: the text is not valid JSON"),
        (lambda log: "rapport: 1\nid: sand-supplier\n", "not a run log"),
        (lambda log: b"\x89PNG\r\n\x1a\n\x00\x00", "not a run log"),
        (
            lambda log: edited(log, choices=json.loads(log.read_text())["choices"][:5]),
            "the game is unfinished",
        ),
        (lambda log: edited(log, choices=["call:you:nobody"]), "refused: choice 1 of 1"),
        (lambda log: edited(log, scenario="no-such-scenario"), "cannot be found"),
    ],
    ids=["foreign-hash", "truncated", "yaml", "binary", "unfinished", "impossible", "unknown"],
)
@both
def test_logs_that_cannot_be_trusted_are_refused(
    board_location, finished_logs, content, message: str
) -> None:
    with open_board(board_location) as board:
        with pytest.raises(SubmissionError, match=message):
            Submitter(board).submit(content(finished_logs[1]), workshop="w")
        assert board.count() == 0


@both
def test_best_score_per_player_and_ties_go_to_the_earlier(board_location) -> None:
    with open_board(board_location) as board:

        def add(player: str, score: int, par: int | None = None) -> None:
            board.add(
                workshop="W",
                scenario="s",
                scenario_hash="sha256:x",
                seed=1,
                player=player,
                score=score,
                breakdown={},
                run_log="{}",
                par=par,
            )

        add("ann", 500, 400)
        add("bob", 700, 690)
        add("ann", 700, 650)
        add("cy", 650, 500)
        add("ann", 300, 100)
        standings = board.standings(workshop="W")
        assert [(s.rank, s.entry.player, s.entry.score, s.games) for s in standings] == [
            (1, "bob", 700, 1),
            (2, "ann", 700, 3),
            (3, "cy", 650, 1),
        ]
        assert [s.entry.player for s in board.standings(workshop="W", limit=2)] == ["bob", "ann"]
        assert board.standings(workshop="OTHER") == []
        by_par = board.standings(workshop="W", rank="par")
        assert [(s.entry.player, s.entry.margin, s.games) for s in by_par] == [
            ("ann", 200, 3),  # her third game: 300 - 100 beats 500 - 400 and 700 - 650
            ("cy", 150, 1),
            ("bob", 10, 1),
        ]
        for rank in ("score", "par"):
            for standing in board.standings(workshop="W", rank=rank):
                place = board.place(
                    workshop="W", scenario="s", player=standing.entry.player, rank=rank
                )
                assert place is not None
                assert (place.rank, place.players, place.entry_id) == (
                    standing.rank,
                    3,
                    standing.entry.id,
                )


@sqlite_only
def test_schema_is_versioned_and_foreign_files_are_refused(board_location: Path) -> None:
    path = board_location
    open_board(path).close()
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        raw.execute("PRAGMA user_version = 99")
    with pytest.raises(BoardError, match="newer Rapport"):
        open_board(path)
    junk = path.parent / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(BoardError, match="not a usable leaderboard database"):
        open_board(junk)
    assert junk.read_bytes().startswith(b"this is not a database")


@pytest.mark.parametrize("board_location", BACKENDS[1:], indirect=True)
def test_a_postgres_board_is_versioned_and_kept_apart(board_location: str) -> None:
    import psycopg

    open_board(board_location).close()
    open_board(board_location).close()  # opening again migrates nothing
    with psycopg.connect(board_location, autocommit=True) as raw:
        assert raw.execute("SELECT version FROM rapport.schema_version").fetchall() == [
            (SCHEMA_VERSION,)
        ]
        tables = {
            r[0]
            for r in raw.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'rapport'")
        }
        assert {"entries", "best", "best_par", "workshops", "schema_version"} <= tables
        raw.execute("UPDATE rapport.schema_version SET version = 99")
    with pytest.raises(BoardError, match="newer Rapport"):
        open_board(board_location)
    with psycopg.connect(board_location, autocommit=True) as raw:
        raw.execute("DROP SCHEMA rapport CASCADE")
        raw.execute("CREATE SCHEMA rapport")
        raw.execute("CREATE TABLE rapport.accounts (id INTEGER)")
    with pytest.raises(BoardError, match="not a Rapport leaderboard"):
        open_board(board_location)
    with psycopg.connect(board_location, autocommit=True) as raw:  # someone else's table kept
        assert raw.execute("SELECT COUNT(*) FROM rapport.accounts").fetchone() == (0,)


@both
def test_many_hosts_opening_a_new_board_at_once_migrate_it_once(board_location) -> None:
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        pool.map(_open_and_add, [(str(board_location), n) for n in range(4)])
    with open_board(board_location) as board:
        assert board.count() == 4 and board.integrity() == "ok"


def _open_and_add(args: tuple[str, int]) -> None:
    location, n = args
    with open_board(location) as board:
        board.add(
            workshop="W",
            scenario="s",
            scenario_hash="h",
            seed=n,
            player=f"p{n}",
            score=n,
            breakdown={},
            run_log="{}",
        )


WRITER = """
import sys
from game.workshop.board import open_board
board = open_board(sys.argv[1])
print("ready", flush=True)
n = 0
while True:
    board.add(workshop="W", scenario="s", scenario_hash="sha256:x", seed=n, player=f"p{n}",
              score=n % 1000, breakdown={"n": n}, run_log="{}" * 2000, par=n % 7)
    n += 1
"""


@both
def test_a_board_killed_mid_write_opens_intact(board_location) -> None:
    open_board(board_location).close()
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(board_location)], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
    with open_board(board_location) as board:
        while board.count() < 20:  # let it write a while: the kill lands mid-write
            time.sleep(0.05)
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    with open_board(board_location) as board:
        assert board.integrity() == "ok"
        count = board.count()
        assert count >= 20
        entries = board.entries()
        assert len(entries) == count
        assert [e.seed for e in entries] == list(range(count))  # no gaps, no half-rows
        assert all(e.breakdown == {"n": e.seed} and e.par == e.seed % 7 for e in entries)


@pytest.mark.parametrize("code", ["", " ", "a b", "x" * 33, "<b>", "-lead"])
def test_workshop_codes_are_checked(code: str) -> None:
    with pytest.raises(Exception, match="workshop code"):
        workshop_code(code)


def test_a_long_mistaken_code_is_shortened_in_the_message() -> None:
    with pytest.raises(Exception, match="workshop code") as raised:
        workshop_code("W" * 10_000)
    message = str(raised.value)
    assert len(message) < 200 and "(10,000 characters)" in message


def test_workshop_codes_are_normalised() -> None:
    assert workshop_code(" sales-0312 ") == "SALES-0312"


def _old_sqlite_file(path: Path, version: int) -> None:
    """A board file as Rapport wrote it at schema `version`, with three entries."""
    with sqlite3.connect(path) as raw:
        for step in range(1, version + 1):
            raw.executescript(sqlite_migration(step))
        rows = [
            ("W", "s", "h", 1, "ann", 300, "{}", "{}", "2027-01-01T00:00:01"),
            ("W", "s", "h", 2, "ann", 800, "{}", "{}", "2027-01-01T00:00:02"),
            ("W", "s", "h", 3, "bob", 800, "{}", "{}", "2027-01-01T00:00:03"),
        ]
        for row in rows:
            cursor = raw.execute(
                "INSERT INTO entries (workshop, scenario, scenario_hash, seed, player, "
                "score, breakdown, run_log, created) VALUES (?,?,?,?,?,?,?,?,?)",
                row,
            )
            if version >= 2:
                raw.execute(
                    "INSERT INTO best VALUES (?, ?, ?, ?, ?, ?, 1) ON CONFLICT DO UPDATE SET "
                    "games = games + 1, entry_id = CASE WHEN excluded.score > best.score "
                    "THEN excluded.entry_id ELSE best.entry_id END, created = CASE WHEN "
                    "excluded.score > best.score THEN excluded.created ELSE best.created END, "
                    "score = MAX(score, excluded.score)",
                    (row[0], row[1], row[4], cursor.lastrowid, row[5], row[8]),
                )
        raw.execute(f"PRAGMA user_version = {version}")


@sqlite_only
@pytest.mark.parametrize("version", [1, 2])
def test_an_older_file_is_migrated_with_its_entries(board_location: Path, version: int) -> None:
    path = board_location
    _old_sqlite_file(path, version)
    with open_board(path) as board:
        standings = board.standings(workshop="W")
        assert [(s.entry.player, s.entry.score, s.entry.seed, s.games) for s in standings] == [
            ("ann", 800, 2, 2),
            ("bob", 800, 3, 1),
        ]
        assert all(s.entry.par is None for s in standings)  # par was not recorded then
        board.add(
            workshop="W",
            scenario="s",
            scenario_hash="h",
            seed=4,
            player="bob",
            score=900,
            breakdown={},
            run_log="{}",
            par=850,
        )
        assert [(s.entry.player, s.games) for s in board.standings(workshop="W")] == [
            ("bob", 2),
            ("ann", 2),
        ]
        # On a par board, entries without par rank after every entry with one.
        assert [(s.entry.player, s.entry.margin) for s in board.standings(rank="par")] == [
            ("bob", 50),
            ("ann", None),
        ]
        assert board.integrity() == "ok"
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
