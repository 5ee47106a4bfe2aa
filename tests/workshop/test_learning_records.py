"""Learning records in a real LRS (Ralph): a game's xAPI statements read back, the same
statements exported from the board, and a game played while the LRS is down delivered
once it is back, exactly once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from game.workshop.board import open_board
from tests.conftest import Runner
from tests.workshop.ralph import credentials_env, free_port, running_ralph

SCENARIO = "tutorial"
TURNS = 5
ADL = "http://adlnet.gov/expapi/verbs/"
#: Enough "answer, end the turn" lines for the whole game, then the debrief's questions.
GAME_INPUT = "1\n1\n1\ne\n" * (TURNS + 2) + "It was about trust.\nCall earlier.\n"


def _play(home: Path, board: Path, endpoint: str, workshop: str, name: str) -> str:
    env = {**os.environ, "RAPPORT_HOME": str(home), "NO_COLOR": "1", **credentials_env()}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "game",
            "play",
            "--plain",
            "--workshop",
            workshop,
            "--name",
            name,
            "--db",
            str(board),
            "--lrs",
            endpoint,
        ],
        input=GAME_INPUT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    assert "Workshop " in done.stdout and " is number 1 of 1" in done.stdout, done.stdout[-800:]
    return done.stderr


def test_a_games_statements_reach_a_real_lrs_and_match_the_export(
    rapport: Runner, tmp_path: Path
) -> None:
    board = tmp_path / "board.db"
    created = rapport("workshop", "create", "XAPI-1", "--scenario", SCENARIO, "--db", str(board))
    assert created.returncode == 0, created.stderr  # a hidden seed
    with running_ralph(tmp_path / "ralph") as ralph:
        _play(tmp_path / "ada", board, ralph.endpoint, "XAPI-1", "Ada Lovelace")
        held = ralph.statements()
        with open_board(board) as store:
            (entry,) = store.entries(workshop="XAPI-1")
            seed = store.workshop("XAPI-1").seed

        verbs = [s["verb"]["id"].removeprefix(ADL) for s in held]
        assert verbs.count("launched") == 1 and verbs.count("completed") == 1
        assert verbs.count("progressed") == TURNS
        assert len({s["id"] for s in held}) == len(held)
        assert {s["context"]["registration"] for s in held} == {held[0]["context"]["registration"]}
        assert {s["actor"]["name"] for s in held} == {"Ada Lovelace"}
        (completed,) = [s for s in held if s["verb"]["id"] == ADL + "completed"]
        result = completed["result"]
        assert result["completion"] is True
        assert result["score"]["raw"] == entry.score
        assert result["score"]["scaled"] == pytest.approx(entry.score / 1000)
        extensions = result["extensions"]
        assert [v for k, v in extensions.items() if k.endswith("/par")] == [entry.par]
        turns = sorted(
            s["result"]["extensions"][k]
            for s in held
            if s["verb"]["id"] == ADL + "progressed"
            for k in s["result"]["extensions"]
            if k.endswith("/turn")
        )
        assert turns == list(range(1, TURNS + 1))
        text = json.dumps(held)
        assert f'"seed": {seed}' not in text and "test-password" not in text

        # The export holds the same statements (same ids), and sending it adds nothing.
        exported = tmp_path / "xapi.json"
        done = rapport(
            "workshop",
            "export",
            "XAPI-1",
            "--format",
            "xapi",
            "-o",
            str(exported),
            "--db",
            str(board),
        )
        assert done.returncode == 0, done.stderr
        statements = json.loads(exported.read_text())
        assert {s["id"] for s in statements} == {s["id"] for s in held}
        env = {**os.environ, **credentials_env(), "RAPPORT_HOME": str(tmp_path / "trainer")}
        sent = subprocess.run(
            [sys.executable, "-m", "game", "lrs", "send", str(exported), "--lrs", ralph.endpoint],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert sent.returncode == 0, sent.stderr
        assert "0 statements sent; 0 waiting" in sent.stdout
        assert len(ralph.statements()) == len(held)


def test_statements_wait_while_the_lrs_is_down_and_are_delivered_exactly_once(
    rapport: Runner, tmp_path: Path
) -> None:
    board = tmp_path / "board.db"
    rapport("workshop", "create", "XAPI-2", "--scenario", SCENARIO, "--db", str(board))
    port = free_port()  # nothing listens here yet
    endpoint = f"http://127.0.0.1:{port}/xAPI"
    home = tmp_path / "bo"
    told = _play(home, board, endpoint, "XAPI-2", "Bo")
    assert "learning records wait to be sent" in told and "cannot be reached" in told
    queued = list((home / "lrs-queue").glob("*/pending/*.json"))
    verbs = [json.loads(path.read_text())["verb"]["id"] for path in queued]
    assert verbs.count(ADL + "launched") == verbs.count(ADL + "completed") == 1
    assert verbs.count(ADL + "progressed") == TURNS  # and one per person lost, if any
    env = {**os.environ, "RAPPORT_HOME": str(home), **credentials_env()}

    def send() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "game", "lrs", "send", "--lrs", endpoint],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    still_down = send()
    assert (
        still_down.returncode == 1
        and f"0 statements sent; {len(queued)} waiting" in still_down.stdout
    )
    with running_ralph(tmp_path / "ralph", port) as ralph:
        # The next game on this machine sends what waited, with its own statements.
        _play(home, board, endpoint, "XAPI-2", "Bo")
        assert not list((home / "lrs-queue").glob("*/pending/*.json"))
        again = send()
        assert again.returncode == 0 and "0 statements sent; 0 waiting" in again.stdout
        held = ralph.statements()
    ids = [s["id"] for s in held]
    assert len(ids) == len(set(ids))  # none twice
    assert {p.stem for p in queued} <= set(ids)  # none lost
    assert [s["verb"]["id"] for s in held].count(ADL + "completed") == 2


def test_rapport_lrs_send_delivers_what_waited_exactly_once(
    rapport: Runner, tmp_path: Path
) -> None:
    board = tmp_path / "board.db"
    rapport("workshop", "create", "XAPI-3", "--scenario", SCENARIO, "--db", str(board))
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}/xAPI"
    home = tmp_path / "cy"
    _play(home, board, endpoint, "XAPI-3", "Cy")
    queued = list((home / "lrs-queue").glob("*/pending/*.json"))
    env = {**os.environ, "RAPPORT_HOME": str(home), **credentials_env()}

    def send() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "game", "lrs", "send", "--lrs", endpoint],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    with running_ralph(tmp_path / "ralph", port) as ralph:
        first = send()
        assert first.returncode == 0, first.stderr
        assert f"{len(queued)} statements sent; 0 waiting" in first.stdout
        again = send()
        assert "0 statements sent; 0 waiting" in again.stdout
        held = ralph.statements()
    assert sorted(s["id"] for s in held) == sorted(p.stem for p in queued)


def test_an_lrs_address_with_credentials_in_it_is_refused(rapport: Runner) -> None:
    done = rapport("play", "tutorial", "--plain", "--lrs", "https://user:pw@lrs.example.com/xAPI")
    assert done.returncode == 1
    assert "must not hold a user name or password" in done.stderr
    assert "pw@" not in done.stderr and "Traceback" not in done.stderr
    bad = rapport("lrs", "send", "--lrs", "ftp://lrs.example.com")
    assert bad.returncode == 1 and "must be the LRS's xAPI address" in bad.stderr


def test_a_statement_the_lrs_refuses_is_kept_aside_and_the_rest_go(
    tmp_path: Path, monkeypatch
) -> None:
    from game.bots import make_bot, play
    from game.engine import Game
    from game.scenario.catalog import load_bundled
    from game.workshop.lrs import Lrs, StatementQueue
    from game.workshop.xapi import Learner, statements

    for key, value in credentials_env().items():
        monkeypatch.setenv(key, value)
    loaded = load_bundled(SCENARIO)
    game = play(Game(loaded.scenario, 3, scenario_hash=loaded.content_hash), make_bot("idle"))
    good = statements(game, game.run_log(), Learner("Cy"))
    assert [s["id"] for s in good] == [
        s["id"] for s in statements(game, game.run_log(), Learner("Cy"))
    ]
    broken = dict(good[0], id="00000000-0000-4000-8000-000000000000", verb={"display": {}})
    with running_ralph(tmp_path / "ralph") as ralph:
        queue = StatementQueue(Lrs.from_url(ralph.endpoint), tmp_path / "queue")
        assert queue.put([broken, *good]) == len(good) + 1
        assert queue.put(good) == 0  # already waiting
        done = queue.flush()
        assert (done.sent, done.waiting) == (len(good), 0)
        assert done.problem is not None and "answered 422" in done.problem
        assert [p.name for p in (tmp_path / "queue" / "pending").glob("*.refused")] == [
            f"{broken['id']}.refused"
        ]
        assert queue.put(good) == 0  # sent: never queued again
        assert sorted(s["id"] for s in ralph.statements()) == sorted(s["id"] for s in good)
