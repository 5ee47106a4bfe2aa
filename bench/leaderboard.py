"""Benchmark: leaderboard submissions (replays per second) and queries on 100,000 entries.

    python bench/leaderboard.py [--entries 100000] [--submissions 200] [--postgres URL]

Submissions replay real run logs of sand-supplier (relationship-builder) into a
fresh board, one process, with par computed for each (cached per seed: each
log here has its own seed, so every submission plays the reference bot too).
The query is "the top 20 players of one workshop", ranked by score and by
score minus par, on a board with `--entries` entries: spread over 50
workshops, and with all of them in the one workshop queried.

With `--postgres URL` (an empty database you can write to) the same runs on
PostgreSQL as well.

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
from game.workshop.board import BoardStore, open_board
from game.workshop.submit import Submitter


def rows(entries: int, workshops: int) -> list[tuple[object, ...]]:
    rng = random.Random(1)
    return [
        (
            f"W{i % workshops}",
            "sand-supplier",
            "sha256:x",
            i,
            f"player {rng.randrange(entries // 3)}",
            score := rng.randrange(1000),
            score - rng.randrange(-200, 400),
            "{}",
            "{}",
            f"2027-01-01T00:00:{i:09d}",
        )
        for i in range(entries)
    ]


BEST = {
    "best": "score",
    "best_par": "score - par",
}


def fill(board: BoardStore, entries: int, workshops: int) -> None:
    """Bulk-load entries and rebuild both best tables (what `add` keeps up to date)."""
    insert = (
        "INSERT INTO entries (workshop, scenario, scenario_hash, seed, player, score, par, "
        "breakdown, run_log, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )
    data = rows(entries, workshops)
    with board._write() as tx:
        if hasattr(tx, "_cursor"):  # PostgreSQL: one executemany
            tx._cursor.executemany(insert.replace("?", "%s"), data)
        else:
            board._db.executemany(insert, data)  # type: ignore[attr-defined]
        for table, key in BEST.items():
            column = "score" if table == "best" else "margin"
            tx.execute(
                f"INSERT INTO {table} (workshop, scenario, player, entry_id, {column}, created, "
                f"games) SELECT workshop, scenario, player, id, k, created, games FROM ("
                f" SELECT *, {key} AS k, ROW_NUMBER() OVER (PARTITION BY workshop, scenario, "
                f"player ORDER BY {key} DESC, created, id) AS nth,"
                " COUNT(*) OVER (PARTITION BY workshop, scenario, player) AS games FROM entries)"
                " AS ranked WHERE nth = 1"
            )
    board._query("ANALYZE")  # type: ignore[attr-defined]


def time_query(board: BoardStore, workshop: str, rank: str) -> float:
    board.standings(workshop=workshop, limit=20, rank=rank)  # warm
    times = []
    for _ in range(10):
        start = time.perf_counter()
        top = board.standings(workshop=workshop, limit=20, rank=rank)
        times.append(time.perf_counter() - start)
    assert len(top) == 20
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--postgres", metavar="URL", help="Also run on this (empty) database.")
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

    backends: list[tuple[str, object]] = [("SQLite", folder)]
    if args.postgres:
        backends.append(("PostgreSQL", args.postgres))
    for name, where in backends:
        location = where / "submit.db" if isinstance(where, Path) else where
        with open_board(location) as board:
            submitter = Submitter(board)
            start = time.perf_counter()
            for index, log in enumerate(logs):
                submitter.submit(log, workshop=f"BENCH{index // 1000}")
            rate = len(logs) / (time.perf_counter() - start)
        print(f"{name}: submissions: {rate:,.0f} per second (replayed, par, scored, stored)")

        for workshops in (50, 1):
            if isinstance(where, Path):
                location = where / f"query-{workshops}.db"
            else:
                with open_board(where) as board:  # start the PostgreSQL query board afresh
                    for table in ("best", "best_par", "entries"):
                        board._query(f"DELETE FROM {table}")  # type: ignore[attr-defined]
            with open_board(location) as board:
                fill(board, args.entries, workshops)
                per = args.entries // workshops
                for rank in ("score", "par"):
                    median = time_query(board, "W0", rank)
                    print(
                        f"{name}: top 20 of one workshop by {rank}, {args.entries:,} entries "
                        f"({per:,} in that workshop): {median * 1e3:.1f} ms (target at most 50 ms)"
                    )


if __name__ == "__main__":
    main()
