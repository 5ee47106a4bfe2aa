"""`rapport serve`: the game in web browsers, one player per browser tab.

Built on textual-serve, which runs one `rapport play` process per websocket and
relays the terminal to xterm.js in the page. This module adds what a training
room needs around it:

- every websocket session is its own player, with its own folder for saves and
  debriefs (`RAPPORT_PLAYER_HOME`), so no tab can see, continue or overwrite
  another's game;
- the websocket only accepts pages of this server (the `Origin` is checked),
  and on loopback only requests addressed to loopback (no DNS rebinding);
- beyond loopback a join code is required: it is part of the address to share,
  and every page or websocket without it is refused;
- a cap on players, with a "room full" page;
- query values and websocket messages are checked, and a bad one is answered
  with a clear error instead of crashing the player's process;
- games idle for too long are closed (the game is saved first).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hmac
import html
import ipaddress
import json
import logging
import re
import secrets
import shlex
import signal
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import WSCloseCode, WSMsgType, web
from aiohttp.web_runner import GracefulExit
from textual_serve.app_service import AppService
from textual_serve.server import Server

from game.common.paths import PLAYER_HOME
from game.workshop.header_deadline import HEADER_SECONDS, with_header_deadline

log = logging.getLogger("rapport.serve")

TEMPLATES = Path(__file__).parent / "templates"
#: Textual's web driver, ending the game (saved) if the server goes away.
WEB_DRIVER = "game.app.web_driver:RapportWebDriver"
#: A join code: letters and digits, in groups; compared without case or dashes.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud safely
JOIN_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{3,63}")
#: Terminal sizes a browser may ask for (xterm.js proposes what fits the window).
MAX_COLUMNS, MAX_ROWS = 1000, 500
MAX_MESSAGE = 256 * 1024  # a websocket message: keys and pastes are far smaller
QUIT_GRACE = 10.0  # seconds a game has to save and exit before it is killed
IDLE_CLOSE = 4000  # websocket close code (application range) for an idle game
LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def new_join_code() -> str:
    """A random join code such as `K7QP-M2XD` (40 bits: far beyond guessing over HTTP)."""
    letters = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{letters[:4]}-{letters[4:]}"


def _normal_code(code: str) -> str:
    return code.replace("-", "").upper()


def is_loopback(host: str) -> bool:
    """True for loopback addresses and names (the only binding without a join code)."""
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class RoomRules:
    """How `rapport serve` runs its room."""

    command: list[str]  # argv of each player's `rapport play`
    host: str
    port: int
    public_url: str
    players_root: Path  # one folder per player is made in here
    max_players: int = 40
    idle_minutes: float = 30.0
    join_code: str | None = None  # required on every page and websocket when set
    public_url_given: bool = False  # the page's websocket then goes there (a proxy's address)
    header_seconds: float = HEADER_SECONDS  # a request's headers must arrive within this

    def join_url(self) -> str:
        """The address to share: the public URL, with the join code if there is one."""
        base = self.public_url.rstrip("/") + "/"
        return f"{base}?code={self.join_code}" if self.join_code else base


class BadRequest(Exception):
    """A request value out of bounds: answered with 400 and this message."""


def _whole_number(query: Any, name: str, default: int, low: int, high: int) -> int:
    """The query value `name` as a number from `low` to `high`; :class:`BadRequest` if not."""
    raw = query.get(name)
    if raw is None:
        return default
    if not re.fullmatch(r"-?[0-9]{1,9}", raw) or not low <= int(raw) <= high:
        raise BadRequest(f"{name} must be a whole number from {low} to {high}, not {raw[:40]!r}")
    return int(raw)


def notice_page(status: int, title: str, message: str) -> web.Response:
    """A small, self-contained HTML page saying what is wrong."""
    heading, text = html.escape(title, quote=False), html.escape(message, quote=False)
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Rapport — {heading}</title>
<style>
body {{ background: #0c181f; color: #f2f2f2; font: 18px/1.5 system-ui, sans-serif;
       display: flex; min-height: 90vh; align-items: center; justify-content: center; }}
main {{ max-width: 34em; padding: 2em; background: #12232d; border-radius: 8px; }}
h1 {{ font-size: 1.4em; margin-top: 0; }}
</style></head>
<body><main><h1>{heading}</h1><p>{text}</p></main></body></html>
"""
    return web.Response(
        status=status,
        text=page,
        content_type="text/html",
        headers={"Cache-Control": "no-store"},
    )


