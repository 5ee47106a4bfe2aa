"""The player's settings (for now, the theme) in a small JSON file in their folder.

No Textual here. A settings file that cannot be read gives a one-line warning
naming the file and the problem, and the defaults; it is never deleted, and it
is moved aside (kept) before new settings are written in its place.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from game.common.errors import UserError
from game.common.files import read_bytes_limited, write_text_atomic
from game.common.paths import player_dir

SETTINGS_FILE = "settings.json"
MAX_SETTINGS_BYTES = 64 * 1024


class Settings(BaseModel):
    """What the player chose; settings this version does not know are kept as they are."""

    model_config = ConfigDict(extra="allow")

    theme: str | None = None


def settings_path() -> Path:
    """The player's settings file (beside their saves)."""
    return player_dir() / SETTINGS_FILE


def load_settings(path: Path | None = None) -> tuple[Settings, str | None]:
    """The settings, and None; or the defaults and a one-line warning naming the file."""
    path = path or settings_path()
    if not path.exists():
        return Settings(), None
    try:
        return Settings.model_validate(_read_json(path)), None
    except UserError as error:
        problem = str(error).removeprefix(f"{path}: ")
    except ValidationError as error:
        problem = _first_problem(error)
    return Settings(), f"Settings not read from {path}: {problem}. Using the defaults."


def save_settings(settings: Settings, path: Path | None = None) -> Path | None:
    """Write `settings`; an unreadable file there is first moved aside (returned)."""
    path = path or settings_path()
    kept = None
    if path.exists() and load_settings(path)[1] is not None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        kept = path.with_name(f"{path.stem}.unreadable-{stamp}{path.suffix}")
        path.replace(kept)
    write_text_atomic(path, settings.model_dump_json(indent=1, exclude_none=True) + "\n")
    return kept


def _read_json(path: Path) -> object:
    """The JSON value in `path`; :class:`UserError` saying what is wrong with it."""
    raw = read_bytes_limited(path, MAX_SETTINGS_BYTES, "a settings file")
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise UserError("the file is not valid UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise UserError(
            f"not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    except RecursionError:
        raise UserError("not valid JSON: it nests too deeply") from None


def _first_problem(error: ValidationError) -> str:
    """The first validation problem as `"field": message` (or the message alone)."""
    first = error.errors(include_url=False)[0]
    where = ".".join(str(part) for part in first["loc"])
    if not where:
        return 'expected a JSON object, such as {"theme": "textual-dark"}'
    return f'"{where}": {first["msg"]}'
