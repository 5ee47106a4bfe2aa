"""The command line, run as a real subprocess: output, exit codes, determinism."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from tests.cli.conftest import Runner
from tests.conftest import MINI, scenario_text

REPO = Path(__file__).resolve().parents[2]


def no_traceback(result) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout


def test_scenarios_lists_bundled_ids_titles_and_lengths(rapport: Runner) -> None:
    result = rapport("scenarios")
    assert result.returncode == 0
    assert re.search(
        r"^sand-supplier\s+Same Sand, Different Supplier\s+24 turns\s+bundled$", result.stdout, re.M
    )
    assert re.search(r"^director-to-ceo\s+.+\s+20 turns\s+bundled$", result.stdout, re.M)


def test_scenarios_includes_local_and_user_folders(
    rapport: Runner, tmp_path: Path, rapport_home: Path
) -> None:
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "mini.yaml").write_text(MINI)
    (rapport_home / "scenarios").mkdir()
    (rapport_home / "scenarios" / "broken.yaml").write_text("rapport: 1\n")
    out = rapport("scenarios").stdout
    assert re.search(r"^mini\s+Mini\s+6 turns\s+local$", out, re.M)
    assert re.search(r"^broken\s+\(invalid: \d+ problem\(s\)\)\s+user$", out, re.M)


def test_validate_ok_and_broken_files(rapport: Runner, tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(MINI)
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        scenario_text(
            replace=(("turns: 6", "turns: many"), ("reports_to: boss", "reports_to: bos"))
        )
    )
    ok = rapport("validate", str(good))
    assert ok.returncode == 0 and "good.yaml: valid (mini: Mini, 6 turns)" in ok.stdout
    failed = rapport("validate", str(good), str(bad))
    assert failed.returncode == 1
    problems = [
        line for line in failed.stdout.splitlines() if re.match(rf"{re.escape(str(bad))}:\d", line)
    ]
    assert len(problems) == 1  # the type error stops the reference check
    assert re.match(rf"^{re.escape(str(bad))}:4:8: R203 turns: .+", problems[0])
    assert failed.stdout.splitlines()[-1] == f"{bad}: 1 error"  # one summary line a file
    no_traceback(failed)
    reports = json.loads(rapport("validate", str(good), str(bad), "--json").stdout)
    assert [r["valid"] for r in reports] == [True, False]
    assert reports[1]["problems"][0] | {"message": ""} == {
        "line": 4,
        "col": 8,
        "code": "R203",
        "severity": "error",
        "message": "",
    }


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"rapport: 1\nid: [oops\n", ":2:5: R108 this `[` is never closed"),
        (b"rapport: 1\n" + b"x: " + b"a" * (5 * 1024 * 1024) + b"\n", ":1:1: R101 the file is 5,"),
        (
            b"rapport: 1\na: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
            b"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
            b"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n",
            "expands to more than",
        ),
        (
            MINI.replace("influence: 0.5", "influence: high").encode(),
            ":15:56: R203 customer.people[0].influence",
        ),
        (
            MINI.replace("reports_to: boss", "reports_to: bozz").encode(),
            "unknown customer person 'bozz'",
        ),
    ],
    ids=["bad-yaml", "5-mb", "alias-bomb", "wrong-type", "unknown-id"],
)
def test_broken_scenarios_give_a_located_message_and_exit_1(
    rapport: Runner, tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_bytes(content)
    for args in (("validate", str(path)), ("simulate", str(path))):
        result = rapport(*args)
        assert result.returncode == 1, result
        output = result.stdout + result.stderr
        assert f"{path}{expected}" in output or expected in output, output
        assert re.search(rf"{re.escape(str(path))}:\d+:\d+: ", output)
        no_traceback(result)


def test_simulate_json_has_the_documented_fields(rapport: Runner) -> None:
    result = rapport("simulate", "sand-supplier", "--bot", "discounter", "--seed", "4", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["scenario"] == "sand-supplier" and data["seed"] == 4 and data["bot"] == "discounter"
    assert 0 <= data["score"]["total"] <= 1000 and data["score"]["breakdown"]
    assert set(data["final"]) >= {
        "company_loyalty",
        "resilience",
        "concentration",
        "satisfaction",
        "revenue",
    }
    for defection in data["defections"]:
        assert set(defection) >= {"turn", "who", "reason", "satisfaction"}
        assert defection["reason"] in ("relationship", "price", "needs changed")
    assert data["timeline"][0]["turn"] == 0 and len(data["timeline"]) == 25
    assert set(data["timeline"][1]) >= {"company_loyalty", "resilience", "satisfaction", "revenue"}


def test_simulate_json_reports_the_turn_of_each_milestone(rapport: Runner) -> None:
    result = rapport("simulate", "second-sale", "--bot", "relationship-builder", "--json")
    data = json.loads(result.stdout)
    first, second = data["milestones"]["first_sale"], data["milestones"]["second_sale"]
    assert isinstance(first, int) and isinstance(second, int) and 1 <= first < second <= 20
    idle = json.loads(rapport("simulate", "second-sale", "--bot", "idle", "--json").stdout)
    assert idle["milestones"] == {"first_sale": None, "second_sale": None}
    sand = json.loads(rapport("simulate", "sand-supplier", "--bot", "idle", "--json").stdout)
    assert sand["milestones"] == {"first_sale": 0, "second_sale": 0}  # sold before the game


def test_simulate_is_byte_identical_and_its_log_replays_to_the_same_output(
    rapport: Runner, tmp_path: Path
) -> None:
    args = ("simulate", "sand-supplier", "--bot", "relationship-builder", "--seed", "11", "--json")
    first = rapport(*args, "--log", "run.json")
    second = rapport(*args)
    assert first.returncode == 0 and first.stdout == second.stdout
    replayed = rapport("replay", "run.json", "--json")
    assert replayed.returncode == 0, replayed.stderr
    assert replayed.stdout == first.stdout
    text = rapport("replay", "run.json")
    assert "Score" in text.stdout and "relationship-builder" in text.stdout


def test_simulate_runs_prints_runs_and_a_summary(rapport: Runner) -> None:
    result = rapport(
        "simulate", "director-to-ceo", "--bot", "idle", "--seed", "5", "--runs", "3", "--json"
    )
    data = json.loads(result.stdout)
    assert [r["seed"] for r in data["runs"]] == [5, 6, 7]
    assert all("timeline" not in r for r in data["runs"])
    assert data["summary"]["runs"] == 3 and "company_loyalty" in data["summary"]["final"]
    table = rapport("simulate", "director-to-ceo", "--bot", "idle", "--runs", "3")
    assert table.returncode == 0 and "mean" in table.stdout


def test_simulate_with_a_custom_bot_file(rapport: Runner, tmp_path: Path) -> None:
    (tmp_path / "mybot.py").write_text("def choose(view):\n    return view.choices[-1].id\n")
    result = rapport("simulate", "sand-supplier", "--bot", "mybot.py", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["bot"] == "mybot"


def test_replay_refuses_a_log_that_does_not_match(rapport: Runner, tmp_path: Path) -> None:
    rapport("simulate", "sand-supplier", "--bot", "idle", "--log", "run.json")
    log = json.loads((tmp_path / "run.json").read_text())
    log["scenario_hash"] = "sha256:" + "f" * 64
    (tmp_path / "edited.json").write_text(json.dumps(log))
    result = rapport("replay", "edited.json")
    assert result.returncode == 1
    assert "different version of scenario 'sand-supplier'" in result.stderr
    (tmp_path / "junk.json").write_text("{not json")
    junk = rapport("replay", "junk.json")
    assert junk.returncode == 1 and "not a run log" in junk.stderr
    missing = rapport("replay", "nope.json")
    assert missing.returncode == 1 and "no such file" in missing.stderr
    for result in (junk, missing):
        no_traceback(result)


def test_replay_finds_a_local_scenario_or_takes_a_path(rapport: Runner, tmp_path: Path) -> None:
    (tmp_path / "mini.yaml").write_text(MINI)
    made = rapport("simulate", "mini.yaml", "--bot", "random", "--log", "mini-run.json", "--json")
    assert made.returncode == 0, made.stderr
    lost = rapport("replay", "mini-run.json")
    assert lost.returncode == 1 and "no scenario named 'mini'" in lost.stderr
    found = rapport("replay", "mini-run.json", "--scenario", "mini.yaml", "--json")
    assert found.stdout == made.stdout


def test_schema_is_json_schema_and_matches_the_bundled_copy(rapport: Runner) -> None:
    result = rapport("schema")
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    bundled = json.loads((REPO / "scenarios" / "rapport.schema.json").read_text())
    assert schema == bundled, "run `rapport schema > scenarios/rapport.schema.json`"


@pytest.mark.parametrize("command", ["", "scenarios", "validate", "simulate", "replay", "schema"])
def test_help_and_version_everywhere(rapport: Runner, command: str) -> None:
    args = [command] if command else []
    help_ = rapport(*args, "--help")
    assert help_.returncode == 0 and "Usage:" in help_.stdout
    version = rapport(*args, "--version")
    assert version.returncode == 0 and re.match(r"rapport \d+\.\d+\.\d+", version.stdout)


@pytest.mark.parametrize(
    "args",
    [
        ("simulate",),
        ("simulate", "sand-supplier", "--seed", "x"),
        ("nope",),
        ("simulate", "sand-supplier", "--runs", "2", "--log", "x.json"),
    ],
)
def test_usage_errors_exit_2(rapport: Runner, args: tuple[str, ...]) -> None:
    result = rapport(*args)
    assert result.returncode == 2, result
    no_traceback(result)


def test_unknown_scenario_and_bot_exit_1_with_a_suggestion(rapport: Runner) -> None:
    scenario = rapport("simulate", "sand-suplier")
    assert scenario.returncode == 1 and "did you mean 'sand-supplier'" in scenario.stderr
    bot = rapport("simulate", "sand-supplier", "--bot", "relationship-buider")
    assert bot.returncode == 1 and "did you mean 'relationship-builder'" in bot.stderr


def test_balance_with_chosen_bots_shows_their_people_and_time(rapport: Runner) -> None:
    result = rapport("balance", "sand-supplier", "--runs", "3", "--bots", "idle,narrow")
    # Three runs are too few to trust the lessons: exit 1 only if one of them failed.
    assert result.returncode == (1 if "FAIL " in result.stdout else 0), result.stderr
    no_traceback(result)
    lines = result.stdout.splitlines()
    head = next(i for i, line in enumerate(lines) if re.match(r"^bot\s+people\s+time by", line))
    rows = {line.split()[0]: line for line in lines[head + 1 :] if line.strip()}
    assert re.search(r"^idle\s+0\.0 of \d+\s+no time spent$", rows["idle"])
    assert re.search(r"^narrow\s+\d\.\d of \d+\s+[a-z_]+ \d+% · ", rows["narrow"])
    # The bundled lessons compare the relationship builder with relationship-plus-discounts
    # and with narrow: the bots they name join in.
    assert {"relationship-builder", "relationship-plus-discounts"} <= set(rows)
    assert "random" not in result.stdout
    data = json.loads(
        rapport("balance", "sand-supplier", "--runs", "2", "--bots", "narrow", "--json").stdout
    )
    assert data["bots"]["narrow"]["people_worked"]["mean"] >= 2
    assert sum(data["bots"]["narrow"]["hours"].values()) == pytest.approx(1, abs=0.01)
    unknown = rapport("balance", "sand-supplier", "--runs", "2", "--bots", "idle,narow")
    assert unknown.returncode == 1 and "did you mean 'narrow'" in unknown.stderr
    no_traceback(unknown)


def test_python_dash_m_game_is_the_same_cli(rapport: Runner) -> None:
    assert "simulate" in rapport("--help").stdout


def test_new_writes_a_starter_that_validates_plays_and_balances(
    rapport: Runner, tmp_path: Path
) -> None:
    made = rapport("new", "Trade Show Follow-up")
    assert made.returncode == 0, made.stderr
    path = tmp_path / "trade-show-follow-up.yaml"
    assert path.exists() and (tmp_path / "rapport.schema.json").exists()
    assert "id: trade-show-follow-up" in path.read_text()
    assert rapport("validate", "--strict", str(path)).returncode == 0
    assert rapport("simulate", str(path), "--json").returncode == 0
    assert rapport("balance", str(path), "--runs", "40").returncode == 0
    again = rapport("new", "Trade Show Follow-up")
    assert again.returncode == 1 and "already exists" in again.stderr
    assert rapport("new", "Trade Show Follow-up", "--force").returncode == 0
    elsewhere = rapport("new", "sub/custom-name.yaml")
    assert elsewhere.returncode == 0 and (tmp_path / "sub" / "custom-name.yaml").exists()
    assert "id: custom-name" in (tmp_path / "sub" / "custom-name.yaml").read_text()


def test_play_watch_needs_a_file(rapport: Runner) -> None:
    result = rapport("play", "sand-supplier", "--watch")
    assert result.returncode == 2 and "--watch needs the path of a scenario file" in result.stderr


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("nosuch", "no scenario named 'nosuch'"),
        ("sand-suppler", "did you mean 'sand-supplier'?"),
        ("nowhere/x.yaml", "nowhere/x.yaml: no such scenario file"),
    ],
)
def test_play_of_a_scenario_that_does_not_exist_never_starts_the_app(
    rapport: Runner, name: str, message: str
) -> None:
    result = rapport("play", name)
    assert result.returncode == 1
    assert message in result.stderr and result.stdout == ""
    assert "\x1b" not in result.stderr


def test_scenarios_lists_as_json_too(rapport: Runner) -> None:
    listed = json.loads(rapport("scenarios", "--json").stdout)
    assert listed[0]["id"] == "tutorial" and listed[0]["origin"] == "bundled"
    assert all(entry["valid"] for entry in listed)
    assert {"second-sale", "loyalty-giveaway"} <= {entry["id"] for entry in listed}


def test_shell_completion_as_the_readme_shows_it(tmp_path: Path) -> None:
    env = {**os.environ, "_RAPPORT_COMPLETE": "bash_source"}
    script = subprocess.run(
        [sys.executable, "-m", "game"], env=env, capture_output=True, text=True, timeout=60
    )
    assert "_rapport_completion" in script.stdout or "complete " in script.stdout
    words = subprocess.run(
        [sys.executable, "-m", "game"],
        env={
            **os.environ,
            "_RAPPORT_COMPLETE": "bash_complete",
            "COMP_WORDS": "rapport va",
            "COMP_CWORD": "1",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "validate" in words.stdout


def test_a_local_scenario_is_found_by_the_id_it_declares(rapport: Runner, tmp_path: Path) -> None:
    """`rapport scenarios` lists a file by its id; every command finds it by that id."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "draft-3.yaml").write_text(MINI.replace("id: mini", "id: cold-chain-renewal"))
    listed = json.loads(rapport("scenarios", "--json").stdout)
    assert any(e["id"] == "cold-chain-renewal" and e["origin"] == "local" for e in listed)
    played = rapport("simulate", "cold-chain-renewal", "--bot", "idle", "--json")
    assert played.returncode == 0, played.stderr
    assert json.loads(played.stdout)["scenario"] == "cold-chain-renewal"


def test_every_command_is_found_where_the_lazy_table_says() -> None:
    """`rapport CMD` imports only CMD's module: the table naming each command's module
    must list every command, each in the module that defines it."""
    import importlib

    from game.cli import COMMAND_MODULES

    defined = {
        command.name: module
        for module in set(COMMAND_MODULES.values())
        for command in importlib.import_module(f"game.cli.{module}").COMMANDS
    }
    assert defined == COMMAND_MODULES


def test_play_loads_no_other_command() -> None:
    code = (
        "import sys, json; from game.cli import cli; import click; "
        "cli.get_command(click.Context(cli), 'play'); "
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('game.cli.'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == ["game.cli.board_options", "game.cli.play_commands"]


def test_every_workshop_subcommand_is_there_when_workshop_runs() -> None:
    """`rapport workshop` has subcommands defined in other modules: they load with it."""
    code = (
        "import json, click; from game.cli import cli; "
        "group = cli.get_command(click.Context(cli), 'workshop'); "
        "print(json.dumps(sorted(group.list_commands(click.Context(group)))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert {"status", "pause", "resume", "inject", "end", "export"} <= set(json.loads(out.stdout))
