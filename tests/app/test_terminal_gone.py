"""A game whose terminal goes away without a hang-up signal ends, saved, instead of
spinning (a game started in its own session, as a process manager or `setsid` does)."""

from __future__ import annotations

import fcntl
import json
import os
import select
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from game.app.terminal import terminal_gone

WAIT = 60  # seconds: a bound for anything to happen, never a measurement
LOOKS = 300  # reads of the terminal (each waits up to 0.2 s) before a screen is missed


def _has_terminals() -> bool:
    """Whether this system can open pseudo-terminals (a container may have none)."""
    try:
        master, slave = os.openpty()
    except (AttributeError, OSError):
        return False
    os.close(master)
    os.close(slave)
    return True


pytestmark = pytest.mark.skipif(not _has_terminals(), reason="no pseudo-terminals here")


def test_a_hung_up_terminal_is_seen_as_gone() -> None:
    master, slave = os.openpty()
    try:
        assert not terminal_gone(slave)
        os.close(master)
        assert terminal_gone(slave)
    finally:
        os.close(slave)


def _read_until(master: int, text: bytes, seen: bytes = b"") -> bytes:
    """Read the terminal until it shows `text`; fail after a generous number of looks."""
    for _ in range(LOOKS):
        if text in seen:
            return seen
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            seen += os.read(master, 1 << 16)
    raise AssertionError(f"never showed {text!r}: {seen[-300:]!r}")


def test_the_game_ends_saved_when_its_terminal_goes(rapport_home: Path) -> None:
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    env = {**os.environ, "RAPPORT_HOME": str(rapport_home), "TERM": "xterm-256color"}
    game = subprocess.Popen(
        [sys.executable, "-m", "game", "play", "sand-supplier", "--seed", "3", "--name", "Kim"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,  # no controlling terminal: no hang-up signal will come
    )
    os.close(slave)
    try:
        seen = _read_until(master, b"Start")
        os.write(master, b"\r")
        seen = _read_until(master, b"time left", seen)
        os.write(master, b"1")
        _read_until(master, b"5/6h", seen)
        os.close(master)  # the terminal goes away
        assert game.wait(timeout=WAIT) == 0
    finally:
        if game.poll() is None:
            game.kill()
            game.wait()
    (save,) = rapport_home.glob("saves/autosaves/*.json")
    saved = json.loads(save.read_text())
    assert saved["player"] == "Kim" and len(saved["choices"]) == 1
