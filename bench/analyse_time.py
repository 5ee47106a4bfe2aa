"""Benchmark: seconds to find a game's turning points (`rapport analyse`).

    python bench/analyse_time.py [--scenario sand-supplier] [--seeds 1 2 3]
                                 [--bots discounter relationship-builder] [--forks N]
                                 [--jobs N] [--tree PATH]

Each bot plays one headless game per seed; the analysis of its run log is timed
with the default settings (`game.coach.analysis`), in wall time, on one process
and on `--jobs` processes (default: one per core) one after the other, and the two
answers are checked to be the same. It also prints how many turning points were
found and the largest loss, so that a change of settings can be checked to keep
telling a poor game from a good one. Then the whole command, `rapport analyse LOG
--jobs N` from its start (what a trainer waits for), is timed on the same log; with
--tree, also the command of another checkout (the build before, say), one after the
other.

Target (issue "Instant"): at most 2 s for a 24-turn game on 2 cores.
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

from game.bots import make_bot, play
from game.coach.analysis import DEFAULT_FORKS, analyse
from game.engine import Game
from game.scenario.catalog import resolve_scenario


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="sand-supplier")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--bots", nargs="+", default=["discounter", "relationship-builder"])
    parser.add_argument("--forks", type=int, default=DEFAULT_FORKS)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--tree", type=Path, help="also time `rapport analyse` of this checkout")
    args = parser.parse_args()
    loaded = resolve_scenario(args.scenario)
    print(
        f"{'bot':<22} {'seed':>5} {'score':>6} {'1 proc s':>9} {f'{args.jobs} procs s':>10} "
        f"{'same':>5} {'points':>7} {'worst':>6}"
    )
    times: dict[str, list[tuple[float, float]]] = {}
    commands: dict[str, list[tuple[float, float | None]]] = {}
    for bot in args.bots:
        for seed in args.seeds:
            game = Game(loaded.scenario, seed, scenario_hash=loaded.content_hash, narrate=False)
            play(game, make_bot(bot))
            log = game.run_log(bot=bot)
            measured = []
            for jobs in (1, args.jobs):
                wall = time.perf_counter()
                result = analyse(
                    loaded.scenario,
                    log,
                    scenario_hash=loaded.content_hash,
                    forks=args.forks,
                    jobs=jobs,
                )
                measured.append((time.perf_counter() - wall, result))
            (one, first), (many, second) = measured
            times.setdefault(bot, []).append((one, many))
            commands.setdefault(bot, []).append(command_times(log, args.jobs, args.tree))
            worst = max((m.loss for m in first.moments), default=0.0)
            print(
                f"{bot:<22} {seed:>5} {first.score:>6} {one:>9.2f} {many:>10.2f} "
                f"{'yes' if first == second else 'NO':>5} {len(first.moments):>7} {worst:>6.0f}"
            )
    for bot, pairs in times.items():
        one = statistics.fmean(p[0] for p in pairs)
        many = statistics.fmean(p[1] for p in pairs)
        print(
            f"{args.scenario}, {bot}: {one:.1f} s on one process, {many:.1f} s on {args.jobs} "
            f"({one / many:.1f}x), {args.forks} forks per decision"
        )
        ours = statistics.fmean(c[0] for c in commands[bot])
        line = f"  `rapport analyse --jobs {args.jobs}`, from its start: {ours:.1f} s"
        theirs = [c[1] for c in commands[bot] if c[1] is not None]
        if theirs:
            line += f"; {args.tree}: {statistics.fmean(theirs):.1f} s"
        print(line)


def command_times(log: object, jobs: int, tree: Path | None) -> tuple[float, float | None]:
    """Wall time of the whole `rapport analyse` command on `log`, here and in `tree`."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "game.json"
        path.write_text(log.to_json())  # type: ignore[attr-defined]
        command = [sys.executable, "-m", "game", "analyse", str(path), "--jobs", str(jobs)]

        def timed(cwd: Path) -> float:
            env = {**os.environ, "PYTHONPATH": str(cwd)}
            start = time.perf_counter()
            subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
            return time.perf_counter() - start

        here = timed(Path(__file__).resolve().parent.parent)
        return here, timed(tree.resolve()) if tree is not None else None


if __name__ == "__main__":
    main()
