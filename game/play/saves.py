"""Autosaves and finished run logs in the user data folder.

Each scenario keeps at most one unfinished game: a run log (see
`game.engine.runlog`) written atomically to `autosaves/SCENARIO-ID.json`, plus
where its scenario file lives. Older Rapports kept a single `autosave.json`;
it is still read, and moved to its scenario's place once it resumes. A save
that cannot be read, or no longer matches its scenario, is moved aside under a
new name and reported: it is never overwritten and never crashes the app.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from dataclasses import dataclass, replace
from pathlib import Path

from game.common.errors import UserError
from game.common.files import read_bytes_limited, write_text_atomic
from game.engine.choices import END
from game.engine.runlog import SCENARIO_ID, RunLog, RunLogError

AUTOSAVES = "autosaves"
#: The single save of Rapports before one save per scenario.
LEGACY_AUTOSAVE = "autosave.json"
MAX_SAVE_BYTES = 10 * 1024 * 1024
#: A temporary file this old was left by a killed process (a write takes milliseconds).
ORPHAN_AGE = 10 * 60
SCENARIO_SUFFIXES = (".yaml", ".yml")


class SaveError(UserError):
    """A save that could not be used; `kept_at` is where it was moved, unharmed."""

    def __init__(self, message: str, kept_at: Path | None = None) -> None:
        super().__init__(message)
        self.kept_at = kept_at


@dataclass(frozen=True)
class Save:
    """An unfinished game as saved: its run log, its scenario file, its file and when."""

    log: RunLog
    scenario_path: str | None
    path: Path
    saved_at: dt.datetime

    @property
    def turn(self) -> int:
        """The turn the game was saved in (every turn but the last ends with "end")."""
        return 1 + self.log.choices.count(END)


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")


class SaveStore:
    """The saves folder: one autosave per scenario with an unfinished game, and finished runs."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @property
    def autosaves_folder(self) -> Path:
        return self.folder / AUTOSAVES

    @property
    def legacy_path(self) -> Path:
        """Where Rapports before one save per scenario kept their only save."""
        return self.folder / LEGACY_AUTOSAVE

    @property
    def runs_folder(self) -> Path:
        return self.folder / "runs"

    def autosave_path(self, scenario_id: str) -> Path:
        """The save of the unfinished game of `scenario_id`."""
        if not SCENARIO_ID.fullmatch(scenario_id):
            raise ValueError(f"{scenario_id[:80]!r} is not a scenario id")
        return self.autosaves_folder / f"{scenario_id}.json"

    def write_autosave(self, log: RunLog, scenario_path: str | None) -> None:
        """Replace the autosave of `log`'s scenario with `log`, atomically."""
        data = log.to_dict() | {"scenario_path": scenario_path}
        text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
        write_text_atomic(self.autosave_path(log.scenario), text)

    def read_autosave(self, scenario_id: str) -> Save | None:
        """The unfinished game of `scenario_id`, or None; :class:`SaveError` if unreadable.

        The old single save counts if it holds a game of this scenario.
        """
        path = self.autosave_path(scenario_id)
        if path.exists():
            return self.read(path)
        if self.legacy_path.exists():
            save = self.read(self.legacy_path)
            return save if save.log.scenario == scenario_id else None
        return None

    def unfinished(self) -> tuple[list[Save], list[SaveError]]:
        """Every unfinished game, newest first, and the saves that could not be read.

        Each unreadable save has been moved aside, kept whole; its error says where.
        """
        saves: list[Save] = []
        problems: list[SaveError] = []
        paths = self._slot_paths()
        if self.legacy_path.exists():
            paths.append(self.legacy_path)
        for path in paths:
            try:
                saves.append(self.read(path))
            except SaveError as error:
                problems.append(error)
        saves, superseded = _one_per_scenario(saves)
        for old in superseded:
            kept = self.set_aside(old.path, "superseded")
            problems.append(
                SaveError(
                    f"the older saved game of '{old.log.scenario}' in {old.path} was kept as "
                    f"{kept}; the newer one is the one to continue",
                    kept,
                )
            )
        return sorted(saves, key=lambda save: save.saved_at, reverse=True), problems

    def _slot_paths(self) -> list[Path]:
        folder = self.autosaves_folder
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.glob("*.json") if SCENARIO_ID.fullmatch(p.stem))

    def read(self, path: Path) -> Save:
        """The save at `path`. A corrupt one is moved aside: :class:`SaveError` says where."""
        try:
            raw = read_bytes_limited(path, MAX_SAVE_BYTES, "a save")
            log = RunLog.from_json(raw)
            scenario_path = _scenario_path(json.loads(raw).get("scenario_path"))
            if path != self.legacy_path and log.scenario != path.stem:
                raise UserError(f"it holds a game of '{log.scenario}', not of '{path.stem}'")
            saved_at = dt.datetime.fromtimestamp(path.stat().st_mtime)
        except (UserError, ValueError, RecursionError, OSError) as error:
            kept = self.set_aside(path, "corrupt")
            raise SaveError(
                f"the saved game {path} could not be read ({error}); it was kept as {kept}", kept
            ) from None
        return Save(log, scenario_path, path, saved_at)

    def adopt(self, save: Save) -> Save:
        """Move a save from the old single file to its scenario's place (if that is free)."""
        target = self.autosave_path(save.log.scenario)
        if save.path != self.legacy_path or target.exists():
            return save
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(save.path, target)
        return replace(save, path=target)

    def remove_orphans(self, older_than: float = ORPHAN_AGE) -> list[Path]:
        """Delete temporary files that killed writes left behind; return them.

        Only files named as :func:`write_text_atomic` names them, and only old
        ones: a fresh one may belong to another Rapport writing right now.
        """
        removed = []
        cutoff = time.time() - older_than
        for folder in (self.folder, self.autosaves_folder, self.runs_folder):
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

    def set_aside(self, path: Path, why: str) -> Path:
        """Move the save at `path` to a new name beside it; return where it is now.

        Nothing is ever deleted: a file that cannot be moved stays where it is.
        """
        target = path.with_name(f"{path.stem}.{why}-{_stamp()}{path.suffix}")
        try:
            path.replace(target)
        except OSError:
            return path
        return target

    def finish(self, log: RunLog) -> Path:
        """Archive a finished game's run log and clear its autosave; return the archive path."""
        name = f"{log.scenario}-seed{log.seed}-{_stamp()}.json"
        path = self.runs_folder / name
        write_text_atomic(path, log.to_json())
        self.autosave_path(log.scenario).unlink(missing_ok=True)
        return path


