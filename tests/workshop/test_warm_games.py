"""Games forked from a warm parent (`rapport serve`'s default where `fork` exists):
real processes on real pipes, their ends reported, a dead parent survived."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from game.workshop.player_service import game_environment
from game.workshop.warm_games import ORPHAN_CODE, WarmGames, warmable

pytestmark = pytest.mark.skipif(
    not warmable([sys.executable, "-m", "game"]), reason="no fork on this system"
)

COMMAND = [sys.executable, "-m", "game", "play", "sand-supplier", "--seed", "3"]
WAIT = 60  # seconds: a bound for anything to happen, never a measurement


def parent_of(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


async def painted(stdout: asyncio.StreamReader, text: str) -> None:
    """Read the web driver's packets until the screen shows `text`."""
    seen = ""
    while text not in seen:
        kind, size = await stdout.readexactly(1), await stdout.readexactly(4)
        payload = await stdout.readexactly(int.from_bytes(size, "big"))
        if kind == b"D":
            seen = seen[-200:] + payload.decode("utf-8", "replace")


async def started(tmp_path: Path) -> WarmGames:
    warm = WarmGames(COMMAND, game_environment())
    await warm.start()
    return warm


def test_only_python_m_game_commands_start_warm() -> None:
    assert warmable(COMMAND)
    assert not warmable(["rapport", "play"])
    assert not warmable([sys.executable, "-m", "other"])


async def test_a_forked_game_runs_the_command_and_reports_its_end(tmp_path: Path) -> None:
    warm = await started(tmp_path)
    try:
        game = await warm.spawn(["--version"], game_environment())
        assert game is not None and warm.alive
        assert parent_of(warm._process.pid) == os.getpid()  # type: ignore[union-attr]
        output = await asyncio.wait_for(game.stdout.read(), WAIT)
        assert output == b"rapport 0.1.0\n"
        assert await asyncio.wait_for(game.wait(), WAIT) == 0
        assert game.returncode == 0
        # A usage error comes back on the game's own error stream, with click's exit code.
        wrong = await warm.spawn(["play", "--no-such-option"], game_environment())
        assert wrong is not None
        assert b"No such option" in await asyncio.wait_for(wrong.stderr.read(), WAIT)
        assert await asyncio.wait_for(wrong.wait(), WAIT) == 2
    finally:
        await warm.close()


async def test_a_web_game_runs_in_the_child_and_quits_when_its_input_closes(
    tmp_path: Path,
) -> None:
    """(That each tab's game keeps its saves in its own folder is tested through `serve`.)"""
    warm = await started(tmp_path)
    try:
        game = await warm.spawn(COMMAND[3:], game_environment(123, 45, player_home=tmp_path))
        assert game is not None
        first = await asyncio.wait_for(game.stdout.readline(), WAIT)
        assert first == b"__GANGLION__\n"  # Textual's web driver has started, in the child
        assert parent_of(game.pid) == warm._process.pid  # type: ignore[union-attr]
        await asyncio.wait_for(painted(game.stdout, "Same Sand"), WAIT)  # the briefing
        game.stdin.close()  # the server goes away: the game quits
        code = await asyncio.wait_for(game.wait(), WAIT)
        assert code == 0, (await game.stderr.read()).decode()
    finally:
        await warm.close()


async def test_kill_stops_a_game_and_its_end_is_reported(tmp_path: Path) -> None:
    warm = await started(tmp_path)
    try:
        game = await warm.spawn(COMMAND[3:], game_environment(player_home=tmp_path))
        assert game is not None
        await asyncio.wait_for(game.stdout.readline(), WAIT)
        assert game.returncode is None
        game.kill()
        assert await asyncio.wait_for(game.wait(), WAIT) == -signal.SIGKILL
    finally:
        await warm.close()


async def test_when_the_parent_dies_games_go_on_and_new_ones_start_cold(tmp_path: Path) -> None:
    warm = await started(tmp_path)
    try:
        game = await warm.spawn(COMMAND[3:], game_environment(player_home=tmp_path))
        assert game is not None
        await asyncio.wait_for(game.stdout.readline(), WAIT)
        warm._process.kill()  # type: ignore[union-attr]
        for _ in range(WAIT * 10):
            if not warm.alive:
                break
            await asyncio.sleep(0.1)
        assert not warm.alive
        assert await warm.spawn(["--version"], game_environment()) is None  # start it cold
        assert game.returncode is None  # the orphaned game still runs…
        game.stdin.close()
        assert await asyncio.wait_for(game.wait(), WAIT) == ORPHAN_CODE  # …until it quits
    finally:
        await warm.close()


async def test_a_tab_closed_while_its_game_starts_ends_that_game_cleanly(tmp_path: Path) -> None:
    """Closed at any moment of the start (here, at a spread of moments in its first
    tenth of a second), the game exits with 0: no screen half mounted when it goes."""
    warm = await started(tmp_path)
    try:
        codes = []
        for moment in range(12):
            game = await warm.spawn(COMMAND[3:], game_environment(player_home=tmp_path))
            assert game is not None
            await asyncio.wait_for(game.stdout.readline(), WAIT)
            await asyncio.sleep(moment * 0.01)
            game.stdin.close()
            code = await asyncio.wait_for(game.wait(), WAIT)
            codes.append((moment, code, (await game.stderr.read())[-300:]))
        assert [c for c in codes if c[1] != 0] == []
    finally:
        await warm.close()
