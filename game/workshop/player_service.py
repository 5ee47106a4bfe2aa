"""One browser tab's game: the `rapport play` process textual-serve runs for a
websocket, in the player's own folder, and what the room keeps about it."""

from __future__ import annotations

import asyncio
import logging
import shlex
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web
from textual_serve.app_service import AppService

from game.common.paths import PLAYER_HOME
from game.workshop.serve_rules import QUIT_GRACE, WEB_DRIVER

log = logging.getLogger("rapport.serve")


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
