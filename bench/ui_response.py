"""Benchmark: from a choice key to the updated screen, and peak memory of a whole game.

    python bench/ui_response.py [--scenario ID] [--moves 60]

Runs the real app headless (Textual's Pilot) on the largest bundled scenario
unless one is named. The response time of a key is the time Pilot takes to
press it and wait for the screen, minus the same for a key the screen ignores
(Pilot's own waiting). Peak memory is the process's maximum resident size
after playing the game to its debrief.

Targets: at most 50 ms from key to screen; at most 120 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import sys
import tempfile
import time

os.environ.setdefault("RAPPORT_HOME", tempfile.mkdtemp(prefix="rapport-bench-"))


def largest_bundled() -> str:
    from game.scenario.catalog import bundled_ids, load_bundled

    def size(scenario_id: str) -> int:
        s = load_bundled(scenario_id).scenario
        return len(s.customer.people) * len(s.supplier.people) * len(s.actions)

    return max(bundled_ids(), key=size)


async def measure(
    scenario: str, moves: int, size: tuple[int, int]
) -> tuple[list[float], list[float], list[float], int]:
    from game.app.app import RapportApp
    from game.app.screens.debrief import DebriefScreen
    from game.app.screens.play import EventModal, PlayScreen

    app = RapportApp(scenario, seed=1, player="Bench")
    keyed: list[float] = []
    idle: list[float] = []
    cpu: list[float] = []
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        for index in range(moves):
            if isinstance(app.screen, DebriefScreen):
                break
            start = time.perf_counter()
            await pilot.press("f13")  # bound to nothing: Pilot's own overhead
            idle.append(time.perf_counter() - start)
            key = "1" if isinstance(app.screen, EventModal) else ("e" if index % 4 == 3 else "1")
            start, start_cpu = time.perf_counter(), time.process_time()
            await pilot.press(key)
            keyed.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        while not isinstance(app.screen, DebriefScreen):  # finish the game for memory
            await pilot.press("1" if isinstance(app.screen, EventModal) else "e")
        await app.workers.wait_for_complete()
        assert isinstance(app.screen, DebriefScreen | PlayScreen)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return keyed, idle, cpu, peak_kb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario")
    parser.add_argument("--moves", type=int, default=60)
    parser.add_argument("--size", default="120x40", help="terminal size, e.g. 80x24")
    args = parser.parse_args()
    scenario = args.scenario or largest_bundled()
    width, height = (int(n) for n in args.size.split("x"))
    keyed, idle, cpu, peak_kb = asyncio.run(measure(scenario, args.moves, (width, height)))
    overhead = statistics.median(idle)
    response = [max(0.0, k - overhead) for k in keyed]
    print(f"scenario {scenario}, {len(keyed)} moves through the UI at {args.size}")
    print(
        f"key to updated screen: median {statistics.median(response) * 1e3:.1f} ms, "
        f"90th percentile {statistics.quantiles(response, n=10)[-1] * 1e3:.1f} ms "
        f"(Pilot's own wait, {overhead * 1e3:.1f} ms, subtracted; target at most 50 ms)"
    )
    print(
        f"CPU time per key (engine, widgets and rendering): median "
        f"{statistics.median(cpu) * 1e3:.1f} ms, 90th percentile "
        f"{statistics.quantiles(cpu, n=10)[-1] * 1e3:.1f} ms"
    )
    print(f"peak memory: {peak_kb / 1024:.0f} MB (target at most 120 MB)")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
