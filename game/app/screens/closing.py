"""Closing a screen exactly once.

Keys typed faster than a screen closes all reach that screen. Textual's
`dismiss` and `pop_screen` remove whatever screen is on top, so without a check
the second of two quick presses would close the screen underneath as well (an
answered event taking the game screen with it, leaving a blank terminal).
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen


def dismiss_once(screen: Screen[Any], result: Any = None) -> None:
    """Dismiss `screen` with `result` if it is still the screen on top."""
    if screen.is_active:
        screen.dismiss(result)


def pop_once(screen: Screen[Any]) -> None:
    """Pop `screen` off the stack if it is still the screen on top."""
    if screen.is_active:
        screen.app.pop_screen()
