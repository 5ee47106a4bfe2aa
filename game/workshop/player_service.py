"""One browser tab's game: the `rapport play` process textual-serve runs for a
websocket, in the player's own folder, and what the room keeps about it."""

from __future__ import annotations

import asyncio
import logging
import os
import shlex
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

from aiohttp import web
from textual_serve.app_service import AppService

from game.common.paths import PLAYER_HOME
from game.workshop.serve_rules import QUIT_GRACE, WEB_DRIVER
from game.workshop.warm_games import WarmGames, WarmProcess

log = logging.getLogger("rapport.serve")


def game_environment(
    width: int = 80, height: int = 24, debug: bool = False, player_home: Path | None = None
) -> dict[str, str]:
    """The environment of a game: the server's, with Textual's web driver, the
    terminal's size and (for a player's game) the player's own folder."""
    environment = dict(os.environ)
    environment.update(
        TEXTUAL_DRIVER=WEB_DRIVER,
        TEXTUAL_FPS="60",
        TEXTUAL_COLOR_SYSTEM="truecolor",
        TERM_PROGRAM="textual",
        TERM_PROGRAM_VERSION=version("textual-serve"),
        COLUMNS=str(width),
        ROWS=str(height),
    )
    if debug:
        environment.update(TEXTUAL="debug,devtools", TEXTUAL_LOG="textual.log")
    if player_home is not None:
        environment[PLAYER_HOME] = str(player_home)
    return environment


class PlayerService(AppService):
    """One browser tab's game: its own `rapport play` process and player folder."""

    def __init__(
        self, argv: list[str], player_home: Path, warm: WarmGames | None = None, **kwargs: Any
    ) -> None:
        super().__init__(shlex.join(argv), **kwargs)
        self.argv = argv
        self.player_home = player_home
        self.warm = warm

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        return game_environment(width, height, self.debug, self.player_home)

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
        """Fork the game from the warm parent, or else run `rapport play` directly (no
        shell in between: one process per player)."""
        environment = self._build_environment(width=width, height=height)
        process: WarmProcess | asyncio.subprocess.Process | None = None
        if self.warm is not None:
            process = await self.warm.spawn(self.argv[3:], environment)
        if process is None:
            process = await asyncio.create_subprocess_exec(
                *self.argv,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                env=environment,
            )
        self._process = process  # type: ignore[assignment]  # a WarmProcess quacks the same
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