def _one_per_scenario(saves: list[Save]) -> tuple[list[Save], list[Save]]:
    """The newest save of each scenario, and the older ones (only the old single save can
    be one: it and a scenario's own save hold games of the same scenario)."""
    newest: dict[str, Save] = {}
    older: list[Save] = []
    for save in sorted(saves, key=lambda s: s.saved_at, reverse=True):
        if save.log.scenario in newest:
            older.append(save)
        else:
            newest[save.log.scenario] = save
    return list(newest.values()), older


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


def default_saves() -> SaveStore:
    """The player's saves folder, cleared of temporary files that killed writes left."""
    from game.common.paths import saves_dir

    saves = SaveStore(saves_dir())
    saves.remove_orphans()
    return saves


def unfinished_summary(saves: SaveStore, scenario_id: str, turns: int) -> str | None:
    """Who played the saved unfinished game of `scenario_id`, how far and when (for the
    question before a new game replaces it); None if there is none. Raises
    :class:`SaveError` for a corrupt save (moved aside and kept: nothing to replace)."""
    from game.common.names import clean_player_name
    from game.play.listing import saved_when

    save = saves.read_autosave(scenario_id)
    if save is None:
        return None
    player = clean_player_name(save.log.player)
    return f"{player}, turn {save.turn} of {turns}, saved {saved_when(save.saved_at)}"


def archived_notes(path: Path) -> tuple[str, ...]:
    """The player's notes kept with a finished game's archived run log (none if it
    cannot be read)."""
    try:
        return RunLog.from_json(path.read_bytes()).notes
    except (OSError, RunLogError):
        return ()


def add_archived_notes(path: Path, notes: tuple[str, ...]) -> None:
    """Keep the player's notes (their reflection) with a finished game's archived run log,
    atomically; OSError if it cannot be written."""
    log = RunLog.from_json(path.read_bytes())
    write_text_atomic(path, replace(log, notes=notes).to_json())
