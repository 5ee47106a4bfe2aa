"""Balance runs: lessons, coverage, and the lessons of every bundled scenario at N=200."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from game.balance import run_balance
from game.scenario import parse_scenario
from game.scenario.catalog import bundled_ids, bundled_text, read_scenario
from tests.conftest import scenario_text


@pytest.mark.parametrize("scenario_id", bundled_ids())
def test_every_bundled_scenario_teaches_its_lessons_over_200_seeds(scenario_id: str) -> None:
    loaded, raw = read_scenario(scenario_id)
    assert len(loaded.scenario.lessons) >= 3
    report = run_balance(loaded, raw, runs=200)
    failed = [v.text for v in report.verdicts() if not v.passed]
    assert not failed, failed
    assert report.unreached() == []


def test_loyalty_giveaway_the_customer_follows_the_lone_star() -> None:
    loaded, raw = read_scenario("loyalty-giveaway")
    report = run_balance(loaded, raw, runs=60, bots=["lone-star", "constellation"])
    lone = report.value("lone-star", "loss_at.resignation")
    team = report.value("constellation", "loss_at.resignation")
    assert lone > 2 * team, (lone, team)
    assert report.value("lone-star", "followed.bastion") > 0.5


def test_parallel_runs_give_the_same_report_as_one_process() -> None:
    raw = bundled_text("sand-supplier")
    loaded = parse_scenario(raw, "sand-supplier.yaml")
    one = run_balance(loaded, raw, runs=30, jobs=1)
    two = run_balance(loaded, raw, runs=30, jobs=2)
    assert one.as_dict() == two.as_dict()


def test_unreached_events_and_choices_are_listed() -> None:
    text = scenario_text("""\
    events:
      - id: never
        title: Never
        text: This needs a flag nobody sets.
        when: turn > 100
        choices:
          - { id: a, label: A, behaviour: other }
      - id: always
        title: Always
        text: On turn 2.
        when: turn == 2
        choices:
          - { id: help, label: Help, behaviour: special_needs, cost: 1 }
          - { id: ignored, label: Ignore, behaviour: decline, cost: 50 }
    """)
    loaded = parse_scenario(text, "t.yaml")
    report = run_balance(loaded, text.encode(), runs=5)
    missing = report.unreached()
    assert "event never (never fired)" in missing
    assert "event always: choice help" not in missing


def test_balance_cli_prints_the_table_and_exits_1_when_a_lesson_fails(tmp_path) -> None:
    text = scenario_text("""\
    lessons:
      - id: wrong
        text: A lesson that cannot hold.
        metric: company_loyalty
        bot: idle
        above: relationship-builder
      - id: right
        text: A lesson that holds.
        metric: company_loyalty
        bot: relationship-builder
        above: idle
    """)
    path = tmp_path / "lessons.yaml"
    path.write_text(text)
    result = subprocess.run(
        [sys.executable, "-m", "game", "balance", str(path), "--runs", "20", "--jobs", "2"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1, result.stderr
    assert "FAIL wrong: idle company_loyalty" in result.stdout
    assert "ok   right: relationship-builder company_loyalty" in result.stdout
    assert "relationship-builder" in result.stdout.splitlines()[3]
    as_json = subprocess.run(
        [sys.executable, "-m", "game", "balance", str(path), "--runs", "10", "--json"],
        capture_output=True,
        text=True,
    )
    data = json.loads(as_json.stdout)
    assert [lesson["passed"] for lesson in data["lessons"]] == [False, True]
    assert set(data["bots"]) == {
        "relationship-builder",
        "discounter",
        "lone-star",
        "constellation",
        "random",
        "idle",
    }
