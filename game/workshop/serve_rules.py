"""What a served room is made of: its rules (command, address, join code, caps),
join codes and loopback addresses, and the plain pages it answers with."""

from __future__ import annotations

import html
import ipaddress
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web

from game.workshop.header_deadline import HEADER_SECONDS

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


def normal_code(code: str) -> str:
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
    warm: bool = True  # fork games from a parent that has loaded the game, where possible

    def join_url(self) -> str:
        """The address to share: the public URL, with the join code if there is one."""
        base = self.public_url.rstrip("/") + "/"
        return f"{base}?code={self.join_code}" if self.join_code else base


class BadRequest(Exception):
    """A request value out of bounds: answered with 400 and this message."""


def whole_number(query: Any, name: str, default: int, low: int, high: int) -> int:
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
