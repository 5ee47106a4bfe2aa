"""Golden results: every bundled scenario, quick bot and 25 seeds play exactly as recorded.

Refactoring the engine must not change a single move, metric, score or log line. Each
game is kept as a readable record (its seed, score, final company loyalty and a short
digest of each turn's moves), so a failure names the game, the first turn that plays
differently, the moves it plays now, and the score before and after. Timelines and
event logs are kept as one digest per scenario and bot.

When a rule or a scenario changes on purpose, record the new results with

    python -m tests.engine.test_golden

and say why in the commit.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from game.bots import QUICK_BOTS, make_bot, play
from game.engine import END, Game
from game.scenario.catalog import bundled_ids, load_bundled

GOLDEN = Path(__file__).with_name("golden.json")
SEEDS = range(25)


def _short(value: Any, size: int = 8) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:size]


def _turns(moves: list[str]) -> list[list[str]]:
    """The moves split by turn (each turn's list ends with its `end`)."""
    turns: list[list[str]] = [[]]
    for move in moves:
        turns[-1].append(move)
        if move == END:
            turns.append([])
    return [turn for turn in turns if turn]


def record(scenario_id: str, bot: str) -> dict[str, Any]:
    """Each game's readable record, and digests of the timelines and event logs."""
    scenario = load_bundled(scenario_id).scenario
    games, timelines, logs = [], [], []
    for seed in SEEDS:
        game = play(Game(scenario, seed), make_bot(bot))
        score = game.score()
        games.append(
            {
                "seed": seed,
                "score": score.total,
                "parts": _short(
                    [(p.key, round(p.value, 9), round(p.points, 9)) for p in score.parts]
                ),
                "loyalty": round(game.company_loyalty(), 4),
                "turns": [_short(turn, 6) for turn in _turns(game.choices_made)],
            }
        )
        timelines.append([{k: round(v, 9) for k, v in t.items()} for t in game.timeline])
        logs.append(
            [(e.turn, e.kind, e.text, e.cause, round(e.loyalty_delta, 9)) for e in game.log_entries]
        )
    return {"games": games, "timeline": _short(timelines, 16), "log": _short(logs, 16)}


def difference(scenario_id: str, bot: str, old: dict[str, Any], new: dict[str, Any]) -> str:
    """What changed, in words: the first game and turn that play differently."""
    for was, now in zip(old["games"], new["games"], strict=True):
        if was == now:
            continue
        seed = now["seed"]
        where = f"{scenario_id}/{bot} seed {seed}"
        turn = next(
            (i for i, (a, b) in enumerate(zip(was["turns"], now["turns"], strict=False)) if a != b),
            min(len(was["turns"]), len(now["turns"])),
        )
        if turn < max(len(was["turns"]), len(now["turns"])):
            scenario = load_bundled(scenario_id).scenario
            game = play(Game(scenario, seed), make_bot(bot))
            moves = _turns(game.choices_made)
            shown = moves[turn] if turn < len(moves) else ["(the game ended before it)"]
            return (
                f"{where}: turn {turn + 1} plays differently now: {', '.join(shown)}; "
                f"score {was['score']} → {now['score']}, loyalty {was['loyalty']} → "
                f"{now['loyalty']}"
            )
        return (
            f"{where}: the same moves, another result: score {was['score']} → {now['score']}, "
            f"loyalty {was['loyalty']} → {now['loyalty']}"
        )
    changed = [part for part in ("timeline", "log") if old[part] != new[part]]
    return f"{scenario_id}/{bot}: the same moves and scores, another {' and '.join(changed)}"


def cases() -> list[tuple[str, str]]:
    return [(s, b) for s in bundled_ids() for b in QUICK_BOTS]


@pytest.fixture(scope="module")
def golden() -> dict[str, dict[str, Any]]:
    return json.loads(GOLDEN.read_text())


@pytest.mark.parametrize(("scenario_id", "bot"), cases())
def test_games_play_exactly_as_recorded(golden, scenario_id: str, bot: str) -> None:
    old = golden[f"{scenario_id}/{bot}"]
    new = record(scenario_id, bot)
    assert new == old, difference(scenario_id, bot, old, new)


def test_a_difference_names_the_game_and_the_turn() -> None:
    new = record("tutorial", "idle")
    old = json.loads(json.dumps(new))
    old["games"][3]["turns"][2] = "000000"
    old["games"][3]["score"] += 5
    message = difference("tutorial", "idle", old, new)
    assert message.startswith("tutorial/idle seed 3: turn 3 plays differently now: end")
    assert f"score {new['games'][3]['score'] + 5} → {new['games'][3]['score']}" in message


def as_text(recorded: dict[str, dict[str, Any]]) -> str:
    """The records as JSON with one game per line, so a diff shows the games that changed."""
    lines = ["{"]
    for number, (key, case) in enumerate(sorted(recorded.items())):
        games = ",\n".join(f"   {json.dumps(game, sort_keys=True)}" for game in case["games"])
        lines.append(
            f' {json.dumps(key)}: {{\n  "games": [\n{games}\n  ],\n'
            f'  "log": {json.dumps(case["log"])},\n'
            f'  "timeline": {json.dumps(case["timeline"])}\n }}'
            + ("," if number < len(recorded) - 1 else "")
        )
    return "\n".join(lines) + "\n}\n"


if __name__ == "__main__":
    recorded = {f"{s}/{b}": record(s, b) for s, b in cases()}
    GOLDEN.write_text(as_text(recorded))
    print(f"recorded {len(recorded)} cases in {GOLDEN}")
