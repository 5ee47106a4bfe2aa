"""Golden results: every bundled scenario, quick bot and 25 seeds play exactly as recorded.

Refactoring the engine must not change a single move, metric, score or log line.
When a rule or a scenario changes on purpose, record the new results with

    python -m tests.engine.test_golden

and say why in the commit.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from game.bots import QUICK_BOTS, make_bot, play
from game.engine import Game
from game.scenario.catalog import bundled_ids, load_bundled

GOLDEN = Path(__file__).with_name("golden.json")
SEEDS = range(25)


def digest(scenario_id: str, bot: str) -> dict[str, str]:
    """Digests of the moves, timelines, scores and event logs of 25 seeds."""
    scenario = load_bundled(scenario_id).scenario
    parts: dict[str, list] = {"moves": [], "timeline": [], "score": [], "log": []}
    for seed in SEEDS:
        game = play(Game(scenario, seed), make_bot(bot))
        parts["moves"].append(game.choices_made)
        parts["timeline"].append([{k: round(v, 9) for k, v in t.items()} for t in game.timeline])
        score = game.score()
        parts["score"].append(
            [score.total, [(p.key, round(p.value, 9), round(p.points, 9)) for p in score.parts]]
        )
        parts["log"].append(
            [(e.turn, e.kind, e.text, e.cause, round(e.loyalty_delta, 9)) for e in game.log_entries]
        )
    return {
        name: hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:16]
        for name, value in parts.items()
    }


def cases() -> list[tuple[str, str]]:
    return [(s, b) for s in bundled_ids() for b in QUICK_BOTS]


@pytest.fixture(scope="module")
def golden() -> dict[str, dict[str, str]]:
    return json.loads(GOLDEN.read_text())


@pytest.mark.parametrize(("scenario_id", "bot"), cases())
def test_games_play_exactly_as_recorded(golden, scenario_id: str, bot: str) -> None:
    assert digest(scenario_id, bot) == golden[f"{scenario_id}/{bot}"]


if __name__ == "__main__":
    recorded = {f"{s}/{b}": digest(s, b) for s, b in cases()}
    GOLDEN.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n")
    print(f"recorded {len(recorded)} cases in {GOLDEN}")
