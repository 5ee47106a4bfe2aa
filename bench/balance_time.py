"""Benchmark: wall time of `rapport balance SCENARIO --runs 200 --jobs 2`.

    python bench/balance_time.py [--scenario sand-supplier] [--runs 200] [--jobs 2]
                                 [--tree PATH]

Every built-in bot plays each seed, and the expert (which a lesson names) its first
20 (`--slow-runs`, default 20): about 1,600 quick games and 20 expert games at the
defaults. Target (issue "Instant"): a bundled scenario at 200 runs, its expert lessons
included, in at most 60 s on 2 cores. --tree times another checkout's command too (the
build before, say), the two taking turns.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="sand-supplier")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--tree", type=Path, help="also time this checkout's command")
    args = parser.parse_args()
    command = [
        sys.executable,
        "-m",
        "game",
        "balance",
        args.scenario,
        "--runs",
        str(args.runs),
        "--jobs",
        str(args.jobs),
    ]
    trees = [Path(__file__).resolve().parent.parent]
    if args.tree is not None:
        trees.append(args.tree.resolve())
    times: dict[Path, list[float]] = {tree: [] for tree in trees}
    for _ in range(3):
        for tree in trees:  # taking turns, so both see the same machine load
            env = {**os.environ, "PYTHONPATH": str(tree)}
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, cwd=tree, env=env)
            times[tree].append(time.perf_counter() - start)
    for tree, measured in times.items():
        print(
            f"{tree}: rapport balance {args.scenario} --runs {args.runs} --jobs {args.jobs}: "
            f"best {min(measured):.1f} s, worst {max(measured):.1f} s of 3 "
            "(target at most 60 s with the expert's lessons)"
        )


if __name__ == "__main__":
    main()