class PlayerService(AppService):
    """One browser tab's game: its own `rapport play` process and player folder."""

    def __init__(self, argv: list[str], player_home: Path, **kwargs: Any) -> None:
        super().__init__(shlex.join(argv), **kwargs)
        self.argv = argv
        self.player_home = player_home

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width, height)
        environment[PLAYER_HOME] = str(self.player_home)
        environment["TEXTUAL_DRIVER"] = WEB_DRIVER
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
        """Run `rapport play` directly (no shell in between: one process per player)."""
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width=width, height=height),
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def stop(self) -> None:
        """Ask the game to quit (it saves first); kill it if it has not gone in time."""
        task, process = self._task, self._process
        if task is None:
            return
        self._task = None
        await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        await self.send_meta({"type": "quit"})
        try:
            await asyncio.wait_for(asyncio.shield(task), QUIT_GRACE)
        except TimeoutError:
            if process is not None and process.returncode is None:
                log.warning("A game did not quit in %.0f s; stopping it.", QUIT_GRACE)
                process.kill()
            await task
        if process is not None:
            await process.wait()


@dataclass(eq=False)
class Player:
    """One connected browser tab."""

    folder: Path
    websocket: web.WebSocketResponse
    service: PlayerService | None = None
    painted: bool = False  # the game has shown its first screen
    last_active: float = field(default_factory=time.monotonic)

    async def to_tab(self, data: bytes) -> None:
        """Pass the game's output on; idle time counts from the first screen."""
        if not self.painted:
            self.painted, self.last_active = True, time.monotonic()
        await self.websocket.send_bytes(data)


