"""`rapport test`: what the bots reach, and scripted tests that fail, located."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Runner
from tests.conftest import MINI

TESTS = """\
tests:
  - name: a call and the game goes on
    seed: 1
    moves: [call:you:buyer, end]
    expect:
      met: [boss, buyer]
      not_met: [vp]
      at_least: { turn: 2, company_loyalty: 0.1 }
  - name: something false
    seed: 1
    moves: [call:you:buyer, call:you:nobody]
  - name: expectations that do not hold
    seed: 2
    moves: [end]
    expect:
      met: [vp]
      flags: { done: true }
      at_most: { company_loyalty: 0.01 }
"""


def test_a_bundled_scenario_passes(rapport: Runner) -> None:
    result = rapport("test", "tutorial", "--runs", "5")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("tutorial: the quick bots on 5 seeds each")


def test_scripted_tests_beside_the_scenario_fail_located(rapport: Runner, tmp_path: Path) -> None:
    (tmp_path / "mini.yaml").write_text(MINI)
    tests = tmp_path / "mini.tests.yaml"
    tests.write_text(TESTS)
    result = rapport("test", "mini.yaml", "--runs", "3")
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    assert "ok   a call and the game goes on" in out
    assert f"{tests}:11:29: test 'something false': move 2 'call:you:nobody' cannot be made" in out
    assert f"{tests}:16:13: test 'expectations that do not hold': vp is not met" in out
    assert "flag done is 'not set', not True" in out
    assert "company_loyalty is" in out and "not at most 0.01" in out
    assert "Scripted tests: 1 of 3 pass" in out
    data = json.loads(rapport("test", "mini.yaml", "--runs", "3", "--json").stdout)
    assert [t["passed"] for t in data["tests"]] == [True, False, False]


def test_a_broken_tests_file_is_one_located_line(rapport: Runner, tmp_path: Path) -> None:
    (tmp_path / "mini.yaml").write_text(MINI)
    (tmp_path / "odd.yaml").write_text("tests:\n  - name: x\n    seed: -1\n")
    result = rapport("test", "mini.yaml", "--tests", "odd.yaml", "--runs", "2")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "odd.yaml:3:11: tests.0.seed:" in result.stdout


def test_a_condition_that_never_goes_the_other_way_is_named(
    rapport: Runner, tmp_path: Path
) -> None:
    text = MINI.replace(
        "    cost: 1\n    by: team\n", "    cost: 1\n    by: team\n    when: turn >= 1\n", 1
    )
    assert "when: turn >= 1" in text
    (tmp_path / "mini.yaml").write_text(text)
    result = rapport("test", "mini.yaml", "--runs", "3")
    assert "never went the other way" in result.stdout
    assert "- action:call: when turn >= 1" in result.stdout
    data = json.loads(rapport("test", "mini.yaml", "--runs", "3", "--json").stdout)
    assert data["always_true"] == [{"part": "action:call", "when": "turn >= 1"}]
    both = rapport("test", "tutorial", "--runs", "3")
    assert "Every condition was seen both true and false." in both.stdout
