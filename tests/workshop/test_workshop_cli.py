"""`rapport submit` and `rapport leaderboard`, as real subprocesses."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.cli.conftest import Runner
from tests.workshop.conftest import POSTGRES, edited


def test_submit_and_every_leaderboard_format(
    rapport: Runner, tmp_path: Path, finished_logs
) -> None:
    db = str(tmp_path / "board.db")
    names = [
        "[bold]Ada[/bold]",
        '=HYPERLINK("x")',
        "<script>alert(1)</script>",
        "  Bea\tBo \x1b[31mred\x1b[0m  ",
    ]
    for log, name in zip(finished_logs, names, strict=False):
        result = rapport("submit", str(log), "--workshop", "sales-1", "--name", name, "--db", db)
        assert result.returncode == 0, result.stderr
        assert "in workshop SALES-1" in result.stdout
    table = rapport("leaderboard", "--workshop", "sales-1", "--db", db)
    assert table.returncode == 0 and "[bold]Ada[/bold]" in table.stdout
    assert "\x1b" not in table.stdout and "Bea Bo [31mred[0m" in table.stdout
    rows = list(
        csv.DictReader(io.StringIO(rapport("leaderboard", "--format", "csv", "--db", db).stdout))
    )
    assert len(rows) == 4
    assert '\'=HYPERLINK("x")' in [r["player"] for r in rows]
    data = json.loads(rapport("leaderboard", "--format", "json", "--db", db).stdout)
    assert [row["rank"] for row in data] == [1, 2, 3, 4]
    assert all("breakdown" in row for row in data)
    page = rapport("leaderboard", "--format", "html", "--workshop", "SALES-1", "--db", db).stdout
    assert page.startswith("<!DOCTYPE html>") and "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "[bold]Ada[/bold]" in page
    assert "http" not in page.split("<body>")[0].replace("http-equiv", "")  # nothing fetched


def test_submit_refuses_what_it_cannot_trust(
    rapport: Runner, tmp_path: Path, finished_logs
) -> None:
    db = str(tmp_path / "board.db")
    forged = tmp_path / "forged.json"
    forged.write_text(edited(finished_logs[0], scenario_hash="sha256:" + "1" * 64))
    refused = rapport("submit", str(forged), "--workshop", "w", "--db", db)
    assert refused.returncode == 1 and "different version of scenario" in refused.stderr
    garbage = tmp_path / "garbage.json"
    garbage.write_bytes(b"\x00\x01")
    assert rapport("submit", str(garbage), "--workshop", "w", "--db", db).returncode == 1
    bad_code = rapport("submit", str(finished_logs[0]), "--workshop", "no spaces", "--db", db)
    assert bad_code.returncode == 1 and "workshop code" in bad_code.stderr
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("shopping list " * 300)
    broken = rapport("leaderboard", "--db", str(not_a_db))
    assert broken.returncode == 1 and "not a usable leaderboard database" in broken.stderr
    practice = tmp_path / "practice.json"
    practice.write_text(edited(finished_logs[0], practice=True))
    practised = rapport("submit", str(practice), "--workshop", "w", "--db", db)
    assert practised.returncode == 1 and "practice mode" in practised.stderr
    for result in (refused, bad_code, broken, practised):
        assert "Traceback" not in result.stderr
    empty = rapport("leaderboard", "--db", db)
    assert empty.returncode == 0 and "No scores yet." in empty.stdout


def test_submit_reports_as_json_too(rapport: Runner, tmp_path: Path, finished_logs) -> None:
    db = str(tmp_path / "board.db")
    result = rapport("submit", str(finished_logs[0]), "--workshop", "w", "--json", "--db", db)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["workshop"] == "W" and data["rank"] == 1 and data["players"] == 1
    assert isinstance(data["score"], int) and data["counts"] is True


def test_the_default_database_lives_in_the_user_data_folder(
    rapport: Runner, rapport_home: Path, finished_logs
) -> None:
    assert rapport("submit", str(finished_logs[2]), "--workshop", "w").returncode == 0
    assert (rapport_home / "leaderboard.db").exists()
    assert "Seed 2" in rapport("leaderboard").stdout


def test_a_created_workshop_hides_its_seed_from_everything_players_see(
    rapport: Runner, tmp_path: Path, finished_logs
) -> None:
    db = str(tmp_path / "board.db")
    created = rapport(
        "workshop", "create", "sales-2", "--scenario", "sand-supplier", "--rank", "par", "--db", db
    )
    assert created.returncode == 0, created.stderr
    assert "Workshop SALES-2 created" in created.stdout
    assert "hidden from players" in created.stdout
    assert "rapport play --workshop SALES-2 --db" in created.stdout
    shown = json.loads(
        rapport("workshop", "show", "sales-2", "--format", "json", "--db", db).stdout
    )
    seed = shown["seed"]
    assert isinstance(seed, int) and shown["seed_hidden"] and shown["rank"] == "par"
    assert str(seed) not in created.stdout
    text = rapport("workshop", "show", "SALES-2", "--db", db)
    assert f"{seed} (hidden from players)" in text.stdout  # for the trainer's eyes
    listed = rapport("workshop", "list", "--db", db)
    assert listed.returncode == 0 and "SALES-2" in listed.stdout and "hidden" in listed.stdout
    assert str(seed) not in listed.stdout
    again = rapport("workshop", "create", "SALES-2", "--scenario", "second-sale", "--db", db)
    assert again.returncode == 1 and "already exists" in again.stderr
    # A log of the workshop's game goes on; its seed stays hidden on the board and in exports.
    log = tmp_path / "game.json"
    data = json.loads(finished_logs[0].read_text()) | {"seed": seed}
    from tests.workshop.test_fair_ranking import bot_log

    log.write_text(bot_log("idle", seed, player="Ada"))
    submitted = rapport("submit", str(log), "--workshop", "sales-2", "--db", db)
    assert submitted.returncode == 0, submitted.stderr
    assert "by score minus par" in submitted.stdout and "par " in submitted.stdout
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps(data | {"seed": seed + 1}))
    refused = rapport("submit", str(wrong), "--workshop", "sales-2", "--db", db)
    assert refused.returncode == 1 and "seed" in refused.stderr
    assert str(seed) not in refused.stderr and str(seed + 1) not in refused.stderr
    for output in ("table", "csv", "html", "json"):
        board = rapport("leaderboard", "--workshop", "sales-2", "--format", output, "--db", db)
        assert board.returncode == 0 and "Ada" in board.stdout
        assert str(seed) not in board.stdout
    table = rapport("leaderboard", "--workshop", "sales-2", "--db", db).stdout
    assert table.splitlines()[0].split()[:5] == ["rank", "player", "score", "par", "vs_par"]
    assert "hidden" in table
    html_page = rapport("leaderboard", "--workshop", "sales-2", "--format", "html", "--db", db)
    assert "Ranked by score minus par" in html_page.stdout
    # `rapport play` in this workshop takes the scenario and seed from the board.
    own_seed = rapport("play", "--workshop", "sales-2", "--seed", "3", "--db", db)
    assert own_seed.returncode == 1 and "sets its own seed" in own_seed.stderr
    other = rapport("play", "second-sale", "--workshop", "sales-2", "--db", db)
    assert other.returncode == 1 and "plays scenario 'sand-supplier'" in other.stderr
    for result in (again, refused, own_seed, other):
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "url",
    [
        "mysql://x",
        "mysql://root:hunter2@db.example.com/board",
        "http://example.com/board",
        "sqlite:///board.db",
        "postgresql:board",
        "mongodb+srv://cluster/board",
    ],
)
@pytest.mark.parametrize(
    "command",
    [
        ("leaderboard",),
        ("workshop", "list"),
        ("workshop", "create", "w1", "--scenario", "sand-supplier"),
        ("play", "sand-supplier", "--workshop", "w1"),
    ],
    ids=["leaderboard", "list", "create", "play"],
)
def test_a_database_url_that_is_not_postgres_is_refused(
    rapport: Runner, tmp_path: Path, url: str, command: tuple[str, ...]
) -> None:
    before = sorted(tmp_path.iterdir())
    result = rapport(*command, "--db", url)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Invalid value for '--db'" in result.stderr
    assert "postgresql://" in result.stderr or "file's path" in result.stderr
    assert "hunter2" not in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(tmp_path.iterdir()) == before  # no folder named "mysql:" or anything else


@pytest.mark.parametrize("board_location", [POSTGRES], indirect=True)
def test_every_board_command_works_on_a_postgres_board(
    rapport: Runner, board_location: str, tmp_path: Path, finished_logs
) -> None:
    url = board_location
    created = rapport(
        "workshop",
        "create",
        "pg-1",
        "--scenario",
        "sand-supplier",
        "--seed",
        "4",
        "--first-attempt-only",
        "--db",
        url,
    )
    assert created.returncode == 0, created.stderr
    assert f"--db {url}" in created.stdout
    for name, log in (("Ann", finished_logs[4]), ("Bo", finished_logs[4])):
        done = rapport("submit", str(log), "--workshop", "pg-1", "--name", name, "--db", url)
        assert done.returncode == 0, done.stderr
    board = json.loads(
        rapport("leaderboard", "--format", "json", "--rank", "par", "--db", url).stdout
    )
    assert [(row["player"], row["seed"], row["games"]) for row in board] == [
        ("Ann", 4, 1),
        ("Bo", 4, 1),
    ]
    assert all(row["vs_par"] == row["score"] - row["par"] for row in board)
    assert "PG-1" in rapport("workshop", "list", "--db", url).stdout
    assert not any(tmp_path.glob("postgres*"))  # a URL is never a file name


def test_an_unreachable_postgres_board_is_a_clear_error(rapport: Runner, tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"postgresql://trainer:s3cret@127.0.0.1:{port}/board"
    result = rapport("leaderboard", "--db", url)
    assert result.returncode == 1
    assert "cannot connect to the PostgreSQL server" in result.stderr
    assert f"postgresql://trainer:***@127.0.0.1:{port}/board" in result.stderr
    assert "s3cret" not in result.stderr and "Traceback" not in result.stderr