class RoomServer(Server):
    """textual-serve's server, with one player per tab and the checks a room needs."""

    def __init__(self, rules: RoomRules) -> None:
        super().__init__(
            shlex.join(rules.command),
            host=rules.host,
            port=rules.port,
            title="Rapport",
            public_url=rules.public_url,
            templates_path=TEMPLATES,
        )
        self.rules = rules
        self.players: set[Player] = set()
        self.starting = 0  # websockets accepted whose game is not yet counted in `players`
        self._reaper: asyncio.Task[None] | None = None
        public = urlsplit(rules.public_url)
        self._public_host = (public.hostname or "").lower()
        self._public_origin = f"{public.scheme}://{public.netloc}".lower()

    def serve(self, debug: bool = False) -> None:
        """Serve until Ctrl+C or SIGTERM, as textual-serve does, with a deadline on each
        connection's request headers (a client trickling them is cut off)."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(signal_number, self.request_exit)
        runner: web.AppRunner | None = None
        try:
            runner = loop.run_until_complete(_listen(self, loop))
            loop.run_forever()
        except (GracefulExit, KeyboardInterrupt):
            pass
        finally:
            if runner is not None:
                loop.run_until_complete(runner.cleanup())
            loop.close()

    # ------------------------------------------------------------------ the web application

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self.guard])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/ws/{code}", self.handle_websocket, name="websocket-code"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, name="static"),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    @web.middleware
    async def guard(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        """Refuse requests addressed to a foreign name; mark every answer as not frameable."""
        if self.rules.join_code is None and not self._host_allowed(request.host):
            response: web.StreamResponse = notice_page(
                403,
                "Wrong address",
                f"This Rapport server only answers on its own address ({self.rules.public_url}).",
            )
        else:
            try:
                response = await handler(request)
            except BadRequest as error:
                response = notice_page(400, "Bad request", str(error))
        if not response.prepared:
            response.headers.setdefault("X-Frame-Options", "DENY")
            response.headers.setdefault("Content-Security-Policy", "frame-ancestors 'none'")
            response.headers.setdefault("Referrer-Policy", "no-referrer")
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    def _host_allowed(self, host_header: str) -> bool:
        """On loopback: the request must be addressed to loopback or the public URL's host."""
        host = urlsplit(f"//{host_header}").hostname or ""
        return is_loopback(host) or host.lower() == self._public_host

    def _origin_allowed(self, request: web.Request) -> bool:
        """A browser's websocket must come from a page of this server."""
        origin = request.headers.get("Origin")
        if origin is None:
            return True  # not a browser: nothing to forge on a user's behalf
        origin = origin.lower()
        scheme = "https" if self._public_origin.startswith("https") else "http"
        return origin in (self._public_origin, f"{scheme}://{request.host}".lower())

    def _code_problem(self, request: web.Request) -> web.Response | None:
        """401 without the join code, 403 with a wrong one, None when it fits (or is not needed)."""
        expected = self.rules.join_code
        if expected is None:
            return None
        given = request.match_info.get("code") or request.query.get("code")
        if not given:
            return notice_page(
                401,
                "Join code needed",
                "This game needs the join code. Open the full address your trainer shared: "
                "it ends in ?code=…",
            )
        given_bytes = _normal_code(given).encode("utf-8", "replace")
        if not hmac.compare_digest(given_bytes, _normal_code(expected).encode()):
            return notice_page(
                403,
                "Wrong join code",
                "That join code is not this room's. Check the address your trainer shared.",
            )
        return None

    def _room_full(self) -> web.Response | None:
        if len(self.players) + self.starting < self.rules.max_players:
            return None
        return notice_page(
            503,
            "The room is full",
            f"All {self.rules.max_players} places in this game are taken. Ask your trainer, "
            "or try again when someone has finished.",
        )

    # ------------------------------------------------------------------ the page

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The page that opens a game, once the join code and a free place are checked."""
        font_size = _whole_number(request.query, "fontsize", 16, 6, 64)
        problem = self._code_problem(request) or self._room_full()
        if problem is not None:
            return problem
        scheme = "wss" if self._public_origin.startswith("https") else "ws"
        path = f"/ws/{self.rules.join_code}" if self.rules.join_code else "/ws"
        # The address the browser used, unless a proxy's public address was given.
        host = urlsplit(self.rules.public_url).netloc if self.rules.public_url_given else None
        static = request.app.router["static"].url_for(filename="/")
        context = {
            "font_size": font_size,
            "app_websocket_url": f"{scheme}://{host or request.host}{path}",
            "config": {"static": {"url": str(static).rstrip("/") + "/"}},
            "application": {"name": self.title},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.headers["Cache-Control"] = "no-store"
        return response

    # ------------------------------------------------------------------ the websocket

    # Refusals answer with a plain page, so this returns any StreamResponse (all an aiohttp
    # route needs; only our own routes call it), wider than textual-serve's WebSocketResponse.
    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        """One browser tab: check it, give it a player folder and a game, relay until it ends."""
        if not self._origin_allowed(request):
            log.warning("Refused a websocket from another site: %.100s", request.headers["Origin"])
            return notice_page(
                403, "Refused", "The game can only be opened from this server's own page."
            )
        problem = self._code_problem(request)
        if problem is not None:
            return problem
        width = _whole_number(request.query, "width", 80, 1, MAX_COLUMNS)
        height = _whole_number(request.query, "height", 24, 1, MAX_ROWS)
        full = self._room_full()
        if full is not None:
            return full
        self.starting += 1  # holds a place while the game starts
        starting, player = True, None
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE)
        try:
            await websocket.prepare(request)
            player = Player(self._new_player_folder(), websocket)
            player.service = PlayerService(
                self.rules.command,
                player.folder,
                write_bytes=player.to_tab,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            await player.service.start(width, height)
            self.starting, starting = self.starting - 1, False
            self.players.add(player)
            log.info("A player joined (%s); %d playing.", player.folder.name, len(self.players))
            try:
                await self._relay(player)
            finally:
                await player.service.stop()
        finally:
            if starting:
                self.starting -= 1
            elif player is not None:
                self.players.discard(player)
                log.info("A player left (%s); %d playing.", player.folder.name, len(self.players))
        return websocket

    def _new_player_folder(self) -> Path:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        folder = self.rules.players_root / f"{stamp}-{secrets.token_hex(4)}"
        folder.mkdir(mode=0o700, parents=True)
        return folder

    async def _relay(self, player: Player) -> None:
        """Pass the tab's keys, sizes and focus to its game; refuse malformed messages."""
        websocket, service = player.websocket, player.service
        assert service is not None
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                kind, data = _parse_message(message.data)
            except BadRequest as error:
                log.warning("Closed a game after a bad message: %s", error)
                await websocket.close(
                    code=WSCloseCode.POLICY_VIOLATION, message=str(error)[:120].encode()
                )
                break
            if kind == "stdin":
                player.last_active = time.monotonic()
                await service.send_bytes(data.encode("utf-8"))
            elif kind == "resize":
                await service.set_terminal_size(data["width"], data["height"])
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                player.last_active = time.monotonic()
                await service.focus()

    # ------------------------------------------------------------------ idle games

    async def on_startup(self, app: web.Application) -> None:
        self._reaper = asyncio.create_task(self._close_idle_games())
        self.console.print(
            f"Rapport is serving {self.rules.public_url} — up to {self.rules.max_players} players, "
            f"idle games closed after {self.rules.idle_minutes:g} minutes. Press Ctrl+C to stop.",
            highlight=False,
            markup=False,
        )

    async def on_shutdown(self, app: web.Application) -> None:
        if self._reaper is not None:
            self._reaper.cancel()
        await asyncio.gather(
            *(
                player.websocket.close(
                    code=WSCloseCode.GOING_AWAY,
                    message=b"The server has stopped. Your game was saved.",
                )
                for player in list(self.players)
            ),
            return_exceptions=True,
        )

    async def _close_idle_games(self) -> None:
        limit = self.rules.idle_minutes * 60
        while True:
            await asyncio.sleep(min(30.0, limit / 4))
            now = time.monotonic()
            idle = [p for p in self.players if p.painted and now - p.last_active > limit]
            for player in idle:
                log.info("Closing an idle game (%s).", player.folder.name)
                with contextlib.suppress(Exception):  # the tab may be gone already
                    await player.websocket.close(
                        code=IDLE_CLOSE,
                        message=(
                            f"Closed after {self.rules.idle_minutes:g} idle minutes. "
                            "Your game was saved."
                        ).encode()[:120],
                    )


