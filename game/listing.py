"""The scenarios a player can choose from, as the picker lists them (no Textual).

Every scenario found (bundled, in ./scenarios, in the user's folder) is one
:class:`Listing`; the same scenario found twice (same id, same content) is
listed once, and the same id with other content says where each comes from. A
file that cannot be played is listed with its first problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # loaded when scenarios are listed, not when the app starts
    from game.scenario import LoadedScenario, ScenarioError
    from game.scenario.catalog import ScenarioEntry

#: How the picker names where a scenario comes from.
ORIGINS = {"bundled": "bundled", "local": "./scenarios", "user": "your scenarios"}


@dataclass(frozen=True)
class Listing:
    """One line of the picker: a scenario (valid or not) or an unfinished game."""

    key: str
    title: str
    detail: str
    problem: str | None = None


def scenario_listings() -> list[Listing]:
    """One line per scenario found, in the order found; the same scenario (same id,
    same content) found twice is listed once, and the same id with other content says
    where each comes from."""
    from game.scenario import ScenarioError
    from game.scenario.catalog import discover, load_entry

    found: list[tuple[ScenarioEntry, LoadedScenario | ScenarioError]] = []
    seen: set[tuple[str, str]] = set()
    for entry in discover():
        try:
            loaded = load_entry(entry)
        except ScenarioError as error:
            found.append((entry, error))
            continue
        same = (loaded.scenario.id, loaded.content_hash)
        if same not in seen:  # e.g. the bundled scenarios, run from the repository
            seen.add(same)
            found.append((entry, loaded))
    ids = [item.scenario.id for _, item in found if not isinstance(item, ScenarioError)]
    return [
        _broken_item(entry, item)
        if isinstance(item, ScenarioError)
        else _scenario_item(entry, item, ids.count(item.scenario.id) > 1)
        for entry, item in found
    ]


def _scenario_item(entry: ScenarioEntry, loaded: LoadedScenario, shared: bool) -> Listing:
    """The picker line of a playable scenario; where it comes from, unless bundled and unique."""
    s = loaded.scenario
    where = f" · {ORIGINS[entry.origin]}" if shared or entry.origin != "bundled" else ""
    detail = f"{s.summary or s.id} ({s.turns} turns){where}"
    return Listing(f"{entry.origin}:{entry.path}", s.title, detail)


def _broken_item(entry: ScenarioEntry, error: ScenarioError) -> Listing:
    """The picker line of a scenario file that cannot be played, with its first problem."""
    return Listing(
        f"{entry.origin}:{entry.path}",
        f"{entry.id} (cannot be played)",
        f"{len(error.problems)} problem(s) in {entry.path}",
        str(error.problems[0]),
    )
