"""`rapport submit` and `rapport leaderboard`, as real subprocesses."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.cli.conftest import Runner
from tests.workshop.conftest import edited


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
    for result in (refused, bad_code, broken):
        assert "Traceback" not in result.stderr
    empty = rapport("leaderboard", "--db", db)
    assert empty.returncode == 0 and "No scores yet." in empty.stdout


def test_the_default_database_lives_in_the_user_data_folder(
    rapport: Runner, rapport_home: Path, finished_logs
) -> None:
    assert rapport("submit", str(finished_logs[2]), "--workshop", "w").returncode == 0
    assert (rapport_home / "leaderboard.db").exists()
    assert "Seed 2" in rapport("leaderboard").stdout
