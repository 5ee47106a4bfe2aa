"""`rapport serve`: the game in web browsers, on loopback only."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import aiohttp
import pytest

from tests.workshop.serve_harness import free_port


@pytest.fixture
def server(tmp_path: Path, rapport_home: Path):
    port = free_port()
    env = {**os.environ, "RAPPORT_HOME": str(rapport_home)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "game",
            "serve",
            "--port",
            str(port),
            "--workshop",
            "web",
            "--seed",
            "3",
            "--db",
            str(tmp_path / "web.db"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url, timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise AssertionError(process.stdout.read() if process.stdout else "") from None
            time.sleep(0.2)
    yield url, port
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def test_the_page_loads_and_points_at_the_game(server) -> None:
    url, port = server
    with urllib.request.urlopen(url, timeout=5) as response:
        assert response.status == 200
        page = response.read().decode()
    assert "Rapport" in page
    assert f"ws://127.0.0.1:{port}/ws" in page


def test_a_browser_session_starts_the_game(server) -> None:
    url, _port = server

    async def first_screen() -> str:
        received = ""
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(url.replace("http", "ws") + "/ws?width=100&height=30") as ws,
        ):
            await ws.send_json(["resize", {"width": 100, "height": 30}])
            deadline = time.monotonic() + 30
            while "Same Sand" not in received and time.monotonic() < deadline:
                message = await ws.receive(timeout=30)
                if message.type == aiohttp.WSMsgType.BINARY:
                    received += message.data.decode("utf-8", "replace")
                elif message.type == aiohttp.WSMsgType.TEXT:
                    received += message.data
                else:
                    break
        return received

    assert "Same Sand" in asyncio.run(first_screen())


def test_serve_refuses_a_broken_scenario_before_listening(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("rapport: 1\n")
    result = subprocess.run(
        [sys.executable, "-m", "game", "serve", "--scenario", str(bad), "--port", str(free_port())],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1 and "missing required field" in result.stderr


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


async def _browse(url: str, debug_port: int, screenshot: Path | None) -> str:
    """Drive the browser through the DevTools protocol until the game has painted."""
    async with aiohttp.ClientSession() as session:
        deadline = time.monotonic() + 30
        while True:
            pages = []
            with contextlib.suppress(aiohttp.ClientError):  # not listening yet: try again
                async with session.get(f"http://127.0.0.1:{debug_port}/json/list") as response:
                    pages = [p for p in await response.json() if p.get("type") == "page"]
            if pages:
                break
            if time.monotonic() > deadline:
                raise AssertionError("Chromium's DevTools never came up")
            await asyncio.sleep(0.2)
        async with session.ws_connect(pages[0]["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            ids = iter(range(1, 10_000))

            async def call(method: str, **params: object) -> dict:
                number = next(ids)
                await ws.send_json({"id": number, "method": method, "params": params})
                while True:
                    reply = await ws.receive_json(timeout=30)
                    if reply.get("id") == number:
                        return reply.get("result", {})

            await call("Page.navigate", url=url)
            classes = ""
            deadline = time.monotonic() + 40
            while "-first-byte" not in classes and time.monotonic() < deadline:
                await asyncio.sleep(0.5)
                result = await call("Runtime.evaluate", expression="document.body.className")
                classes = result.get("result", {}).get("value", "")
            if screenshot is not None:
                await asyncio.sleep(1.5)
                shot = await call("Page.captureScreenshot", format="png")
                screenshot.write_bytes(base64.b64decode(shot["data"]))
            return classes


@pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (Debian: apt-get install chromium)"
)
def test_headless_chromium_shows_the_first_screen(server, tmp_path: Path) -> None:
    """A real browser loads the page, connects, and receives the game's first screen.

    The page adds `-first-byte` to its body's classes once the game's output
    arrives. Every host but loopback resolves to nowhere, so the browser sends
    nothing off this machine (the page asks for a web font).
    """
    url, _port = server
    debug_port = free_port()
    browser = subprocess.Popen(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tempfile.mkdtemp(prefix='rapport-chromium-')}",
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
            "--window-size=1280,800",
            f"--remote-debugging-port={debug_port}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        shot = Path(os.environ.get("RAPPORT_BROWSER_SHOT", tmp_path / "browser.png"))
        classes = asyncio.run(_browse(url, debug_port, shot))
    finally:
        browser.kill()
        browser.wait()
    assert "-first-byte" in classes.split(), classes
