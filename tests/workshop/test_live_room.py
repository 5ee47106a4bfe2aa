"""The live room with real processes: two trainees' games in progress (plain mode, each
in its own process and user folder), and the trainer's commands on the same board."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from game.engine import RunLog, replay
from game.scenario.catalog import load_bundled
from game.workshop.board import open_board
from tests.conftest import Runner
from tests.workshop.conftest import BACKENDS

WORKSHOP = "ROOM-1"
SCENARIO = "loyalty-giveaway"
SEED = 7
WAIT = 60.0


class Trainee:
    """A `rapport play --plain --workshop` process, typed into like a person would."""

    def __init__(self, name: str, home: Path, board: Path | str) -> None:
        self.name = name
        self.output = ""
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "game",
                "play",
                "--plain",
                "--workshop",
                WORKSHOP,
                "--name",
                name,
                "--db",
                str(board),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env={**os.environ, "RAPPORT_HOME": str(home), "NO_COLOR": "1"},
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        while chunk := os.read(self.process.stdout.fileno(), 65536):
            self.output += chunk.decode("utf-8", "replace")

    def end_turn(self) -> None:
        """Answer any waiting events with their first answer, then end the turn (a number
        with no event waiting is only told it is not a move)."""
        assert self.process.stdin is not None
        self.process.stdin.write(b"1\n1\n1\ne\n")
        self.process.stdin.flush()

    def wait_for(self, text: str) -> None:
        deadline = time.monotonic() + WAIT
        while text not in self.output:
            assert time.monotonic() < deadline, (
                f"{self.name} never printed {text!r}; the last lines:\n{self.output[-1500:]}"
            )
            time.sleep(0.05)

    def stop(self) -> int:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
        return self.process.wait(timeout=WAIT)


def _status(rapport: Runner, board: Path | str) -> dict:
    done = rapport("workshop", "status", WORKSHOP, "--json", "--db", str(board))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _turns(rapport: Runner, board: Path | str) -> dict[str, int]:
    return {row["player"]: row["turn"] for row in _status(rapport, board)["players"]}


def _wait_turns(rapport: Runner, board: Path | str, expected: dict[str, int]) -> None:
    deadline = time.monotonic() + WAIT
    while (turns := _turns(rapport, board)) != expected:
        assert time.monotonic() < deadline, f"turns are {turns}, expected {expected}"
        time.sleep(0.1)


@pytest.mark.parametrize("board_location", BACKENDS, indirect=True)
def test_a_trainer_follows_pauses_steers_and_ends_a_room_of_real_games(
    rapport: Runner, board_location: Path | str, tmp_path: Path
) -> None:
    board = board_location
    created = rapport(
        "workshop",
        "create",
        WORKSHOP,
        "--scenario",
        SCENARIO,
        "--seed",
        str(SEED),
        "--db",
        str(board),
    )
    assert created.returncode == 0, created.stderr
    ada = Trainee("Ada", tmp_path / "ada", board)
    bo = Trainee("Bo", tmp_path / "bo", board)
    try:
        # Both games show in the room at their turns, with par so far and idle time.
        ada.end_turn()
        ada.end_turn()
        bo.end_turn()
        _wait_turns(rapport, board, {"Ada": 3, "Bo": 2})
        room = _status(rapport, board)
        assert room["paused"] is False and room["ended"] is False
        for row in room["players"]:
            assert row["status"] == "playing"
            assert row["par"] is not None and row["vs_par"] == row["score"] - row["par"]
            assert 0 <= row["company_loyalty"] <= 1 and row["idle_seconds"] >= 0

        # Paused, a turn does not end, and the game says why; resumed, it does.
        assert rapport("workshop", "pause", WORKSHOP, "--db", str(board)).returncode == 0
        assert _status(rapport, board)["paused"] is True
        ada.end_turn()
        ada.wait_for("paused the room")
        time.sleep(1.5)
        assert _turns(rapport, board)["Ada"] == 3
        assert rapport("workshop", "resume", WORKSHOP, "--db", str(board)).returncode == 0
        _wait_turns(rapport, board, {"Ada": 4, "Bo": 2})
        ada.wait_for("resumed the room")

        # An event put in fires in both games as their next turn begins, and replays.
        injected = rapport("workshop", "inject", WORKSHOP, "resignation", "--db", str(board))
        assert injected.returncode == 0, injected.stderr
        ada.end_turn()
        bo.end_turn()
        _wait_turns(rapport, board, {"Ada": 5, "Bo": 3})
        ada.wait_for("Vince resigns (put into the game by your trainer)")
        bo.wait_for("Vince resigns (put into the game by your trainer)")
        loaded = load_bundled(SCENARIO)
        with open_board(board) as store:
            games = {game.player: game for game in store.live_games(WORKSHOP)}
        for player, turn in (("Ada", 5), ("Bo", 3)):
            log = RunLog.from_json(games[player].run_log)
            assert [(i.id, i.event, i.turn) for i in log.injected] == [(1, "resignation", turn)]
            replayed = replay(loaded.scenario, log)
            assert replayed.events_fired["resignation"] == turn

        # Ending the round scores both games as they stand, marked unfinished.
        ended = rapport("workshop", "end", WORKSHOP, "--yes", "--db", str(board))
        assert ended.returncode == 0, ended.stderr
        assert "Ada:" in ended.stdout and "Bo:" in ended.stdout
        assert {row["status"] for row in _status(rapport, board)["players"]} == {"ended"}
        standings = json.loads(
            rapport(
                "leaderboard", "--workshop", WORKSHOP, "--format", "json", "--db", str(board)
            ).stdout
        )
        assert {row["player"]: row["finished"] for row in standings} == {"Ada": False, "Bo": False}
        with open_board(board) as store:
            entries = {entry.player: entry for entry in store.entries(workshop=WORKSHOP)}
        for player in ("Ada", "Bo"):
            log = RunLog.from_json(entries[player].run_log)
            assert entries[player].score == replay(loaded.scenario, log).score().total
        # The games hear it at their next turn's end, say so, and stop.
        ada.end_turn()
        bo.end_turn()
        ada.wait_for("Your trainer ended the round")
        bo.wait_for("Your trainer ended the round")
        assert ada.stop() == 0 and bo.stop() == 0
    finally:
        for trainee in (ada, bo):
            if trainee.process.poll() is None:
                trainee.process.kill()


def test_the_room_commands_refuse_what_cannot_be_done(rapport: Runner, tmp_path: Path) -> None:
    board = str(tmp_path / "board.db")
    rapport("workshop", "create", WORKSHOP, "--scenario", SCENARIO, "--db", board)
    unknown = rapport("workshop", "inject", WORKSHOP, "no_such_event", "--db", board)
    assert unknown.returncode == 1
    assert "'no_such_event' is not an event of loyalty-giveaway" in unknown.stderr
    assert "resignation" in unknown.stderr and "Traceback" not in unknown.stderr
    empty = _status(rapport, board)
    assert empty["players"] == [] and empty["scenario"] == SCENARIO
    assert (
        "No game has started yet" in rapport("workshop", "status", WORKSHOP, "--db", board).stdout
    )
    asked = rapport("workshop", "end", WORKSHOP, "--db", board)  # no terminal to confirm on
    assert asked.returncode == 1 and not _status(rapport, board)["ended"]
    assert rapport("workshop", "end", WORKSHOP, "--yes", "--db", board).returncode == 0
    late = rapport("workshop", "pause", WORKSHOP, "--db", board)
    assert late.returncode == 1 and "has ended" in late.stderr


def test_the_console_opens_in_a_browser_behind_its_own_code(
    rapport: Runner, tmp_path: Path
) -> None:
    import asyncio
    import re
    import urllib.error
    import urllib.request

    import aiohttp

    from tests.workshop.serve_harness import free_port

    board = str(tmp_path / "board.db")
    rapport("workshop", "create", WORKSHOP, "--scenario", SCENARIO, "--db", board)
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "game",
            "workshop",
            "run",
            WORKSHOP,
            "--browser",
            "--port",
            str(port),
            "--db",
            board,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "NO_COLOR": "1"},
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        found = re.search(r"(http://127\.0\.0\.1:\d+/\?code=\S+)", line)
        assert found, line
        url = found.group(1)
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url, timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline
                time.sleep(0.2)
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url.split("?")[0], timeout=5)
        assert refused.value.code == 401
        code = url.split("code=")[1]

        async def first_screen() -> str:
            received = ""
            socket_url = f"ws://127.0.0.1:{port}/ws/{code}?width=100&height=30"
            async with aiohttp.ClientSession() as session, session.ws_connect(socket_url) as ws:
                await ws.send_json(["resize", {"width": 100, "height": 30}])
                deadline = time.monotonic() + 30
                while "facilitator" not in received and time.monotonic() < deadline:
                    message = await ws.receive(timeout=30)
                    if message.type == aiohttp.WSMsgType.BINARY:
                        received += message.data.decode("utf-8", "replace")
                    elif message.type == aiohttp.WSMsgType.TEXT:
                        received += message.data
                    else:
                        break
            return received

        assert "facilitator" in asyncio.run(first_screen())
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def test_a_code_that_names_no_workshop_is_said_so(rapport: Runner, tmp_path: Path) -> None:
    board = str(tmp_path / "board.db")
    for command in (("status", "TYPO"), ("pause", "TYPO"), ("end", "TYPO", "--yes")):
        done = rapport("workshop", *command, "--db", board)
        assert done.returncode == 1, done.stdout
        assert "no workshop TYPO on" in done.stderr and "Traceback" not in done.stderr
