"""Autosaves and finished run logs in the user data folder.

A save is a run log (see `game.engine.runlog`) written atomically, plus where
its scenario file lives. A save that cannot be read, or no longer matches its
scenario, is moved aside under a new name and reported: it is never
overwritten and never crashes the app.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from game.engine.runlog import RunLog
from game.errors import UserError
from game.files import read_bytes_limited, write_text_atomic

AUTOSAVE = "autosave.json"
MAX_SAVE_BYTES = 10 * 1024 * 1024
#: A temporary file this old was left by a killed process (a write takes milliseconds).
ORPHAN_AGE = 10 * 60
SCENARIO_SUFFIXES = (".yaml", ".yml")
PLAYER_HOME = "RAPPORT_PLAYER_HOME"


def player_dir() -> Path:
    """One player's folder for saves and exported debriefs.

    `RAPPORT_PLAYER_HOME` overrides it (`rapport serve` gives each browser tab
    its own); otherwise it is the user data folder. Scenarios and the
    leaderboard stay in the user data folder, shared.
    """
    override = os.environ.get(PLAYER_HOME)
    if override:
        return Path(override)
    from game.scenario.catalog import user_data_dir

    return user_data_dir()


class SaveError(UserError):
    """A save that could not be used; `kept_at` is where it was moved, unharmed."""

    def __init__(self, message: str, kept_at: Path | None = None) -> None:
        super().__init__(message)
        self.kept_at = kept_at


@dataclass(frozen=True)
class Save:
    log: RunLog
    scenario_path: str | None


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")


class SaveStore:
    """The saves folder: one autosave of the unfinished game, and finished runs."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @property
    def autosave_path(self) -> Path:
        return self.folder / AUTOSAVE

    @property
    def runs_folder(self) -> Path:
        return self.folder / "runs"

    def write_autosave(self, log: RunLog, scenario_path: str | None) -> None:
        """Replace the autosave with `log`, atomically."""
        data = log.to_dict() | {"scenario_path": scenario_path}
        write_text_atomic(self.autosave_path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")

    def has_autosave(self) -> bool:
        return self.autosave_path.is_file()

    def read_autosave(self) -> Save | None:
        """The unfinished game, or None. A corrupt save is moved aside: :class:`SaveError`."""
        path = self.autosave_path
        if not path.exists():
            return None
        try:
            raw = read_bytes_limited(path, MAX_SAVE_BYTES, "a save")
            log = RunLog.from_json(raw)
            scenario_path = _scenario_path(json.loads(raw).get("scenario_path"))
        except (UserError, ValueError, RecursionError) as error:  # RunLogError is both
            kept = self.set_aside("corrupt")
            raise SaveError(
                f"the saved game {path} could not be read ({error}); it was kept as {kept}", kept
            ) from None
        return Save(log, scenario_path)

    def remove_orphans(self, older_than: float = ORPHAN_AGE) -> list[Path]:
        """Delete temporary files that killed writes left behind; return them.

        Only files named as :func:`write_text_atomic` names them, and only old
        ones: a fresh one may belong to another Rapport writing right now.
        """
        removed = []
        cutoff = time.time() - older_than
        for folder in (self.folder, self.runs_folder):
            if not folder.is_dir():
                continue
            for path in folder.glob(".*.tmp"):
                try:
                    if path.is_file() and path.stat().st_mtime < cutoff:
                        path.unlink()
                        removed.append(path)
                except OSError:  # gone already, or not ours to delete: leave it
                    continue
        return removed

    def set_aside(self, why: str) -> Path:
        """Move the autosave to a new name (never deleting it); return where it went."""
        target = self.folder / f"autosave.{why}-{_stamp()}.json"
        self.autosave_path.replace(target)
        return target

    def finish(self, log: RunLog) -> Path:
        """Archive a finished game's run log and clear the autosave; return the archive path."""
        name = f"{log.scenario}-seed{log.seed}-{_stamp()}.json"
        path = self.runs_folder / name
        write_text_atomic(path, log.to_json())
        self.autosave_path.unlink(missing_ok=True)
        return path


def _scenario_path(value: object) -> str | None:
    """A save's scenario file: a .yaml path, or None; anything else makes the save unusable."""
    if value is None:
        return None
    if (
        not isinstance(value, str)
        or not value.lower().endswith(SCENARIO_SUFFIXES)
        or not value.isprintable()
    ):
        raise UserError('"scenario_path" is not the path of a .yaml scenario file')
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise UserError('"scenario_path" is not valid Unicode text') from None
    return value
