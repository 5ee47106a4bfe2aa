"""The player's best score in each scenario, from the finished games Rapport keeps (no Textual).

Every finished game is kept as a run log in `saves/runs/` (see :mod:`game.play.saves`).
A run log holds the choices, never the score, so a score is found by replaying
the log on the scenario version it was recorded with: a log of an older version
counts for nothing. Replaying takes a few milliseconds a game, so the scores
found are remembered in `saves/run-scores.json` and each log is replayed once.

Nothing here can stop the picker from showing: a run log that cannot be read or
replayed is skipped (and left where it is, untouched), a score file that cannot
be read is rebuilt, and one that cannot be written is simply not kept.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from game.common.errors import UserError
from game.common.files import read_bytes_limited, write_text_atomic

if TYPE_CHECKING:
    from game.scenario import LoadedScenario

#: Where the scores already found are kept, in the saves folder.
SCORES_FILE = "run-scores.json"
FORMAT = "rapport-run-scores"
VERSION = 1
#: A finished game's run log is far smaller; anything bigger is not one.
MAX_RUN_BYTES = 10 * 1024 * 1024
MAX_SCORES_BYTES = 20 * 1024 * 1024

#: The key of a scenario version: its id and its content hash.
Version = tuple[str, str]


@dataclass(frozen=True)
class Best:
    """The best score among the finished games of one scenario version, and how many."""

    score: int
    games: int


def best_scores(
    scenarios: Iterable[LoadedScenario], saves_folder: Path | None = None
) -> dict[Version, Best]:
    """The best score of each of `scenarios` (by id and content hash) among the finished
    games in `saves_folder` (default: the player's saves). Scenarios never finished are
    left out."""
    if saves_folder is None:
        from game.common.paths import saves_dir

        saves_folder = saves_dir()
    listed = {(s.scenario.id, s.content_hash): s for s in scenarios}
    runs = _run_files(saves_folder / "runs")
    if not runs or not listed:
        return {}
    scores_path = saves_folder / SCORES_FILE
    known = _read_scores(scores_path)
    found: dict[str, dict[str, Any]] = {}
    for path in runs:
        size = _size(path)
        entry = known.get(path.name)
        if entry is None or entry.get("size") != size:
            entry = _read_run(path, size)
        version = (entry.get("scenario"), entry.get("hash"))
        if "score" not in entry and not entry.get("skip") and version in listed:
            entry = entry | _replay(path, listed[version])
        found[path.name] = entry
    if found != known:
        _write_scores(scores_path, found)
    return _best(found.values(), listed)


def _run_files(folder: Path) -> list[Path]:
    """The finished games' run logs (not the temporary files of a write in progress)."""
    try:
        return sorted(
            p for p in folder.glob("*.json") if not p.name.startswith(".") and p.is_file()
        )
    except OSError:
        return []


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def _read_run(path: Path, size: int | None) -> dict[str, Any]:
    """What a run log's header says: its scenario and version; `skip` if it is unreadable."""
    from game.engine.runlog import RunLog

    try:
        log = RunLog.from_json(read_bytes_limited(path, MAX_RUN_BYTES, "a run log"))
    except (UserError, ValueError, RecursionError, OSError):
        return {"size": size, "skip": True}
    return {"size": size, "scenario": log.scenario, "hash": log.scenario_hash}


def _replay(path: Path, loaded: LoadedScenario) -> dict[str, Any]:
    """The score of the finished game in `path`; `skip` if it does not replay to an end."""
    from game.engine import ReplayError, replay
    from game.engine.runlog import RunLog

    try:
        log = RunLog.from_json(read_bytes_limited(path, MAX_RUN_BYTES, "a run log"))
        game = replay(loaded.scenario, log, scenario_hash=loaded.content_hash, narrate=False)
    except (UserError, ReplayError, ValueError, RecursionError, OSError):
        return {"skip": True}
    if not game.finished:
        return {"skip": True}
    return {"score": int(game.score().total)}


def _best(entries: Iterable[dict[str, Any]], listed: Iterable[Version]) -> dict[Version, Best]:
    scores: dict[Version, list[int]] = {}
    wanted = set(listed)
    for entry in entries:
        version = (entry.get("scenario"), entry.get("hash"))
        score = entry.get("score")
        if version in wanted and isinstance(score, int) and not entry.get("skip"):
            scores.setdefault(version, []).append(score)
    return {version: Best(max(values), len(values)) for version, values in scores.items()}


def _read_scores(path: Path) -> dict[str, dict[str, Any]]:
    """The scores found before, by run-log file name; empty if the file is missing or bad."""
    try:
        data = json.loads(read_bytes_limited(path, MAX_SCORES_BYTES, "the run scores"))
    except (UserError, ValueError, RecursionError, OSError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != VERSION:
        return {}
    runs = data.get("runs")
    if not isinstance(runs, dict):
        return {}
    return {name: entry for name, entry in runs.items() if _valid_entry(entry)}


def _valid_entry(entry: object) -> bool:
    """An entry as :func:`best_scores` writes them; anything else is found again."""
    if not isinstance(entry, dict) or set(entry) - {"size", "scenario", "hash", "score", "skip"}:
        return False
    size, score = entry.get("size"), entry.get("score")
    texts = all(isinstance(entry.get(k), str | None) for k in ("scenario", "hash"))
    return (
        texts
        and (size is None or (isinstance(size, int) and not isinstance(size, bool)))
        and (score is None or (isinstance(score, int) and not isinstance(score, bool)))
        and isinstance(entry.get("skip", False), bool)
    )


def _write_scores(path: Path, runs: dict[str, dict[str, Any]]) -> None:
    """Keep the scores found for next time; a folder that cannot be written keeps nothing."""
    text = json.dumps({"format": FORMAT, "version": VERSION, "runs": runs}, indent=1) + "\n"
    try:
        write_text_atomic(path, text)
    except OSError:
        return
