"""Helpers for driving the real Textual app headless with Pilot."""

from __future__ import annotations

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
