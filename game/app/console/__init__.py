"""`rapport workshop run CODE`: the facilitator's console (see `console_app`)."""

from game.app.console.console_app import ConsoleApp

__all__ = ["ConsoleApp"]
