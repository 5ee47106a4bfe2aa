"""Benchmark: time from process start to `rapport play`'s first frame, and to its
stable, playable briefing.

    python bench/startup.py [--runs 15] [--tree PATH]

Every program runs headless and exits as soon as it has painted: `rapport play
sand-supplier` once its first frame (the loading screen) is painted (hidden flag
--exit-after-first-frame), and once the briefing is painted and takes keys
(--exit-when-playable), against a bare Textual app with a header, a label and a
footer. The figures that matter are the ratios of the medians; the target for
the playable briefing is at most 1.3. --tree times the playable briefing of another
checkout too (the build before, say: `git worktree add /tmp/before HEAD~3`), in the
same interleaved runs.
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


def timed(command: list[str], env: dict[str, str], cwd: Path | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(
        command,
        check=True,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--tree", type=Path, help="also time the playable briefing of another checkout"
    )
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
    playable = [*rapport[:-1], "--exit-when-playable"]
    bare = [sys.executable, str(HERE / "bare_app.py")]
    other_env = {**env, "PYTHONPATH": str(args.tree.resolve())} if args.tree else env
    for command in (rapport, playable, bare):  # warm the file cache and bytecode
        timed(command, env)
    if args.tree:
        timed(playable, other_env, args.tree)
    first, ready, base, other = [], [], [], []
    for _ in range(args.runs):  # interleaved, so all see the same machine load
        first.append(timed(rapport, env))
        ready.append(timed(playable, env))
        base.append(timed(bare, env))
        if args.tree:
            other.append(timed(playable, other_env, args.tree))
    first_ms, ready_ms, base_ms = (statistics.median(t) * 1e3 for t in (first, ready, base))
    print(f"rapport play, first frame:        {first_ms:6.0f} ms (median of {args.runs})")
    print(f"rapport play, playable briefing:  {ready_ms:6.0f} ms")
    print(f"bare Textual app, first frame:    {base_ms:6.0f} ms")
    print(f"first frame ratio:      {first_ms / base_ms:.2f}")
    print(f"playable briefing ratio: {ready_ms / base_ms:.2f} (target at most 1.3)")
    if other:
        other_ms = statistics.median(other) * 1e3
        print(f"{args.tree}, playable briefing: {other_ms:.0f} ms, ratio {other_ms / base_ms:.2f}")


if __name__ == "__main__":
    main()
