"""Benchmark: complete games per second, one process (one core).

    python bench/games_per_second.py [--scenario sand-supplier] [--bot relationship-builder]
                                     [--games 500]

Target: at least 500 games per second for sand-supplier with relationship-builder.
"""

from __future__ import annotations

import argparse
import statistics
import time

from game.bots import make_bot, play
from game.engine import Game
from game.scenario.catalog import resolve_scenario


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="sand-supplier")
    parser.add_argument("--bot", default="relationship-builder")
    parser.add_argument("--games", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    loaded = resolve_scenario(args.scenario)
    for narrate, how in ((False, "headless (no narration)"), (True, "narrated, as in the app")):
        rates = []
        steps = 0
        for _ in range(args.repeats):
            start = time.perf_counter()
            steps = 0
            for seed in range(args.games):
                game = Game(
                    loaded.scenario, seed, scenario_hash=loaded.content_hash, narrate=narrate
                )
                play(game, make_bot(args.bot))
                steps += len(game.choices_made)
            rates.append(args.games / (time.perf_counter() - start))
        best = max(rates)
        print(
            f"{args.scenario} with {args.bot}, {how}: {best:,.0f} games/s on one core "
            f"(median {statistics.median(rates):,.0f}; {steps / args.games:.0f} choices per "
            f"game, {1e6 / best / (steps / args.games):.1f} µs per choice)"
        )


if __name__ == "__main__":
    main()
