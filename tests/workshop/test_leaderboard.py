"""The leaderboard store and submissions, against real SQLite files."""

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

from game.workshop import SubmissionError, Submitter, workshop_code
from scoring.leaderboard import _MIGRATIONS, SCHEMA_VERSION, Leaderboard, LeaderboardError
from tests.workshop.conftest import edited


def _submit_all(db: str, logs: list[str], who: int) -> int:
    """One process: submit every log under its own player names."""
    with Leaderboard(Path(db)) as board:
        submitter = Submitter(board)
        for index, log in enumerate(logs):
            submitter.submit(Path(log).read_bytes(), workshop="rush", name=f"p{who}-{index}")
    return len(logs)


def test_eight_processes_submitting_at_once_lose_nothing(tmp_path: Path, finished_logs) -> None:
    db = tmp_path / "board.db"
    Leaderboard(db).close()
    logs = [str(p) for p in finished_logs]
    context = multiprocessing.get_context("spawn")
    with context.Pool(8) as pool:
        done = pool.starmap(_submit_all, [(str(db), logs, who) for who in range(8)])
    assert done == [100] * 8
    with Leaderboard(db) as board:
        assert board.count() == 800
        assert board.integrity() == "ok"
        assert len(board.standings(workshop="RUSH")) == 800


def test_the_stored_score_is_recomputed_not_read(tmp_path: Path, finished_logs) -> None:
    with Leaderboard(tmp_path / "b.db") as board:
        submitter = Submitter(board)
        honest = submitter.submit(finished_logs[0].read_bytes(), workshop="w", name="honest")
        forged = edited(finished_logs[0], score={"total": 1000}, final={"company_loyalty": 1})
        cheat = submitter.submit(forged, workshop="w", name="cheat")
        assert cheat.score == honest.score < 1000
        stored = board.standings(workshop="W")
        assert {s.entry.player: s.entry.score for s in stored} == {
            "honest": honest.score,
            "cheat": honest.score,
        }
        assert "score" not in json.loads(stored[0].entry.run_log)


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
def test_logs_that_cannot_be_trusted_are_refused(
    tmp_path: Path, finished_logs, content, message: str
) -> None:
    with Leaderboard(tmp_path / "b.db") as board:
        with pytest.raises(SubmissionError, match=message):
            Submitter(board).submit(content(finished_logs[1]), workshop="w")
        assert board.count() == 0


def test_best_score_per_player_and_ties_go_to_the_earlier(tmp_path: Path) -> None:
    with Leaderboard(tmp_path / "b.db") as board:

        def add(player: str, score: int) -> None:
            board.add(
                workshop="W",
                scenario="s",
                scenario_hash="sha256:x",
                seed=1,
                player=player,
                score=score,
                breakdown={},
                run_log="{}",
            )
            time.sleep(0.002)

        add("ann", 500)
        add("bob", 700)
        add("ann", 700)
        add("cy", 650)
        add("ann", 300)
        standings = board.standings(workshop="W")
        assert [(s.rank, s.entry.player, s.entry.score, s.games) for s in standings] == [
            (1, "bob", 700, 1),
            (2, "ann", 700, 3),
            (3, "cy", 650, 1),
        ]
        assert [s.entry.player for s in board.standings(workshop="W", limit=2)] == ["bob", "ann"]
        assert board.standings(workshop="OTHER") == []


def test_schema_is_versioned_and_foreign_files_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    Leaderboard(path).close()
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        raw.execute("PRAGMA user_version = 99")
    with pytest.raises(LeaderboardError, match="newer Rapport"):
        Leaderboard(path)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(LeaderboardError, match="not a usable leaderboard database"):
        Leaderboard(junk)


WRITER = """
import sys
from pathlib import Path
from scoring.leaderboard import Leaderboard
board = Leaderboard(Path(sys.argv[1]))
print("ready", flush=True)
n = 0
while True:
    board.add(workshop="W", scenario="s", scenario_hash="sha256:x", seed=n, player=f"p{n}",
              score=n % 1000, breakdown={"n": n}, run_log="{}" * 2000)
    n += 1
"""


def test_a_database_killed_mid_write_opens_intact(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
    time.sleep(0.8)
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    with Leaderboard(path) as board:
        assert board.integrity() == "ok"
        count = board.count()
        assert count > 0
        entries = board.entries()
        assert len(entries) == count
        assert [e.seed for e in entries] == list(range(count))  # no gaps, no half-rows
        assert all(e.breakdown == {"n": e.seed} for e in entries)


@pytest.mark.parametrize("code", ["", " ", "a b", "x" * 33, "<b>", "-lead"])
def test_workshop_codes_are_checked(code: str) -> None:
    with pytest.raises(Exception, match="workshop code"):
        workshop_code(code)


def test_workshop_codes_are_normalised() -> None:
    assert workshop_code(" sales-0312 ") == "SALES-0312"


def test_a_version_1_file_is_migrated_with_its_entries(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as raw:
        raw.executescript(_MIGRATIONS[1])
        rows = [
            ("W", "s", "h", 1, "ann", 300, "{}", "{}", "2027-01-01T00:00:01"),
            ("W", "s", "h", 2, "ann", 800, "{}", "{}", "2027-01-01T00:00:02"),
            ("W", "s", "h", 3, "bob", 800, "{}", "{}", "2027-01-01T00:00:03"),
        ]
        raw.executemany(
            "INSERT INTO entries (workshop, scenario, scenario_hash, seed, player, "
            "score, breakdown, run_log, created) VALUES (?,?,?,?,?,?,?,?,?)",
            rows,
        )
        raw.execute("PRAGMA user_version = 1")
    with Leaderboard(path) as board:
        standings = board.standings(workshop="W")
        assert [(s.entry.player, s.entry.score, s.entry.seed, s.games) for s in standings] == [
            ("ann", 800, 2, 2),
            ("bob", 800, 3, 1),
        ]
        board.add(
            workshop="W",
            scenario="s",
            scenario_hash="h",
            seed=4,
            player="bob",
            score=900,
            breakdown={},
            run_log="{}",
        )
        assert [(s.entry.player, s.games) for s in board.standings(workshop="W")] == [
            ("bob", 2),
            ("ann", 2),
        ]
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
