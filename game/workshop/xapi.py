"""Learning records: a game as xAPI 1.0.3 statements, for a company's learning record store.

A game tells, in order: that the player launched the scenario; for each turn, the
decisions they made in it and where company loyalty stood after it; each customer
person who went to a rival; and, once over, that they completed it, with the raw
score, par and a scaled score. Statement ids are fixed by the game's id and the
event (a UUID 5), so a statement sent twice is the same statement, and an LRS
keeps it once. A workshop's hidden seed never appears in a statement.

The IRIs of Rapport's own activities, verbs and extensions start with
`RAPPORT_XAPI_BASE` (default `https://rapport.invalid/xapi`): set it to an address
of your own if your LRS or its reports expect one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from game.engine import END, Game, RunLog

XAPI_VERSION = "1.0.3"
DEFAULT_BASE = "https://rapport.invalid/xapi"
#: Every statement id is a UUID 5 in this namespace.
NAMESPACE = uuid.UUID("6f0b2f5e-2c1a-5b53-9a7e-5d3c0e7a4b21")
ADL = "http://adlnet.gov/expapi"
SIMULATION = f"{ADL}/activities/simulation"
MAX_SCORE = 1000


def base_iri() -> str:
    """Where Rapport's own IRIs start (RAPPORT_XAPI_BASE, without a trailing slash)."""
    return os.environ.get("RAPPORT_XAPI_BASE", DEFAULT_BASE).rstrip("/")


@dataclass(frozen=True)
class Learner:
    """Who played, in which workshop (None: not in one)."""

    player: str
    workshop: str | None = None

    def actor(self, base: str) -> dict[str, Any]:
        """The player as an xAPI agent: an account named by the player's name."""
        home = f"{base}/workshops/{self.workshop}" if self.workshop else f"{base}/players"
        return {
            "objectType": "Agent",
            "name": self.player,
            "account": {"homePage": home, "name": self.player},
        }


def registration(log: RunLog) -> str:
    """The game's registration: its own id, or (for a log without one) a digest of the log."""
    if log.game_id is not None:
        return str(uuid.UUID(log.game_id))
    digest = hashlib.sha256(log.to_json().encode()).hexdigest()[:32]
    return str(uuid.UUID(digest))


def statements(
    game: Game,
    log: RunLog,
    learner: Learner,
    *,
    par: int | None = None,
    now: dt.datetime | None = None,
) -> list[dict[str, Any]]:
    """Every statement the game has earned so far, oldest first (the same ids every time)."""
    base = base_iri()
    when = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="milliseconds")
    reg = registration(log)
    scenario = game.scenario
    activity = {
        "objectType": "Activity",
        "id": f"{base}/scenarios/{scenario.id}",
        "definition": {
            "name": {"en": scenario.title},
            "description": {"en": " ".join(scenario.goal.split())[:500]},
            "type": SIMULATION,
        },
    }
    context: dict[str, Any] = {"registration": reg, "platform": "Rapport"}
    if learner.workshop:
        context["contextActivities"] = {
            "grouping": [
                {
                    "objectType": "Activity",
                    "id": f"{base}/workshops/{learner.workshop}",
                    "definition": {"name": {"en": f"Workshop {learner.workshop}"}},
                }
            ]
        }
    actor = learner.actor(base)

    def statement(key: str, verb: dict[str, Any], **parts: Any) -> dict[str, Any]:
        return {
            "id": str(uuid.uuid5(NAMESPACE, f"{reg}/{key}")),
            "actor": actor,
            "verb": verb,
            "object": parts.pop("object", activity),
            "context": context,
            "timestamp": when,
            **parts,
        }

    found = [statement("launched", _adl("launched"))]
    for turn, labels, loyalty in _turns(game):
        found.append(
            statement(
                f"turn/{turn}",
                _adl("progressed"),
                result={
                    "completion": False,
                    "extensions": {
                        f"{base}/extensions/turn": turn,
                        f"{base}/extensions/decisions": labels,
                        f"{base}/extensions/company-loyalty": round(loyalty, 4),
                    },
                },
            )
        )
    for number, record in enumerate(game.defections, 1):
        person = {
            "objectType": "Activity",
            "id": f"{base}/scenarios/{scenario.id}/people/{record.who}",
            "definition": {"name": {"en": game.full_name(record.who)}},
        }
        found.append(
            statement(
                f"departure/{number}",
                {"id": f"{base}/verbs/lost-to-a-rival", "display": {"en": "lost to a rival"}},
                object=person,
                result={
                    "extensions": {
                        f"{base}/extensions/turn": record.turn,
                        f"{base}/extensions/reason": record.reason,
                        f"{base}/extensions/competitor": record.competitor,
                    }
                },
            )
        )
    if game.finished:
        score = game.score().total
        extensions: dict[str, Any] = {f"{base}/extensions/turns": game.turn}
        if par is not None:
            extensions[f"{base}/extensions/par"] = par
            extensions[f"{base}/extensions/vs-par"] = score - par
        found.append(
            statement(
                "completed",
                _adl("completed"),
                result={
                    "completion": True,
                    "score": {
                        "raw": score,
                        "min": 0,
                        "max": MAX_SCORE,
                        "scaled": round(score / MAX_SCORE, 4),
                    },
                    "extensions": extensions,
                },
            )
        )
    return found


def _adl(verb: str) -> dict[str, Any]:
    return {"id": f"{ADL}/verbs/{verb}", "display": {"en": verb}}


def _turns(game: Game) -> Iterator[tuple[int, list[str], float]]:
    """Each ended turn: its number, the decisions made in it (as labels), and company
    loyalty after it."""
    labels: list[str] = []
    turn = 1
    timeline = {int(point["turn"]): point for point in game.timeline}
    for choice in game.choices_made:
        if choice == END:
            loyalty = timeline.get(turn, {}).get("company_loyalty", 0.0)
            yield turn, labels, loyalty
            labels, turn = [], turn + 1
        else:
            labels.append(_label(game, choice))
    if game.finished and labels:  # the last turn, ended by the game rather than a choice
        yield turn, labels, timeline.get(turn, {}).get("company_loyalty", 0.0)


def _label(game: Game, choice_id: str) -> str:
    """A choice id as a short label a report can show."""
    kind, _, rest = choice_id.partition(":")
    if kind == "event":
        event_id, _, answer = rest.partition(":")
        return f"answered {event_id}: {answer}"
    if kind == "intro":
        return f"asked an introduction: {rest}"
    return choice_id
