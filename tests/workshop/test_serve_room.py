"""`rapport serve` for a room: one player per tab, checked requests, a cap, a join code.

Every test runs the real server in a subprocess and talks to it over HTTP
and real websockets, as the page's script does.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import aiohttp
import pytest

from tests.workshop.serve_harness import (
    WAIT,
    children,
    descendants,
    free_port,
    get,
    handshake,
    handshake_status,
    process_name,
    serving,
    tab,
)


@pytest.mark.parametrize("start", ["warm", "cold"])
def test_two_tabs_never_share_a_save(tmp_path: Path, rapport_home: Path, start: str) -> None:
    """Alice's game is saved in her tab's folder; Bob's tab neither sees nor continues it;
    whether the games are forked from the warm parent or started as new processes."""

    async def play() -> tuple[str, str]:
        async with (
            aiohttp.ClientSession() as session,
            tab(session, room.url + "/ws?width=100&height=30") as alice,
            tab(session, room.url + "/ws?width=100&height=30") as bob,
        ):
            await alice.wait_for("Same Sand")
            await bob.wait_for("Same Sand")
            await alice.keys("Alice\r")
            await alice.wait_for("time left")  # the main screen: the game has started and saved
            await bob.open_picker()
            await alice.open_picker()
            below = children(room.process.pid)  # the warm parent, or the two games
            assert [process_name(p) for p in below] == (
                ["rapport-warm"] if start == "warm" else ["python", "python"]
            )
            return alice.text, bob.text

    options = ["--seed", "3"] + (["--no-warm"] if start == "cold" else [])
    with serving(rapport_home, tmp_path, *options) as room:
        alice_screen, bob_screen = asyncio.run(play())
        root = room.players_root(rapport_home)
    assert "Continue: Same Sand" in alice_screen  # Alice is offered her own game…
    assert "Continue" not in bob_screen  # …and Bob is not
    folders = sorted(p for p in root.iterdir())
    assert len(folders) == 2
    saves = [json.loads(p.read_text()) for p in root.glob("*/saves/autosaves/*.json")]
    assert [s["player"] for s in saves] == ["Alice"]
    assert not (rapport_home / "saves").exists()  # nothing in the server's own folder


def test_a_websocket_from_another_site_is_refused(tmp_path: Path, rapport_home: Path) -> None:
    with serving(rapport_home, tmp_path) as room:
        ws = room.url + "/ws"
        assert handshake_status(ws, Origin="http://evil.example") == 403
        assert handshake_status(ws, Origin="null") == 403
        # the server's own page is welcome, by either of its loopback names
        assert handshake_status(ws, Origin=room.url) == 101
        localhost = room.url.replace("127.0.0.1", "localhost")
        assert handshake_status(ws, Origin=localhost, Host=localhost.split("//")[1]) == 101
        # a page on another name resolving here (DNS rebinding) gets nothing at all
        status, page = get(room.url + "/", Host="evil.example")
        assert status == 403 and "only answers on its own address" in page
        assert "Refused a websocket from another site: http://evil.example" in room.console()


def test_bad_query_values_get_a_clear_400(tmp_path: Path, rapport_home: Path) -> None:
    with serving(rapport_home, tmp_path) as room:
        for query in ("width=-5&height=-5", "width=abc", "height=99999999999", "width=1e3"):
            assert handshake_status(f"{room.url}/ws?{query}") == 400, query
        status, page = get(room.url + "/ws?width=-5&height=-5")
        assert status == 400 and "width must be a whole number from 1 to 1000" in page
        status, page = get(room.url + "/?fontsize=-5")
        assert status == 400 and "fontsize must be a whole number from 6 to 64" in page
        assert "Traceback" not in room.console()


def test_a_malformed_message_closes_that_game_with_a_reason(
    tmp_path: Path, rapport_home: Path
) -> None:
    async def send(message: str) -> aiohttp.WSMessage:
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(room.url.replace("http", "ws") + "/ws") as websocket,
        ):
            await websocket.send_str(message)
            while True:
                reply = await websocket.receive(timeout=WAIT)
                if reply.type not in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT):
                    return reply

    with serving(rapport_home, tmp_path) as room:
        closed = asyncio.run(send('["resize", {"width": -5, "height": -5}]'))
        assert closed.data == aiohttp.WSCloseCode.POLICY_VIOLATION
        assert "a resize with width -5" in closed.extra
        closed = asyncio.run(send("not json"))
        assert "not JSON" in closed.extra
        assert "Traceback" not in room.console()


def test_join_code_is_required_beyond_loopback(tmp_path: Path, rapport_home: Path) -> None:
    """Bound to every address, the server makes up a code and refuses whoever lacks it."""
    with serving(rapport_home, tmp_path, host="0.0.0.0") as room:
        printed = re.search(r"Players open: (\S+)\?code=([A-Z0-9-]+)", room.console())
        assert printed is not None, room.console()
        code = printed[2]
        status, page = get(room.url + "/")
        assert status == 401 and "needs the join code" in page
        status, page = get(room.url + "/?code=WRONG-CODE")
        assert status == 403 and "not this room's" in page
        assert handshake_status(room.url + "/ws") == 401
        assert handshake_status(room.url + "/ws/WRONG-CODE") == 403
        status, page = get(f"{room.url}/?code={code.lower()}")  # case does not matter
        assert status == 200 and f"ws://127.0.0.1:{room.url.rsplit(':', 1)[1]}/ws/{code}" in page
        assert handshake_status(f"{room.url}/ws/{code}") == 101


def test_a_given_join_code_is_required_on_loopback_too(tmp_path: Path, rapport_home: Path) -> None:
    with serving(rapport_home, tmp_path, "--join-code", "ROOM-42") as room:
        assert "Players open: http://127.0.0.1:" in room.console()
        assert get(room.url + "/")[0] == 401
        assert get(room.url + "/?code=room-42")[0] == 200
        assert handshake_status(room.url + "/ws?code=ROOM-42") == 101


def test_the_room_is_full_beyond_max_players(tmp_path: Path, rapport_home: Path) -> None:
    async def crowd() -> tuple[tuple[int, str], int]:
        async with aiohttp.ClientSession() as session, tab(session, room.url + "/ws") as first:
            await first.wait_for("Same Sand")
            return get(room.url + "/"), await handshake(room.url + "/ws")

    with serving(rapport_home, tmp_path, "--max-players", "1") as room:
        (status, page), second = asyncio.run(crowd())
        assert status == 503 and second == 503
        assert "The room is full" in page and "All 1 places in this game are taken" in page
        deadline = time.monotonic() + WAIT
        while "A player left" not in room.console() and time.monotonic() < deadline:
            time.sleep(0.1)  # the first player's game is closing
        assert get(room.url + "/")[0] == 200  # a place is free again


def test_an_idle_game_is_closed_and_saved(tmp_path: Path, rapport_home: Path) -> None:
    async def idle() -> aiohttp.WSMessage:
        async with aiohttp.ClientSession() as session, tab(session, room.url + "/ws") as player:
            await player.wait_for("Same Sand")
            await player.keys("Ida\r")
            await player.wait_for("time left")
            await player.keys("1")  # a one-hour call: saved only when the game closes
            await player.wait_for("5/6h")
            while True:  # nobody touches the game any more
                message = await player.websocket.receive(timeout=WAIT)
                if message.type not in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT):
                    return message

    with serving(rapport_home, tmp_path, "--seed", "3", "--idle-minutes", "0.05") as room:
        closed = asyncio.run(idle())
        root = room.players_root(rapport_home)
        deadline = time.monotonic() + WAIT
        while "A player left" not in room.console() and time.monotonic() < deadline:
            time.sleep(0.1)
    assert closed.data == 4000
    assert closed.extra == "Closed after 0.05 idle minutes. Your game was saved."
    (save,) = root.glob("*/saves/autosaves/*.json")
    saved = json.loads(save.read_text())
    assert saved["player"] == "Ida" and len(saved["choices"]) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--seed", str(2**63)), "9223372036854775808 is out of range"),
        (("--join-code", "a b"), "--join-code"),
        (("--public-url", "example.org"), "must start with http:// or https://"),
        (("--max-players", "0"), "--max-players"),
        (("--idle-minutes", "0"), "--idle-minutes"),
        (("--lang", "../fr"), "not a language code"),
    ],
)
def test_serve_refuses_bad_options(rapport, args: tuple[str, ...], message: str) -> None:
    result = rapport("serve", "--port", str(free_port()), *args)
    assert result.returncode == 2 and message in result.stderr


def test_behind_a_proxy_the_page_connects_to_the_public_address(
    tmp_path: Path, rapport_home: Path
) -> None:
    public = "https://rapport.example.org"
    with serving(rapport_home, tmp_path, "--public-url", public) as room:
        status, page = get(room.url + "/")
        assert status == 200 and 'data-session-websocket-url="wss://rapport.example.org/ws"' in page
        assert handshake_status(room.url + "/ws", Origin=public) == 101
        assert handshake_status(room.url + "/ws", Origin="https://evil.example.org") == 403


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_a_killed_server_leaves_no_game_running_and_every_game_saved(
    tmp_path: Path, rapport_home: Path
) -> None:
    async def play_then_kill() -> list[int]:
        async with aiohttp.ClientSession() as session, tab(session, room.url + "/ws") as player:
            await player.wait_for("Same Sand")
            await player.keys("Kim\r")
            await player.wait_for("time left")
            assert "6/6h" in player.text  # the time left this turn
            await player.keys("1")  # a one-hour call: not saved until the turn or the game ends
            await player.wait_for("5/6h")
            games = descendants(room.process.pid)
            room.process.kill()
            return games

    with serving(rapport_home, tmp_path, "--seed", "3") as room:
        games = asyncio.run(play_then_kill())
        root = room.players_root(rapport_home)
    # The warm parent and the one game forked from it.
    assert [process_name(pid) for pid in games] == ["rapport-warm", "rapport-game"]
    deadline = time.monotonic() + WAIT
    while any(Path(f"/proc/{pid}").exists() for pid in games) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(Path(f"/proc/{pid}").exists() for pid in games)  # the game has ended…
    (save,) = root.glob("*/saves/autosaves/*.json")
    saved = json.loads(save.read_text())
    assert saved["player"] == "Kim" and len(saved["choices"]) == 1  # …and saved its move


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


async def in_browser(url: str, debug_port: int) -> tuple[str, str]:
    """Open `url` in the browser; return the page's classes once the game has closed, and
    the message the "Session ended" dialog shows."""
    async with aiohttp.ClientSession() as session:
        deadline = time.monotonic() + WAIT
        pages: list[dict] = []
        while not pages:
            with contextlib.suppress(aiohttp.ClientError):  # not listening yet: try again
                async with session.get(f"http://127.0.0.1:{debug_port}/json/list") as response:
                    pages = [p for p in await response.json() if p.get("type") == "page"]
            assert time.monotonic() < deadline, "Chromium's DevTools never came up"
            await asyncio.sleep(0.2)
        async with session.ws_connect(pages[0]["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            ids = iter(range(1, 10_000))

            async def evaluate(expression: str) -> str:
                number = next(ids)
                params = {"expression": expression}
                await ws.send_json({"id": number, "method": "Runtime.evaluate", "params": params})
                while True:
                    reply = await ws.receive_json(timeout=WAIT)
                    if reply.get("id") == number:
                        return str(reply.get("result", {}).get("result", {}).get("value", ""))

            await ws.send_json({"id": 0, "method": "Page.navigate", "params": {"url": url}})
            classes = ""
            while "-closed" not in classes.split():
                assert time.monotonic() < deadline, classes
                await asyncio.sleep(0.3)
                classes = await evaluate("document.body.className")
            message = await evaluate(
                "document.querySelector('.closed-dialog .message').textContent"
            )
            return classes, message


@pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (Debian: apt-get install chromium)"
)
def test_a_browser_joins_with_the_code_and_is_told_why_its_game_closed(
    tmp_path: Path, rapport_home: Path
) -> None:
    """The real page: the join code in the address opens the game; an idle game closes
    with the server's reason in the page's dialog. The browser reaches nothing but
    this machine."""
    debug_port = free_port()
    args = ("--join-code", "ROOM-42", "--idle-minutes", "0.05")
    with serving(rapport_home, tmp_path, *args) as room:
        browser = subprocess.Popen(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={tempfile.mkdtemp(prefix='rapport-chromium-')}",
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
                f"--remote-debugging-port={debug_port}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            classes, message = asyncio.run(in_browser(room.url + "/?code=room-42", debug_port))
        finally:
            browser.kill()
            browser.wait()
    assert "-first-byte" in classes.split()  # the game was shown before it closed
    assert message == "Closed after 0.05 idle minutes. Your game was saved."


def test_a_client_trickling_its_headers_is_cut_off(tmp_path: Path, rapport_home: Path) -> None:
    """A connection whose request headers do not all arrive in time is closed; a normal
    request on the same server is answered."""
    with serving(rapport_home, tmp_path, "--header-timeout", "1") as room:
        port = int(room.url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as slow:
            slow.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            closed = False
            deadline = time.monotonic() + WAIT  # a bound, not a measurement
            while time.monotonic() < deadline:
                try:
                    slow.sendall(b"X")  # one more byte of a header that never ends
                    slow.settimeout(0.3)
                    if slow.recv(1024) == b"":
                        closed = True
                        break
                except TimeoutError:
                    continue
                except OSError:
                    closed = True
                    break
            assert closed, "the server kept a trickling connection open"
        status, _body = get(room.url + "/static/css/xterm.css")
        assert status == 200


def test_serve_refuses_a_missing_translation_before_listening(rapport) -> None:
    result = rapport("serve", "--port", str(free_port()), "--scenario", "tutorial", "--lang", "de")
    assert result.returncode == 1 and "no 'de' translation of tutorial" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_tab_plays_the_translation_the_room_was_started_with(
    tmp_path: Path, rapport_home: Path, rapport
) -> None:
    """`serve --lang` hands the language to each game (forked from the warm process)."""
    from game.common import i18n
    from game.scenario.catalog import load_bundled

    po = rapport_home / "scenarios" / "tutorial.qps.po"
    po.parent.mkdir(parents=True, exist_ok=True)
    made = rapport("strings", "export", "tutorial", "--lang", "qps", "-o", str(po))
    assert made.returncode == 0, made.stderr
    title = i18n.pseudo(load_bundled("tutorial").scenario.title)

    async def open_tab() -> str:
        async with aiohttp.ClientSession() as session, tab(session, room.url + "/ws") as player:
            await player.wait_for(title.split(":")[0])  # the briefing, in the translation
            return player.text

    with serving(rapport_home, tmp_path, "--scenario", "tutorial", "--lang", "qps") as room:
        shown = asyncio.run(open_tab())
    assert "Tutorial" not in shown
