"""Benchmark: wall time of `rapport balance SCENARIO --runs 200 --jobs 2`.

    python bench/balance_time.py [--scenario sand-supplier] [--runs 200] [--jobs 2]

Every built-in bot plays each seed, and the expert (which a lesson names) its first
20 (`--slow-runs`, default 20): about 1,600 quick games and 20 expert games at the
defaults. Target (issue "Instant"): a bundled scenario at 200 runs, its expert lessons
included, in at most 60 s on 2 cores.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="sand-supplier")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
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
    times = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    print(
        f"rapport balance {args.scenario} --runs {args.runs} --jobs {args.jobs}: "
        f"best {min(times):.1f} s, worst {max(times):.1f} s of 3 (target at most 10 s)"
    )


if __name__ == "__main__":
    main()