def _parse_message(text: str) -> tuple[str, Any]:
    """The kind and data of a message from the page; :class:`BadRequest` if malformed."""
    try:
        envelope = json.loads(text)
    except ValueError:
        raise BadRequest("a message that is not JSON") from None
    if not isinstance(envelope, list) or not envelope or not isinstance(envelope[0], str):
        raise BadRequest('a message that is not ["kind", data]')
    kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
    if kind == "stdin":
        if not isinstance(data, str):
            raise BadRequest("keys that are not text")
        try:
            data.encode("utf-8")
        except UnicodeEncodeError:
            raise BadRequest("keys that are not valid Unicode text") from None
    elif kind == "resize":
        if not isinstance(data, dict):
            raise BadRequest("a resize without a size")
        for name, high in (("width", MAX_COLUMNS), ("height", MAX_ROWS)):
            value = data.get(name)
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= high:
                raise BadRequest(f"a resize with {name} {str(value)[:20]} (1 to {high})")
        data = {"width": data["width"], "height": data["height"]}
    elif kind == "ping" and (not isinstance(data, str) or len(data) > 100):
        raise BadRequest("a ping that is not short text")
    return kind, data


def serve_room(rules: RoomRules) -> None:
    """Run the room until Ctrl+C or SIGTERM."""
    rules.players_root.mkdir(mode=0o700, parents=True, exist_ok=True)
    RoomServer(rules).serve()


async def _listen(server: RoomServer, loop: asyncio.AbstractEventLoop) -> web.AppRunner:
    """Start the web application, its connections under a deadline for their headers."""
    runner = web.AppRunner(await server._make_app(), handle_signals=False)
    await runner.setup()
    factory = runner.server
    assert factory is not None
    await loop.create_server(
        with_header_deadline(factory, server.rules.header_seconds),
        server.host,
        server.port,
        reuse_address=True,
    )
    return runner
