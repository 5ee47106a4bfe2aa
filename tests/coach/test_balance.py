"""Balance runs: lessons, coverage, and the lessons of every bundled scenario at N=200."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from game.bots import QUICK_BOTS, CustomBotError
from game.coach.balance import run_balance
from game.scenario import ScenarioError, load_scenario, parse_scenario
from game.scenario.catalog import bundled_ids, bundled_text, read_scenario
from tests.conftest import scenario_text

#: Seeds the slow expert plays for a lesson that names it (seconds a game; its lessons
#: hold at 200 seeds too: see docs/bots.md).
EXPERT_RUNS = 2


@pytest.mark.parametrize("scenario_id", bundled_ids())
def test_every_bundled_scenario_teaches_its_lessons_over_200_seeds(scenario_id: str) -> None:
    loaded, raw = read_scenario(scenario_id)
    assert len(loaded.scenario.lessons) >= 3
    report = run_balance(loaded, raw, runs=200, bots=QUICK_BOTS, slow_runs=EXPERT_RUNS)
    failed = [v.text for v in report.verdicts() if not v.passed]
    assert not failed, failed
    assert report.unreached() == []


def test_loyalty_giveaway_the_customer_follows_the_lone_star() -> None:
    loaded, raw = read_scenario("loyalty-giveaway")
    # The scenario's lessons add the expert: it plays 2 seeds (its lessons are not the point).
    report = run_balance(loaded, raw, runs=60, bots=["lone-star", "constellation"], slow_runs=2)
    lone = report.value("lone-star", "loss_at.resignation")
    team = report.value("constellation", "loss_at.resignation")
    assert lone > team + 0.25, (lone, team)
    assert report.value("lone-star", "followed.bastion") > 0.5


def test_parallel_runs_give_the_same_report_as_one_process() -> None:
    raw = bundled_text("sand-supplier")
    loaded = parse_scenario(raw, "sand-supplier.yaml")
    one = run_balance(loaded, raw, runs=30, jobs=1, slow_runs=2)
    two = run_balance(loaded, raw, runs=30, jobs=2, slow_runs=2)
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
    intended: [R501]
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
    assert set(data["bots"]) == set(QUICK_BOTS)
    builder = data["bots"]["relationship-builder"]
    assert builder["people_worked"]["mean"] > 0
    assert sum(builder["hours"].values()) == pytest.approx(1, abs=0.01)


def test_hours_by_behaviour_and_people_worked(sand) -> None:
    raw = bundled_text("sand-supplier")
    report = run_balance(sand, raw, runs=3, bots=["relationship-builder", "narrow", "idle"])
    hours = report.hours("relationship-builder")
    assert sum(share for _b, share in hours) == pytest.approx(1, abs=1e-4)
    assert [share for _b, share in hours] == sorted((s for _b, s in hours), reverse=True)
    assert dict(hours)["contact"] > 0.1 and "discount" not in dict(hours)
    assert report.hours("idle") == []
    assert report.value("idle", "people_worked") == 0
    people = len(sand.scenario.customer.people)
    narrow, builder = (report.value(b, "people_worked") for b in ("narrow", "relationship-builder"))
    assert 2 <= narrow < builder <= people
    assert report.value("narrow", "people_worked_share") == pytest.approx(narrow / people)
    discounter = run_balance(sand, raw, runs=3, bots=["discounter"])
    shares = dict(discounter.hours("discounter"))
    assert shares["discount"] + shares["loyalty_program"] > 0.9


HOURS_LESSONS = """\
lessons:
  - id: no_discounts
    text: The relationship builder never discounts.
    metric: {metric}
    bot: relationship-builder
    at_most: 0.0
"""


def test_a_lesson_on_hours_validates_and_a_typo_gets_a_suggestion() -> None:
    text = scenario_text(HOURS_LESSONS.format(metric="hours.discount"))
    loaded = parse_scenario(text, "hours.yaml")
    report = run_balance(loaded, text.encode(), runs=2, bots=["idle"])
    assert list(report.outcomes) == ["idle", "relationship-builder"]  # added for the lesson
    assert all(v.passed for v in report.verdicts())
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(scenario_text(HOURS_LESSONS.format(metric="hours.discont")), "typo.yaml")
    assert "unknown behaviour 'discont' (did you mean 'discount'?)" in str(caught.value)


def test_a_misspelled_bot_in_a_lesson_gets_a_suggestion() -> None:
    text = scenario_text(HOURS_LESSONS.format(metric="score")).replace(
        "bot: relationship-builder", "bot: narow"
    )
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "typo.yaml")
    message = str(caught.value)
    assert "typo.yaml:" in message and "lessons[0].bot" in message
    assert "unknown bot 'narow'; did you mean 'narrow'?" in message and ".py" in message


FIRST_CHOICE_BOT = "def choose(view):\n    return view.choices[0].id\n"
FILE_LESSON = """\
lessons:
  - id: anything_beats_idle
    text: Doing the first thing that comes up beats doing nothing.
    metric: people_worked
    bot: bots/first.py
    above: idle
"""


def test_a_lesson_can_name_a_bot_file_beside_the_scenario(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "course"
    (folder / "bots").mkdir(parents=True)
    (folder / "bots" / "first.py").write_text(FIRST_CHOICE_BOT)
    path = folder / "lessons.yaml"
    path.write_text(scenario_text(FILE_LESSON))
    monkeypatch.chdir(tmp_path)  # the file is found beside the scenario, not here
    loaded = load_scenario(path)
    assert loaded.warnings == []
    report = run_balance(loaded, path.read_bytes(), runs=3, bots=["idle"], jobs=2)
    assert list(report.outcomes) == ["idle", "bots/first.py"]
    assert all(v.passed for v in report.verdicts()), [v.text for v in report.verdicts()]


def test_a_missing_bot_file_is_reported_by_validation_and_by_balance(tmp_path: Path) -> None:
    path = tmp_path / "lessons.yaml"
    path.write_text(scenario_text(FILE_LESSON))
    loaded = load_scenario(path)
    [warning] = loaded.warnings
    lines = path.read_text().splitlines()
    assert warning.severity == "warning"
    assert warning.line == lines.index("    bot: bots/first.py") + 1
    assert "lessons[0].bot: no bot file 'bots/first.py'" in str(warning)
    with pytest.raises(CustomBotError, match="lesson 'anything_beats_idle' names the bot file"):
        run_balance(loaded, path.read_bytes(), runs=1)


def test_each_lesson_says_how_sure_it_is_and_how_many_runs_would_settle_it() -> None:
    text = scenario_text("""\
    lessons:
      - id: clear
        text: Calls beat doing nothing.
        metric: company_loyalty
        bot: relationship-builder
        above: idle
      - id: close
        text: Two near-equal policies.
        metric: company_loyalty
        bot: relationship-builder
        above: constellation
    """)
    loaded = parse_scenario(text, "t.yaml")
    report = run_balance(loaded, text.encode(), runs=8, bots=["constellation"])
    clear, close = report.verdicts()
    assert clear.settled and clear.interval is not None and clear.interval[0] > 0
    assert "margin +" in clear.confidence() and "(95%)" in clear.confidence()
    low, high = close.interval or (0.0, 0.0)
    assert low <= close.slack <= high
    if not close.settled:
        assert close.runs_needed is None or close.runs_needed > 8
        assert "not settled at 8 runs" in close.confidence()
    lessons = report.as_dict()["lessons"]
    assert lessons[0]["settled"] is True and len(lessons[0]["interval"]) == 2
