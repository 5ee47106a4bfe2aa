"""Run logs of finished games, made once per test session."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.bots import make_bot, play
from game.engine import Game
from game.scenario.catalog import load_bundled


@pytest.fixture(scope="session")
def finished_logs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """100 run logs of finished sand-supplier games (the idle bot: quick to replay)."""
    folder = tmp_path_factory.mktemp("logs")
    loaded = load_bundled("sand-supplier")
    paths = []
    for seed in range(100):
        game = play(
            Game(loaded.scenario, seed, scenario_hash=loaded.content_hash), make_bot("idle")
        )
        path = folder / f"run{seed}.json"
        path.write_text(game.run_log(player=f"Seed {seed}").to_json())
        paths.append(path)
    return paths


def edited(path: Path, **changes: object) -> str:
    data = json.loads(path.read_text())
    data.update(changes)
    return json.dumps(data)
