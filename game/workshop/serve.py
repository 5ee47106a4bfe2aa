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
import json
import logging
import secrets
import shlex
import signal
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import WSCloseCode, WSMsgType, web
from aiohttp.web_runner import GracefulExit
from textual_serve.server import Server

from game.workshop.header_deadline import with_header_deadline
from game.workshop.player_service import Player, PlayerService, game_environment
from game.workshop.serve_rules import (
    IDLE_CLOSE,
    MAX_COLUMNS,
    MAX_MESSAGE,
    MAX_ROWS,
    TEMPLATES,
    BadRequest,
    RoomRules,
    is_loopback,
    normal_code,
    notice_page,
    whole_number,
)
from game.workshop.warm_games import WarmGames, warmable

log = logging.getLogger("rapport.serve")


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
        self.warm: WarmGames | None = None
        if rules.warm and warmable(rules.command):
            self.warm = WarmGames(rules.command, game_environment())
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
            log.info("The room is closing: every game is saved as it stops.")
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
        given_bytes = normal_code(given).encode("utf-8", "replace")
        if not hmac.compare_digest(given_bytes, normal_code(expected).encode()):
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
        font_size = whole_number(request.query, "fontsize", 16, 6, 64)
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
        width = whole_number(request.query, "width", 80, 1, MAX_COLUMNS)
        height = whole_number(request.query, "height", 24, 1, MAX_ROWS)
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
                self.warm,
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
        if self.warm is not None:
            await self.warm.start()
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
        if self.warm is not None:
            await self.warm.close()

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
