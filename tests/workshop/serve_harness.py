"""Running `rapport serve` in tests: the server in a subprocess on a free port, and
browser tabs as real websockets speaking the page's protocol."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp

WAIT = 60  # seconds: an upper bound for anything to happen, never a measurement


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Room:
    url: str  # where this test reaches the server (always loopback)
    output: Path  # the server's console
    process: subprocess.Popen

    def console(self) -> str:
        return self.output.read_text(errors="replace")

    def players_root(self, home: Path) -> Path:
        (root,) = (home / "serve").iterdir()
        return root


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError, ValueError, IndexError):
            stat = (entry / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def descendants(pid: int) -> list[int]:
    """Every process below `pid`: the warm parent and the games forked from it, or the
    games started cold."""
    found = children(pid)
    return found + [grandchild for child in found for grandchild in descendants(child)]


def process_name(pid: int) -> str:
    """The name `ps` and `top` show (the warm parent and its games name themselves)."""
    name = Path(f"/proc/{pid}/comm").read_text().strip()
    return "python" if name.startswith("python") else name


@contextlib.contextmanager
def serving(home: Path, tmp_path: Path, *args: str, host: str = "127.0.0.1") -> Iterator[Room]:
    """`rapport serve ARGS` on a free port, until the block ends."""
    port = free_port()
    output = tmp_path / f"serve-{port}.log"
    env = {**os.environ, "RAPPORT_HOME": str(home)}
    env.pop("RAPPORT_PLAYER_HOME", None)
    with output.open("w") as console:
        process = subprocess.Popen(
            [sys.executable, "-m", "game", "serve", "--host", host, "--port", str(port), *args],
            stdout=console,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
        )
    room = Room(f"http://127.0.0.1:{port}", output, process)
    deadline = time.monotonic() + WAIT
    try:
        while True:
            try:
                urllib.request.urlopen(room.url + "/static/css/xterm.css", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise AssertionError(room.console()) from None
                time.sleep(0.1)
        yield room
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def get(url: str, **headers: str) -> tuple[int, str]:
    """Status and body of a GET, whatever the status."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class Tab:
    """One browser tab's websocket: what the game painted, and keys to send."""

    def __init__(self, websocket: aiohttp.ClientWebSocketResponse) -> None:
        self.websocket = websocket
        self.text = ""

    async def wait_for(self, needle: str) -> None:
        while needle not in self.text:
            message = await self.websocket.receive(timeout=WAIT)
            if message.type == aiohttp.WSMsgType.BINARY:
                self.text += message.data.decode("utf-8", "replace")
            elif message.type != aiohttp.WSMsgType.TEXT:
                raise AssertionError(f"the game closed before showing {needle!r}: {message}")

    async def keys(self, keys: str) -> None:
        await self.websocket.send_json(["stdin", keys])

    async def open_picker(self) -> None:
        """The command palette's "new game": the list of scenarios (and Continue)."""
        self.text = ""
        await self.keys("\x10")  # ctrl+p
        await self.wait_for("Search for commands")
        await self.keys("new game")
        await self.wait_for("Choose a scenario to play")
        await self.keys("\r")
        await self.wait_for("The Second Sale")  # the last scenario in the list


@contextlib.asynccontextmanager
async def tab(session: aiohttp.ClientSession, url: str) -> Tab:
    async with session.ws_connect(url.replace("http", "ws", 1)) as websocket:
        yield Tab(websocket)


async def handshake(url: str, **headers: str) -> int:
    """The HTTP status a websocket handshake is refused with (101 if it is accepted)."""
    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(url.replace("http", "ws", 1), headers=headers):
                return 101
        except aiohttp.WSServerHandshakeError as error:
            return error.status


def handshake_status(url: str, **headers: str) -> int:
    return asyncio.run(handshake(url, **headers))
