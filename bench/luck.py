"""Benchmark: how much of a score is the seed's, and how often the better policy wins.

    python bench/luck.py [--seeds 40] [--gap 30] [--jobs 2] [--json] [SCENARIO ...]

For each bundled scenario, the sensible built-in policies (game.coach.luck) play
the same seeds. Printed: the split of the score's variance into seed, policy and
interaction, and for every pair of policies whose means differ by at least
`--gap` points, the share of seeds on which the better one scored higher.
Targets (issue "Decisions, not dice"): at least 85% on average, no pair below 75%.
"""

from __future__ import annotations

import argparse
import json
import os
import time

from game.coach.luck import SENSIBLE_BOTS, measure_luck
from game.scenario.catalog import bundled_ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", help="bundled scenario ids (default: all)")
    parser.add_argument("--seeds", type=int, default=40)
    parser.add_argument("--first-seed", type=int, default=1)
    parser.add_argument("--gap", type=float, default=30.0)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--policies", default=",".join(SENSIBLE_BOTS))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    seeds = tuple(range(args.first_seed, args.first_seed + args.seeds))
    policies = tuple(args.policies.split(","))
    reports = []
    all_pairs = []
    for scenario in args.scenarios or bundled_ids():
        start = time.perf_counter()
        report = measure_luck(
            scenario, policies=policies, seeds=seeds, gap=args.gap, jobs=args.jobs
        )
        reports.append(report.as_dict())
        all_pairs.extend(report.pairs)
        if args.json:
            continue
        print(
            f"{scenario}: variance seed {report.seed_share:.0%} / policy {report.policy_share:.0%}"
            f" / interaction {report.interaction_share:.0%}  ({time.perf_counter() - start:.0f} s)"
        )
        means = {p: sum(s) / len(s) for p, s in report.scores.items()}
        print(
            "  means: "
            + ", ".join(f"{p} {m:.0f}" for p, m in sorted(means.items(), key=lambda x: -x[1]))
        )
        for pair in report.pairs:
            print(
                f"  {pair.better} > {pair.worse} by {pair.gap:.0f}: wins {pair.wins:.0%} of seeds"
            )
        if report.pairs:
            worst = report.worst_pair
            assert worst is not None
            print(f"  concordance: mean {report.mean_concordance:.0%}, worst {worst.wins:.0%}")
        else:
            print(f"  no pair differs by {args.gap:.0f} points or more")
    if args.json:
        print(json.dumps(reports, indent=2))
    elif all_pairs:
        mean = sum(p.wins for p in all_pairs) / len(all_pairs)
        print(
            f"all scenarios: {len(all_pairs)} pairs, concordance mean {mean:.0%}, "
            f"worst {min(p.wins for p in all_pairs):.0%} (target: mean ≥ 85%, none below 75%)"
        )


if __name__ == "__main__":
    main()
