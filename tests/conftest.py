"""Shared fixtures: bundled scenarios, a small hand-written scenario, temp data folders."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from game.scenario import LoadedScenario, parse_scenario
from game.scenario.catalog import load_bundled

#: A complete, small scenario used across the tests. Keep it valid.
MINI = """\
rapport: 1
id: mini
title: Mini
turns: 6
time_budget: 4
supplier:
  name: Supplier Co
  reliability: 0.9
  people:
    - { id: you, name: Pat, role: Rep, player: true }
    - { id: tech, name: Tess, role: Technician }
customer:
  name: Customer Co
  people:
    - { id: boss, name: Bo, role: Director, influence: 0.5, met: true }
    - { id: buyer, name: Bea, role: Buyer, influence: 0.3, reports_to: boss, met: true }
    - { id: vp, name: Vic, role: VP, influence: 0.2, introduced_by: [boss], intro_trust: 0.4 }
competitors:
  - { id: rival, name: Rival Inc, price: 0.9, offer_chance: 0.0, people: [{ id: rep2, name: Rex }] }
account:
  order_value: 1000
  orders_every: 1
trust:
  - { from: boss, to: you, value: 0.5 }
  - { from: buyer, to: you, value: 0.3 }
actions:
  - id: call
    label: Call {target}
    behaviour: contact
    cost: 1
    by: team
    effects:
      - trust: { delta: 0.1 }
  - id: discount
    label: Give a discount
    behaviour: discount
    cost: 1
    targets: none
    cooldown: 2
    effects:
      - discount: { rate: 0.1, turns: 2 }
      - satisfaction: 0.1
"""


def scenario_text(extra: str = "", replace: tuple[tuple[str, str], ...] = ()) -> str:
    """MINI with (old, new) text replacements and `extra` YAML appended."""
    text = MINI
    for old, new in replace:
        assert old in text, old
        text = text.replace(old, new)
    return text + textwrap.dedent(extra)


@pytest.fixture
def mini() -> LoadedScenario:
    return parse_scenario(MINI, "mini.yaml")


@pytest.fixture(scope="session")
def sand() -> LoadedScenario:
    return load_bundled("sand-supplier")


@pytest.fixture(scope="session")
def director() -> LoadedScenario:
    return load_bundled("director-to-ceo")


@pytest.fixture(autouse=True)
def quick_turning_points(monkeypatch: pytest.MonkeyPatch) -> None:
    """Games played to the end in the app get a light analysis (tests/test_analyse.py
    checks the real one), so the final debrief's worker finishes in a moment."""
    monkeypatch.setattr("game.app.screens.debrief.ANALYSIS_FORKS", 2)
    monkeypatch.setattr("game.app.screens.debrief.ANALYSIS_JOBS", 1)


@pytest.fixture(autouse=True)
def rapport_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own user data folder, never the real one."""
    home = tmp_path_factory.mktemp("rapport-home")
    monkeypatch.setenv("RAPPORT_HOME", str(home))
    return home


Runner = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def rapport(tmp_path: Path, rapport_home: Path) -> Runner:
    """`rapport(*args)` runs `python -m game ARGS` in a temp folder with no stdin."""

    def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "RAPPORT_HOME": str(rapport_home), "NO_COLOR": "1"}
        return subprocess.run(
            [sys.executable, "-m", "game", *args],
            cwd=cwd or tmp_path,
            env=env,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=120,
        )

    return run
