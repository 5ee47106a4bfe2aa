"""Benchmark: time from process start to the first painted frame of `rapport play`.

    python bench/startup.py [--runs 15]

Both programs run headless and exit as soon as their first frame is painted:
`rapport play sand-supplier` (through its hidden --exit-after-first-frame flag)
and a bare Textual app with a header, a label and a footer. The figure that
matters is the ratio of the medians; the target is at most 1.3.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        command,
        check=True,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    env = {**os.environ, "RAPPORT_HOME": tempfile.mkdtemp(prefix="rapport-bench-")}
    rapport = [
        sys.executable,
        "-m",
        "game",
        "play",
        "sand-supplier",
        "--seed",
        "1",
        "--exit-after-first-frame",
    ]
    bare = [sys.executable, str(HERE / "bare_app.py")]
    timed(rapport, env)  # warm the file cache and bytecode
    timed(bare, env)
    ours, base = [], []
    for _ in range(args.runs):  # interleaved, so both see the same machine load
        ours.append(timed(rapport, env))
        base.append(timed(bare, env))
    ours_ms, base_ms = statistics.median(ours) * 1e3, statistics.median(base) * 1e3
    print(f"rapport play, first frame: {ours_ms:6.0f} ms (median of {args.runs})")
    print(f"bare Textual app:          {base_ms:6.0f} ms")
    print(f"ratio: {ours_ms / base_ms:.2f} (target at most 1.3)")


if __name__ == "__main__":
    main()
