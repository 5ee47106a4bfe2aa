"""Where scenarios come from: bundled with Rapport, `./scenarios`, and the user's
scenario folder. Resolves a command-line argument to a loaded scenario."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from game.common.errors import UserError
from game.common.language import current_language
from game.common.paths import user_scenario_dir
from game.scenario.loader import LoadedScenario, load_scenario, parse_scenario
from game.scenario.suggest import did_you_mean

SUFFIXES = (".yaml", ".yml")


class ScenarioNotFound(UserError, LookupError):
    """No scenario by that name; the message suggests the nearest one."""


@dataclass(frozen=True)
class ScenarioEntry:
    """A scenario file found somewhere, before it is fully validated."""

    id: str
    origin: str  # "bundled", "local" or "user"
    path: str


def bundled_ids() -> list[str]:
    """Ids of the bundled scenarios, sorted."""
    folder = resources.files("scenarios")
    return sorted(
        entry.name.rsplit(".", 1)[0]
        for entry in folder.iterdir()
        if entry.name.endswith(SUFFIXES) and entry.is_file()
    )


def bundled_text(scenario_id: str) -> bytes:
    """The raw bytes of a bundled scenario; KeyError if there is none."""
    for suffix in SUFFIXES:
        entry = resources.files("scenarios").joinpath(scenario_id + suffix)
        if entry.is_file():
            return entry.read_bytes()
    raise KeyError(scenario_id)


def load_bundled(scenario_id: str) -> LoadedScenario:
    """Load a bundled scenario by id (in the language in use, see `game.common.language`)."""
    return in_language(parse_scenario(bundled_text(scenario_id), f"{scenario_id}.yaml"))


def in_language(loaded: LoadedScenario) -> LoadedScenario:
    """`loaded` in the language scenarios are shown in (as written when there is none)."""
    if current_language() is None:
        return loaded
    from game.scenario.translations import translated

    return translated(loaded)


def discover(local: Path | None = None) -> list[ScenarioEntry]:
    """Bundled scenarios, then `./scenarios`, then the user's folder."""
    found = [ScenarioEntry(i, "bundled", f"{i}.yaml") for i in bundled_ids()]
    folders = [("local", local or Path.cwd() / "scenarios"), ("user", user_scenario_dir())]
    bundled_folder = Path(str(resources.files("scenarios"))).resolve()
    for origin, folder in folders:
        if not folder.is_dir() or folder.resolve() == bundled_folder:
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix in SUFFIXES and path.is_file():
                found.append(ScenarioEntry(declared_id(path) or path.stem, origin, str(path)))
    return found


#: A top-level `id:` line, as scenario files start (quoted or not).
DECLARED_ID = re.compile(rb"""^id:[ \t]*["']?([a-z0-9][a-z0-9-]{0,59})["']?[ \t]*(?:#.*)?$""", re.M)


def declared_id(path: Path) -> str | None:
    """The id a scenario file declares at its top level, read from its first few
    kilobytes without parsing it (None if it has none there, or cannot be read): a
    scenario is found by its id, whatever its file is called."""
    try:
        with path.open("rb") as file:
            head = file.read(8192)
    except OSError:
        return None
    found = DECLARED_ID.search(head)
    return found.group(1).decode() if found else None


def load_entry(entry: ScenarioEntry) -> LoadedScenario:
    """Load a discovered scenario."""
    if entry.origin == "bundled":
        return load_bundled(entry.id)
    return in_language(load_scenario(entry.path))


def resolve_scenario(argument: str) -> LoadedScenario:
    """Load a scenario given as a bundled id, a path, or the id of a local or user scenario."""
    return read_scenario(argument)[0]


def find_scenario_id(scenario_id: str) -> LoadedScenario:
    """The bundled, `./scenarios` or user scenario with this id; never opens a path.

    What run logs and saves name is looked up here, so a file name written into
    one is never opened, and the error says nothing about which files exist.
    """
    if scenario_id in bundled_ids():
        return load_bundled(scenario_id)
    entries = discover()
    for entry in entries:
        if entry.id == scenario_id:
            return load_entry(entry)
    hint = did_you_mean(scenario_id, [e.id for e in entries])
    raise ScenarioNotFound(
        f"no scenario named {scenario_id[:80]!r} is bundled, in ./scenarios or in your "
        f"scenarios folder{hint}"
    )


def check_named(argument: str) -> None:
    """Raise :class:`ScenarioNotFound` unless `argument` names a scenario file that exists
    or a scenario id that can be found, without loading it (the app loads it behind
    its first screen)."""
    looks_like_path = argument.endswith(SUFFIXES) or os.sep in argument or "/" in argument
    if Path(argument).is_file():
        return
    if looks_like_path:
        raise ScenarioNotFound(f"{argument[:200]}: no such scenario file")
    if argument in bundled_ids():
        return
    entries = discover()
    if any(entry.id == argument for entry in entries):
        return
    hint = did_you_mean(argument, [e.id for e in entries])
    raise ScenarioNotFound(
        f"no scenario named '{argument[:80]}'{hint}; `rapport scenarios` lists them, "
        "or give a path to a .yaml file"
    )


def read_scenario(argument: str) -> tuple[LoadedScenario, bytes]:
    """Like :func:`resolve_scenario`, with the exact bytes it was parsed from."""
    looks_like_path = argument.endswith(SUFFIXES) or os.sep in argument or "/" in argument
    if looks_like_path or Path(argument).is_file():
        loaded = in_language(load_scenario(argument))
        return loaded, Path(argument).read_bytes()
    if argument in bundled_ids():
        return load_bundled(argument), bundled_text(argument)
    entries = discover()
    for entry in entries:
        if entry.id == argument:
            return load_entry(entry), Path(entry.path).read_bytes()
    hint = did_you_mean(argument, [e.id for e in entries])
    raise ScenarioNotFound(
        f"no scenario named '{argument}'{hint}; `rapport scenarios` lists them, "
        "or give a path to a .yaml file"
    )
