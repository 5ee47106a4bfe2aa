"""Helpers for driving the real Textual app headless with Pilot."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

from rich.console import Console
from textual.app import App
from textual.pilot import Pilot

from game.app.app import RapportApp
from game.app.widgets.relationship_map import RelationshipMap


async def settle(pilot: Pilot, app: RapportApp) -> None:
    """Let workers finish and the screen repaint."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def until(pilot: Pilot, app: App, condition, what: str, looks: int = 200) -> None:
    """Let the app work (its workers, its timers) until `condition()` holds; fail naming
    `what` and showing the screen after a generous number of looks, never on a clock."""
    for _ in range(looks):
        await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        if condition():
            await pilot.pause()
            return
    raise AssertionError(f"{what}: {screen_text(app)[-1500:]}")


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


def slot(home: Path, scenario_id: str) -> Path:
    """Where the unfinished game of one scenario is saved."""
    return home / "saves" / "autosaves" / f"{scenario_id}.json"


def footer_keys(app: RapportApp) -> dict[str, str]:
    """The key → description pairs the footer of the current screen shows."""
    return {
        key: active.binding.description
        for key, active in app.screen.active_bindings.items()
        if active.binding.show and active.enabled
    }


def map_text(app: RapportApp) -> str:
    """The relationship map as plain text."""
    console = Console(width=160, file=io.StringIO(), record=True)
    console.print(app.screen.query_one(RelationshipMap).content)
    return console.export_text()


async def play_and_quit(app: RapportApp, keys: list[str], size=(100, 32)) -> None:
    """Start the game on the briefing, press `keys`, quit with ctrl+q and y."""
    async with app.run_test(size=size) as pilot:
        await open_game(pilot, app)
        for key in keys:
            await pilot.press(key)
            await settle(pilot, app)
        await pilot.press("ctrl+q", "y")
        await pilot.pause()
