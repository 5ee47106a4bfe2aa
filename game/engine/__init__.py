"""The Rapport engine: a pure, deterministic state machine over a scenario.

No Textual, no I/O. Every front end (the Textual app, the command line, the
bots) uses this API; see `docs/engine.md`.

The names below load on first use, so a front end that only needs a light
module (`game.engine.choices`, `game.engine.runlog`) does not pay for networkx
and the rules before its first screen.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from game.engine.board_view import BoardView
    from game.engine.choices import END, Choice, InvalidChoice
    from game.engine.game import TIMELINE_METRICS, Game, StepResult
    from game.engine.replaying import ReplayError, replay, replay_prefix
    from game.engine.runlog import Injected, RunLog, RunLogError
    from game.engine.state import DefectionRecord, LogEntry

#: Where each public name lives.
_HOMES = {
    "BoardView": "board_view",
    "END": "choices",
    "Choice": "choices",
    "InvalidChoice": "choices",
    "TIMELINE_METRICS": "game",
    "Game": "game",
    "StepResult": "game",
    "ReplayError": "replaying",
    "replay": "replaying",
    "replay_prefix": "replaying",
    "Injected": "runlog",
    "RunLog": "runlog",
    "RunLogError": "runlog",
    "DefectionRecord": "state",
    "LogEntry": "state",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"game.engine.{home}"), name)
    globals()[name] = value
    return value


__all__ = [
    "END",
    "TIMELINE_METRICS",
    "BoardView",
    "Choice",
    "DefectionRecord",
    "Game",
    "Injected",
    "InvalidChoice",
    "LogEntry",
    "ReplayError",
    "RunLog",
    "RunLogError",
    "StepResult",
    "replay",
    "replay_prefix",
]
