"""Benchmark: seconds to find a game's turning points (`rapport analyse`), on one core.

    python bench/analyse_time.py [--scenario sand-supplier] [--seeds 1 2 3]
                                 [--bots discounter relationship-builder] [--forks N]

Each bot plays one headless game per seed; the analysis of its run log is timed
with the default settings (`game.coach.analysis`), as processor time of this process
(one core: the analysis runs in one thread) and as wall time. It also prints how
many turning points were found and the largest loss, so that a change of
settings can be checked to keep telling a poor game from a good one.

Target: at most 15 s per game on one core.
"""

from __future__ import annotations

import argparse
import statistics
import time

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
    args = parser.parse_args()
    loaded = resolve_scenario(args.scenario)
    print(
        f"{'bot':<22} {'seed':>5} {'score':>6} {'cpu s':>7} {'wall s':>7} {'points':>7} "
        f"{'worst':>6}"
    )
    cpu_times: dict[str, list[float]] = {}
    for bot in args.bots:
        for seed in args.seeds:
            game = Game(loaded.scenario, seed, scenario_hash=loaded.content_hash, narrate=False)
            play(game, make_bot(bot))
            log = game.run_log(bot=bot)
            wall, cpu = time.perf_counter(), time.process_time()
            result = analyse(
                loaded.scenario, log, scenario_hash=loaded.content_hash, forks=args.forks
            )
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            cpu_times.setdefault(bot, []).append(cpu)
            worst = max((m.loss for m in result.moments), default=0.0)
            print(
                f"{bot:<22} {seed:>5} {result.score:>6} {cpu:>7.2f} {wall:>7.2f} "
                f"{len(result.moments):>7} {worst:>6.0f}"
            )
    for bot, times in cpu_times.items():
        print(
            f"{args.scenario}, {bot}: {statistics.fmean(times):.1f} s of one core per analysis "
            f"(max {max(times):.1f} s), {args.forks} forks per decision"
        )


if __name__ == "__main__":
    main()
