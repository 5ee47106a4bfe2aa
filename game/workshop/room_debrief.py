"""The room's debrief: discussion prompts drawn from the room's own games.

After a round, a facilitator wants two or three questions that the room can answer
from what it just lived: the decision it split on (and how each side fared), the
turn where most players lost loyalty (and what had just happened), the cause that
leaked the most, and the person the room lost most often. Each prompt is built from
the games' replays, never from a script.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from game.engine import Game, ReplayError, RunLog, RunLogError, replay
from game.scenario import LoadedScenario
from scoring.score import CAUSES

#: A departure's reason, as the prompt says it.
_REASONS = {
    "relationship": "the relationship",
    "price": "price",
    "needs changed": "needs that changed",
}
#: A turn counts as a loss for a player when company loyalty fell by at least this much.
LOSS = 0.01


@dataclass(frozen=True)
class Prompt:
    """One question for the room, with the figures behind it."""

    title: str
    finding: str
    question: str


def room_prompts(loaded: LoadedScenario, run_logs: Iterable[str]) -> list[Prompt]:
    """Discussion prompts from the room's games (finished or not), most telling first."""
    games = list(_replayed(loaded, run_logs))
    if len(games) < 2:
        return [
            Prompt(
                "Not enough games yet",
                f"{len(games)} game of the room can be read so far.",
                "Prompts appear once two players have played a few turns.",
            )
        ]
    found = [
        _split_decision(loaded, games),
        _loss_turn(loaded, games),
        _biggest_leak(games),
        _lost_person(games),
    ]
    return [prompt for prompt in found if prompt is not None]


def _replayed(loaded: LoadedScenario, run_logs: Iterable[str]) -> Iterable[Game]:
    for text in run_logs:
        try:
            log = RunLog.from_json(text)
            yield replay(loaded.scenario, log, scenario_hash=loaded.content_hash, narrate=False)
        except (RunLogError, ReplayError):
            continue


def _split_decision(loaded: LoadedScenario, games: list[Game]) -> Prompt | None:
    """The decision whose answers were most evenly shared, and how each side ended."""
    best: tuple[float, str, dict[str, list[Game]]] | None = None
    for event in loaded.scenario.events:
        if len(event.choices) < 2:
            continue
        sides: dict[str, list[Game]] = defaultdict(list)
        for game in games:
            for choice in game.choices_made:
                if choice.startswith(f"event:{event.id}:"):
                    sides[choice.rsplit(":", 1)[1]].append(game)
                    break
        answered = sum(len(side) for side in sides.values())
        if len(sides) < 2 or answered < 2:
            continue
        evenness = _evenness([len(side) for side in sides.values()])
        if best is None or evenness > best[0]:
            best = (evenness, event.id, sides)
    if best is None:
        return None
    _evenness_value, event_id, sides = best
    event = next(e for e in loaded.scenario.events if e.id == event_id)
    labels = {choice.id: choice.label for choice in event.choices}
    answered = sum(len(side) for side in sides.values())
    parts = []
    for answer, side in sorted(sides.items(), key=lambda item: -len(item[1])):
        loyalty = sum(g.company_loyalty() for g in side) / len(side)
        parts.append(
            f"{len(side)} of {answered} chose “{labels.get(answer, answer)}” "
            f"(company loyalty now {loyalty:.0%} on average)"
        )
    return Prompt(
        f"The room split on “{event.title}”",
        "; ".join(parts) + ".",
        "Ask one player from each side what they weighed, and what the answer did to the "
        "customer's trust in the turns after.",
    )


def _evenness(counts: list[int]) -> float:
    """How evenly answers were shared: 1 for an even split, 0 for one answer only."""
    total = sum(counts)
    entropy = -sum(n / total * math.log(n / total) for n in counts if n)
    return entropy / math.log(len(counts)) if len(counts) > 1 else 0.0


def _loss_turn(loaded: LoadedScenario, games: list[Game]) -> Prompt | None:
    """The turn in which most players lost company loyalty, and what had just fired."""
    losers: dict[int, list[float]] = defaultdict(list)
    for game in games:
        timeline = game.timeline
        for before, after in itertools.pairwise(timeline):
            drop = after["company_loyalty"] - before["company_loyalty"]
            if drop <= -LOSS:
                losers[int(after["turn"])].append(drop)
    if not losers:
        return None
    turn, drops = max(losers.items(), key=lambda item: (len(item[1]), -sum(item[1])))
    fired = Counter(
        event for game in games for event, when in game.events_fired.items() if when == turn
    )
    titles = {e.id: e.title for e in loaded.scenario.events}
    name = loaded.scenario.calendar.turn_name.lower()
    finding = (
        f"In {name} {turn}, {len(drops)} of {len(games)} players lost company loyalty "
        f"({sum(drops) / len(drops) * 100:+.0f} points on average)."
    )
    if fired:
        event, count = fired.most_common(1)[0]
        finding += f" In {count} of those games, “{titles.get(event, event)}” had just happened."
    return Prompt(
        f"Where most of the room lost loyalty: {name} {turn}",
        finding,
        "What did the customer see that turn? Which warning came earlier, and who acted on it?",
    )


def _biggest_leak(games: list[Game]) -> Prompt | None:
    """The cause that cost the room the most trust, per player."""
    causes: Counter[str] = Counter()
    for game in games:
        causes.update(game.facts().attribution)
    leaks = [(cause, value) for cause, value in causes.items() if value < 0]
    if not leaks:
        return None
    cause, value = min(leaks, key=lambda item: item[1])
    per_player = value * 100 / len(games)
    return Prompt(
        f"What leaked the most: {CAUSES.get(cause, cause)}",
        f"It cost each player {per_player:+.1f} points of trust on average.",
        "Was it chosen, accepted as a cost, or not noticed? What would have kept it?",
    )


def _lost_person(games: list[Game]) -> Prompt | None:
    """The customer person the room lost to a rival most often, and the reason they gave."""
    left: Counter[str] = Counter()
    reasons: dict[str, Counter[str]] = defaultdict(Counter)
    names: dict[str, str] = {}
    for game in games:
        for record in game.defections:
            left[record.who] += 1
            reasons[record.who][record.reason] += 1
            names[record.who] = game.full_name(record.who)
    if not left:
        return None
    who, count = left.most_common(1)[0]
    reason = _REASONS.get(reasons[who].most_common(1)[0][0], "a reason of their own")
    return Prompt(
        f"Who the room lost most often: {names[who]}",
        f"{names[who]} left in {count} of {len(games)} games, most often over {reason}.",
        "What did the players who kept them do differently, and when?",
    )
