"""Hostile run logs and seeds: a clear message naming the problem and where, never a traceback.

A run log never makes Rapport open a file it names: its scenario is looked
up by id among the known scenarios only. The command line is run for real
once per kind of defect; the variants are checked on the run-log model that
every command reads logs with.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from game.bots import make_bot, play
from game.engine import Game, RunLog, RunLogError
from tests.cli.conftest import Runner
from tests.conftest import MINI


@pytest.fixture(scope="module")
def good_log(sand) -> dict:
    """A finished sand-supplier game's run log, as JSON data."""
    game = play(Game(sand.scenario, 3, scenario_hash=sand.content_hash), make_bot("idle"))
    return game.run_log(player="Ada").to_dict()


def write(tmp_path: Path, name: str, log: dict, seed_text: str | None = None) -> str:
    text = json.dumps(log)  # lone surrogates become \\udc80 escapes, as JSON allows
    if seed_text is not None:
        text = text.replace(f'"seed": {log["seed"]}', f'"seed": {seed_text}')
    (tmp_path / name).write_text(text)
    return name


def one_clear_error(result, *needles: str) -> None:
    """Exit 1 with one `error: …` message holding every needle, and no traceback."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    for needle in needles:
        assert needle in result.stderr


def submitted_nothing(rapport: Runner) -> None:
    board = rapport("leaderboard", "--workshop", "ROOM", "--db", "board.db", "--format", "json")
    assert board.returncode == 0 and json.loads(board.stdout) == []


def test_an_out_of_range_seed_is_refused_by_replay_and_submit(
    rapport: Runner, tmp_path: Path, good_log: dict
) -> None:
    cases = {
        "big.json": (str(2**64), '"seed" 18446744073709551616 is out of range'),
        "huge.json": ("9" * 5000, '"seed" is a number of 5,000 digits, out of range'),
    }
    for name, (seed_text, message) in cases.items():
        write(tmp_path, name, good_log, seed_text)
        one_clear_error(rapport("replay", name), f"{name}: run log: {message}")
        one_clear_error(rapport("submit", name, "--workshop", "ROOM", "--db", "board.db"), message)
    submitted_nothing(rapport)


@pytest.mark.parametrize(
    ("seed", "message"),
    [
        (2**63, '"seed" 9223372036854775808 is out of range'),
        (-(2**63) - 1, '"seed" -9223372036854775809 is out of range'),
        (1.5, '"seed" must be a whole number'),
        (True, '"seed" must be a whole number'),
    ],
)
def test_the_run_log_model_bounds_seeds(good_log: dict, seed: object, message: str) -> None:
    with pytest.raises(RunLogError, match=message):
        RunLog.from_json(json.dumps({**good_log, "seed": seed}))


@pytest.mark.parametrize("version", [True, 1.0, "1", None])
def test_a_version_that_only_looks_like_1_is_refused(good_log: dict, version: object) -> None:
    with pytest.raises(RunLogError, match='"version" must be a whole number'):
        RunLog.from_json(json.dumps({**good_log, "version": version}))
    assert RunLog.from_json(json.dumps(good_log)).seed == good_log["seed"]


def test_a_run_log_cannot_be_made_with_a_bad_seed_in_code(good_log: dict) -> None:
    """Every caller benefits: the model itself refuses, not only the JSON reader."""
    with pytest.raises(RunLogError, match='"seed" 9223372036854775808 is out of range'):
        RunLog("sand-supplier", good_log["scenario_hash"], 2**63, ())
    with pytest.raises(RunLogError, match='"seed" a number of about 1,205 digits is out of range'):
        RunLog("sand-supplier", good_log["scenario_hash"], 2**4000, ())
    with pytest.raises(RunLogError, match='"scenario"'):
        RunLog("../etc/passwd", good_log["scenario_hash"], 1, ())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("simulate", "sand-supplier", "--seed", str(2**63)), "9223372036854775808 is out of"),
        (("simulate", "sand-supplier", "--seed", str(-(2**63) - 1)), "-9223372036854775809 is"),
        (("play", "sand-supplier", "--seed", "9" * 5000), "a number of 5,000 digits is out of"),
        (("balance", "sand-supplier", "--seed", str(2**64)), "18446744073709551616 is out of"),
        (("serve", "--seed", str(2**63)), "9223372036854775808 is out of range"),
        (("simulate", "sand-supplier", "--seed", str(2**63 - 2), "--runs", "3"), "pass the"),
    ],
)
def test_an_out_of_range_seed_option_is_a_usage_error(
    rapport: Runner, args: tuple, message: str
) -> None:
    result = rapport(*args)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "Invalid value for '--seed" in result.stderr and message in result.stderr


def test_a_lone_surrogate_in_the_player_is_refused(
    rapport: Runner, tmp_path: Path, good_log: dict
) -> None:
    name = write(tmp_path, "surrogate.json", {**good_log, "player": "\udc80Eve"})
    message = (
        '"player" is not valid Unicode text: it holds a lone surrogate (U+DC80) at character 1'
    )
    one_clear_error(rapport("replay", name), f"{name}: run log: {message}")
    one_clear_error(rapport("submit", name, "--workshop", "ROOM", "--db", "board.db"), message)
    submitted_nothing(rapport)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("player", "Eve\ud800", '"player" is not valid Unicode text'),
        ("player", "Eve\x1b[2J", '"player" holds a control character (U+001B) at character 4'),
        ("player", "Eve\u202egnp.exe", '"player" holds a control character (U+202E)'),
        ("player", "E" * 201, '"player" is longer than 200 characters'),
        ("bot", "idle\udfff", '"bot" is not valid Unicode text'),
        ("scenario_hash", "sha256:\x07", '"scenario_hash" holds a control character'),
        ("scenario", "sand\udc80", '"scenario" is not valid Unicode text'),
    ],
)
def test_text_that_cannot_be_shown_safely_is_refused(
    good_log: dict, field: str, value: str, message: str
) -> None:
    with pytest.raises(RunLogError, match=re.escape(message)):
        RunLog.from_json(json.dumps({**good_log, field: value}))


def test_a_bad_choice_id_is_named_by_its_place(good_log: dict) -> None:
    choices = [*good_log["choices"][:2], "end\udc80", *good_log["choices"][2:]]
    with pytest.raises(RunLogError, match=f"choice 3 of {len(choices)} is not valid Unicode"):
        RunLog.from_json(json.dumps({**good_log, "choices": choices}))
    assert RunLog.from_json(json.dumps({**good_log, "player": "Zoë 李"})).player == "Zoë 李"


def test_a_scenario_path_in_a_log_is_never_opened(
    rapport: Runner, tmp_path: Path, good_log: dict
) -> None:
    name = write(tmp_path, "path.json", {**good_log, "scenario": "/etc/passwd"})
    message = "\"scenario\" '/etc/passwd' is not a scenario id"
    one_clear_error(rapport("replay", name), message)
    one_clear_error(rapport("submit", name, "--workshop", "ROOM", "--db", "board.db"), message)
    for path in ("/proc/self/environ", "../run.json", "scenarios/mini.yaml", "C:\\x.yaml"):
        with pytest.raises(RunLogError, match="is not a scenario id"):
            RunLog.from_json(json.dumps({**good_log, "scenario": path}))


def test_an_unknown_scenario_id_says_nothing_about_files(
    rapport: Runner, tmp_path: Path, good_log: dict
) -> None:
    """A log naming `passwd` gets the same answer whether or not a file of that name exists."""
    (tmp_path / "passwd").write_text(MINI)  # a real, readable scenario file, right here
    (tmp_path / "passwd.yaml").write_text(MINI)
    answers = []
    for scenario in ("passwd", "nosuchthing"):
        name = write(tmp_path, f"{scenario}.json", {**good_log, "scenario": scenario})
        result = rapport("replay", name)
        one_clear_error(result, "--scenario PATH")
        answers.append(result.stderr.replace(scenario, "X"))
    assert answers[0] == answers[1]
    assert (
        "no scenario named 'X' is bundled, in ./scenarios or in your scenarios folder"
        in (answers[0])
    )
    one_clear_error(
        rapport("submit", "passwd.json", "--workshop", "ROOM", "--db", "board.db"),
        "no scenario named 'passwd' is bundled",
    )


def test_a_log_of_a_scenario_file_is_replayed_with_the_file_given(
    rapport: Runner, tmp_path: Path
) -> None:
    (tmp_path / "mini.yaml").write_text(MINI)
    made = rapport("simulate", "mini.yaml", "--bot", "idle", "--log", "mini-run.json", "--json")
    assert made.returncode == 0, made.stderr
    assert json.loads((tmp_path / "mini-run.json").read_text())["scenario"] == "mini"
    lost = rapport("replay", "mini-run.json")
    one_clear_error(lost, "no scenario named 'mini'", "give the scenario's file with --scenario")
    found = rapport("replay", "mini-run.json", "--scenario", "mini.yaml", "--json")
    assert found.returncode == 0 and found.stdout == made.stdout


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"practice": "yes"}, '"practice" must be true or false'),
        ({"notes": "a note"}, '"notes" must be a list of texts'),
        ({"notes": [1]}, '"notes" must be a list of texts'),
        ({"notes": ["x"] * 11}, 'more than 10 "notes"'),
        ({"notes": ["x" * 2001]}, "note 1 is longer than 2000 characters"),
        ({"notes": ["\x1b[31m"]}, "note 1 holds a control character"),
    ],
)
def test_practice_and_notes_are_checked(good_log: dict, changes: dict, message: str) -> None:
    with pytest.raises(RunLogError, match=re.escape(message)):
        RunLog.from_dict(good_log | changes)


def test_practice_and_notes_round_trip(good_log: dict) -> None:
    log = RunLog.from_dict(good_log | {"practice": True, "notes": ["I expected: more"]})
    again = RunLog.from_json(log.to_json())
    assert again.practice and again.notes == ("I expected: more",)
    assert "practice" not in RunLog.from_dict(good_log).to_dict()
