"""Benchmark: leaderboard submissions (replays per second) and queries on 100,000 entries.

    python bench/leaderboard.py [--entries 100000] [--submissions 200]

Submissions replay real run logs of sand-supplier (relationship-builder) into a
fresh database, one process. The query is "the top 20 players of one
workshop" on a file with `--entries` entries: spread over 50 workshops, and
with all of them in the one workshop queried.

Target: at most 50 ms for the top 20 of one workshop with 100,000 entries.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from game.bots import make_bot, play
from game.engine import Game
from game.scenario.catalog import load_bundled
from game.workshop import Submitter
from scoring.leaderboard import Leaderboard


def fill(path: Path, entries: int, workshops: int) -> None:
    rng = random.Random(1)
    with Leaderboard(path) as board:
        db = board._db
        db.execute("BEGIN")
        db.executemany(
            "INSERT INTO entries (workshop, scenario, scenario_hash, seed, player, score, "
            "breakdown, run_log, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    f"W{i % workshops}",
                    "sand-supplier",
                    "sha256:x",
                    i,
                    f"player {rng.randrange(entries // 3)}",
                    rng.randrange(1000),
                    "{}",
                    "{}",
                    f"2027-01-01T00:00:{i:09d}",
                )
                for i in range(entries)
            ),
        )
        db.execute(
            "INSERT INTO best (workshop, scenario, player, entry_id, score, created, games) "
            "SELECT workshop, scenario, player, id, score, created, games FROM ("
            " SELECT *, ROW_NUMBER() OVER (PARTITION BY workshop, scenario, player"
            " ORDER BY score DESC, created, id) AS nth,"
            " COUNT(*) OVER (PARTITION BY workshop, scenario, player) AS games FROM entries)"
            " WHERE nth = 1"
        )
        db.execute("COMMIT")
        db.execute("ANALYZE")


def time_query(path: Path, workshop: str) -> float:
    with Leaderboard(path) as board:
        board.standings(workshop=workshop, limit=20)  # warm
        times = []
        for _ in range(10):
            start = time.perf_counter()
            top = board.standings(workshop=workshop, limit=20)
            times.append(time.perf_counter() - start)
        assert len(top) == 20
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--submissions", type=int, default=200)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="rapport-bench-"))

    loaded = load_bundled("sand-supplier")
    logs = []
    for seed in range(args.submissions):
        game = play(
            Game(loaded.scenario, seed, scenario_hash=loaded.content_hash, narrate=False),
            make_bot("relationship-builder"),
        )
        logs.append(game.run_log(player=f"Player {seed}").to_json())
    with Leaderboard(folder / "submit.db") as board:
        submitter = Submitter(board)
        start = time.perf_counter()
        for log in logs:
            submitter.submit(log, workshop="BENCH")
        rate = len(logs) / (time.perf_counter() - start)
    print(f"submissions: {rate:,.0f} per second (replayed, scored and stored; one process)")

    for workshops in (50, 1):
        path = folder / f"query-{workshops}.db"
        fill(path, args.entries, workshops)
        median = time_query(path, "W0")
        per = args.entries // workshops
        print(
            f"top 20 of one workshop, {args.entries:,} entries ({per:,} in that workshop): "
            f"{median * 1e3:.1f} ms (target at most 50 ms)"
        )


if __name__ == "__main__":
    main()
