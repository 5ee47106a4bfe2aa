"""The scenarios a player can choose from, as the picker and `rapport scenarios` list them
(no Textual).

Every scenario found (bundled, in ./scenarios, in the user's folder) is one
:class:`Found`; the same scenario found twice (same id, same content) is listed
once, and the same id with other content says where each comes from. A file
that cannot be played is listed with its first problem.

They come in a suggested order: the bundled scenarios in :data:`SUGGESTED_ORDER`
(the tutorial first), then any other bundled ones, then the player's own
scenarios alphabetically. The picker's line of a scenario the player has
finished shows their best score (see :mod:`game.play.best_scores`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # loaded when scenarios are listed, not when the app starts
    from game.play.best_scores import Best
    from game.scenario import LoadedScenario, ScenarioError
    from game.scenario.catalog import ScenarioEntry

#: How the picker names where a scenario comes from.
ORIGINS = {"bundled": "bundled", "local": "./scenarios", "user": "your scenarios"}

#: The bundled scenarios in the order a new player should meet them: how the game is
#: played; one account and its deliveries; a sale from first meeting to second order;
#: climbing an organisation; everyone on the team; the rep who walks out with the account.
SUGGESTED_ORDER = (
    "tutorial",
    "sand-supplier",
    "second-sale",
    "director-to-ceo",
    "loyalty-force",
    "loyalty-giveaway",
)


@dataclass(frozen=True)
class Listing:
    """One line of the picker: a scenario (valid or not) or an unfinished game."""

    key: str
    title: str
    detail: str
    problem: str | None = None
    best: int | None = None
    """The player's best score in this scenario, if they have finished it."""
    games: int = 0
    """How many games of it they have finished."""


@dataclass(frozen=True)
class Found:
    """A scenario found once: where, and the scenario (or why it cannot be played);
    `shared` if another scenario found has the same id."""

    entry: ScenarioEntry
    item: LoadedScenario | ScenarioError
    shared: bool = False


def found_scenarios() -> list[Found]:
    """Every scenario found, each once, in the suggested order."""
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
    listed = [
        Found(entry, item, not isinstance(item, ScenarioError) and ids.count(item.scenario.id) > 1)
        for entry, item in found
    ]
    return sorted(listed, key=_suggested)


def _suggested(found: Found) -> tuple[int, int, str, int]:
    """Bundled scenarios in the suggested order, then the rest alphabetically by title."""
    entry, origins = found.entry, list(ORIGINS)
    if entry.origin == "bundled":
        rank = (
            SUGGESTED_ORDER.index(entry.id) if entry.id in SUGGESTED_ORDER else len(SUGGESTED_ORDER)
        )
        return (0, rank, entry.id, 0)
    return (1, 0, _title(found).casefold(), origins.index(entry.origin))


def _title(found: Found) -> str:
    from game.scenario import ScenarioError

    item = found.item
    return (
        f"{found.entry.id} (cannot be played)"
        if isinstance(item, ScenarioError)
        else item.scenario.title
    )


def scenario_listings(best: bool = True) -> list[Listing]:
    """One picker line per scenario found, in the suggested order, each scenario once;
    with the player's best score in each they have finished, unless `best` is False."""
    from game.scenario import ScenarioError

    found = found_scenarios()
    playable = [f.item for f in found if not isinstance(f.item, ScenarioError)]
    scores: dict[tuple[str, str], Best] = {}
    if best:
        from game.play.best_scores import best_scores

        scores = best_scores(playable)
    return [
        _broken_item(f.entry, f.item)
        if isinstance(f.item, ScenarioError)
        else _scenario_item(f.entry, f.item, f.shared, scores)
        for f in found
    ]


def _scenario_item(
    entry: ScenarioEntry,
    loaded: LoadedScenario,
    shared: bool,
    scores: dict[tuple[str, str], Best],
) -> Listing:
    """The picker line of a playable scenario; where it comes from, unless bundled and unique."""
    s = loaded.scenario
    where = f" · {ORIGINS[entry.origin]}" if shared or entry.origin != "bundled" else ""
    detail = f"{s.summary or s.id} ({s.turns} turns){where}"
    top = scores.get((s.id, loaded.content_hash))
    return Listing(
        f"{entry.origin}:{entry.path}",
        s.title,
        detail,
        best=top.score if top else None,
        games=top.games if top else 0,
    )


def _broken_item(entry: ScenarioEntry, error: ScenarioError) -> Listing:
    """The picker line of a scenario file that cannot be played, with its first problem."""
    return Listing(
        f"{entry.origin}:{entry.path}",
        f"{entry.id} (cannot be played)",
        f"{len(error.problems)} problem(s) in {entry.path}",
        str(error.problems[0]),
    )


#: The key prefix of a picker line that continues an unfinished game.
CONTINUE = "continue:"


def continue_key(scenario_id: str) -> str:
    """The picker key that continues the unfinished game of `scenario_id`."""
    return CONTINUE + scenario_id


def continued_scenario(key: str) -> str | None:
    """The scenario id a Continue key names, or None for a scenario line."""
    return key.removeprefix(CONTINUE) if key.startswith(CONTINUE) else None


def saved_when(moment: dt.datetime) -> str:
    """A save's date and time, as the picker and the dialogs show it."""
    return f"{moment:%d %b %Y, %H:%M}"


def continue_listing(
    scenario_id: str,
    title: str,
    *,
    player: str,
    turn: int,
    turns: int,
    saved_at: dt.datetime | None,
    seed: int | None,
) -> Listing:
    """The picker line that continues an unfinished game: title, player, turn, when saved
    and (outside a workshop) the seed."""
    detail = [player, f"turn {turn} of {turns}"]
    if saved_at is not None:
        detail.append(f"saved {saved_when(saved_at)}")
    if seed is not None:
        detail.append(f"seed {seed}")
    return Listing(continue_key(scenario_id), f"Continue: {title}", " · ".join(detail))
