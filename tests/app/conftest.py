"""Helpers for driving the real Textual app headless with Pilot."""

from __future__ import annotations

import html
import re

from textual.app import App
from textual.pilot import Pilot

from game.app.app import RapportApp


async def settle(pilot: Pilot, app: RapportApp) -> None:
    """Let workers finish and the screen repaint."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def open_game(pilot: Pilot, app: RapportApp) -> None:
    """From start-up to the main screen: wait for loading, press Start on the briefing."""
    await settle(pilot, app)
    await pilot.press("enter")
    await settle(pilot, app)


def screen_text(app: App) -> str:
    """The visible text of the current screen, from an SVG screenshot."""
    svg = app.export_screenshot()
    rows = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    return html.unescape("".join(rows)).replace("\xa0", " ")
