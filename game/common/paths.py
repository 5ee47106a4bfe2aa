"""Where Rapport keeps the user's files: one module, so every front end agrees.

| path | what |
|---|---|
| `user_data_dir()` | the platform's user data folder for Rapport (`RAPPORT_HOME` overrides) |
| `user_scenario_dir()` | the user's own scenarios |
| `leaderboard_file()` | the default leaderboard (SQLite) |
| `serve_dir()` | `rapport serve`'s per-tab player folders |
| `player_dir()` | one player's saves, debriefs and settings (`RAPPORT_PLAYER_HOME` overrides) |
| `saves_dir()`, `debriefs_dir()` | inside the player's folder |
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "rapport"
#: Overrides the user data folder (tests, portable installs).
HOME = "RAPPORT_HOME"
#: Overrides one player's folder (`rapport serve` gives each browser tab its own).
PLAYER_HOME = "RAPPORT_PLAYER_HOME"


def user_data_dir() -> Path:
    """Rapport's folder for saves, scenarios and the leaderboard (`RAPPORT_HOME` overrides)."""
    override = os.environ.get(HOME)
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def user_scenario_dir() -> Path:
    """The user's own scenario folder."""
    return user_data_dir() / "scenarios"


def leaderboard_file() -> Path:
    """The leaderboard file in the user data folder."""
    return user_data_dir() / "leaderboard.db"


def serve_dir() -> Path:
    """Where `rapport serve` keeps each browser tab's player folder."""
    return user_data_dir() / "serve"


def player_dir() -> Path:
    """One player's folder for saves, exported debriefs and settings.

    `RAPPORT_PLAYER_HOME` overrides it (`rapport serve` gives each browser tab
    its own); otherwise it is the user data folder. Scenarios and the
    leaderboard stay in the user data folder, shared.
    """
    override = os.environ.get(PLAYER_HOME)
    return Path(override) if override else user_data_dir()


def saves_dir() -> Path:
    """The player's saved games."""
    return player_dir() / "saves"


def debriefs_dir() -> Path:
    """The player's exported debriefs."""
    return player_dir() / "debriefs"
