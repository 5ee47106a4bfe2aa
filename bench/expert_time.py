"""Benchmark: seconds per game for the `expert` bot, against the relationship builder.

    python bench/expert_time.py [--scenario sand-supplier] [--seeds 0 1 2] [--forks 2000]

The expert looks ahead on forks of the game (`Game.fork`) before its moves, so a
game costs many games' worth of play. Each seed plays one headless game with
each bot; the relationship builder's time per game is the baseline the ratio is
taken against. A fork's own cost is timed too (at mid-game).

Target: at most 10 s per expert game on one core; 2–5 s aimed for.
"""

from __future__ import annotations

import argparse
import statistics
import time

from game.bots import make_bot, play
from game.engine import Game
from game.engine.view import GameView
from game.scenario.catalog import resolve_scenario


def timed_game(loaded, seed: int, bot: str) -> tuple[float, int]:
    """Seconds for one headless game of `bot`, and its score."""
    game = Game(loaded.scenario, seed, scenario_hash=loaded.content_hash, narrate=False)
    start = time.perf_counter()
    play(game, make_bot(bot))
    return time.perf_counter() - start, game.score().total


def fork_time(loaded, forks: int) -> float:
    """Seconds per fork of a game halfway through (the relationship builder's)."""
    game = Game(loaded.scenario, 0, scenario_hash=loaded.content_hash, narrate=False)
    bot = make_bot("relationship-builder")
    bot.reset(0)
    view = GameView(game)
    while game.turn <= game.turns // 2:
        game.step(bot.choose(view))
    start = time.perf_counter()
    for salt in range(forks):
        game.fork(salt)
    return (time.perf_counter() - start) / forks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="sand-supplier")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--forks", type=int, default=2000, help="forks to time")
    args = parser.parse_args()
    loaded = resolve_scenario(args.scenario)
    print(f"{'seed':>5} {'expert s':>9} {'score':>6} {'builder ms':>11} {'score':>6} {'ratio':>7}")
    experts, builders = [], []
    for seed in args.seeds:
        timed_game(loaded, seed, "relationship-builder")  # warm up caches and imports
        builder, builder_score = min(
            (timed_game(loaded, seed, "relationship-builder") for _ in range(3)),
            key=lambda r: r[0],
        )
        expert, expert_score = timed_game(loaded, seed, "expert")
        experts.append(expert)
        builders.append(builder)
        print(
            f"{seed:>5} {expert:>9.2f} {expert_score:>6} {builder * 1e3:>11.1f} "
            f"{builder_score:>6} {expert / builder:>7.0f}"
        )
    mean_expert, mean_builder = statistics.fmean(experts), statistics.fmean(builders)
    print(
        f"{args.scenario}: expert {mean_expert:.2f} s per game (max {max(experts):.2f} s), "
        f"relationship-builder {mean_builder * 1e3:.1f} ms: {mean_expert / mean_builder:,.0f}× "
        f"as long; one fork at mid-game {fork_time(loaded, args.forks) * 1e6:.0f} µs"
    )


if __name__ == "__main__":
    main()
