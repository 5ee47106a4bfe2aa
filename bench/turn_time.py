"""Benchmark: time per turn on generated customer organisations of growing size.

    python bench/turn_time.py [--sizes 10 100 1000 10000] [--turns 10]

Each organisation is a reporting tree (five reports per manager) with trust
from every stakeholder to the rep, a technician and the firm, and a
competitor making offers. A turn is one `end` step: orders, leak, spread,
offers, defections, the timeline's metrics and the next turn's events, with
the event log narrated as in the app. Each size plays a few fresh games (the
same seed) and reports the best mean, so a busy machine shows less noise.

Target: at most 10 ms per turn at 1,000 people, growing no faster than the
number of trust edges.
"""

from __future__ import annotations

import argparse
import time

from game.engine import Game
from game.scenario.models import Scenario


def organisation(size: int) -> Scenario:
    """A scenario with `size` stakeholders in a reporting tree."""
    people = []
    for index in range(size):
        person = {
            "id": f"p{index}",
            "name": f"Person {index}",
            "role": "Staff",
            "influence": 1.0 / size,
            "met": True,
        }
        if index:
            person["reports_to"] = f"p{(index - 1) // 5}"
        people.append(person)
    trust = []
    for index in range(size):
        for target, value in (("you", 0.5), ("tech", 0.3), ("firm", 0.4)):
            trust.append({"from": f"p{index}", "to": target, "value": value})
    return Scenario.model_validate(
        {
            "rapport": 1,
            "id": f"org-{size}",
            "title": f"{size} people",
            "turns": 200,
            "time_budget": 10,
            "supplier": {
                "name": "Us",
                "people": [
                    {"id": "you", "name": "You", "player": True},
                    {"id": "tech", "name": "Tech"},
                ],
            },
            "customer": {"name": "Them", "people": people},
            "competitors": [{"id": "rival", "name": "Rival", "price": 0.9, "offer_chance": 0.5}],
            "account": {"order_value": 1000, "orders_every": 1},
            "trust": trust,
            "actions": [
                {
                    "id": "call",
                    "label": "Call {target}",
                    "behaviour": "contact",
                    "cost": 1,
                    "effects": [{"trust": {"delta": 0.1}}],
                }
            ],
            "events": [
                {
                    "id": "news",
                    "title": "News",
                    "text": "Something happens.",
                    "when": "turn >= 2",
                    "chance": 0.2,
                    "once": False,
                    "effects": [{"satisfaction": 0.01}],
                }
            ],
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000, 10000])
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3, help="games per size; the best counts")
    args = parser.parse_args()
    print(f"{'people':>8} {'trust edges':>12} {'ms/turn':>9} {'µs/edge':>8}")
    for size in args.sizes:
        scenario = organisation(size)
        best = float("inf")
        edges = 0
        for _ in range(args.repeats):
            game = Game(scenario, seed=1)
            edges = sum(1 for *_e, t in game.graph.edges(data="trust") if t is not None)
            game.step("end")  # warm up caches
            start = time.perf_counter()
            for _ in range(args.turns):
                game.step("end")
            best = min(best, (time.perf_counter() - start) / args.turns)
        print(f"{size:>8,} {edges:>12,} {best * 1e3:>9.2f} {best * 1e6 / edges:>8.2f}")


if __name__ == "__main__":
    main()
