"""What a workshop room did: the share of players who chose each answer at each
decision, and where the room as a whole built and leaked loyalty.

Built from the run logs stored on the leaderboard, each replayed once.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from game.engine import ReplayError, RunLog, RunLogError, replay
from game.scenario import LoadedScenario
from scoring.score import CAUSES


def _generic(label: str) -> str:
    """An action label without its person: "Call {target}" → "Call someone"."""
    label = re.sub(r"\{target\}'s", "someone's", label)
    return label.replace("{target}", "someone").replace("{actor}", "a teammate")


@dataclass(frozen=True)
class DecisionShares:
    """One decision point and how the room answered it."""

    title: str
    answered: int
    shares: list[tuple[str, float]]


@dataclass
class RoomAnalysis:
    """Accumulates replayed games of one scenario."""

    loaded: LoadedScenario
    games: int = 0
    skipped: int = 0
    answers: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    actions: Counter[str] = field(default_factory=Counter)
    causes: Counter[str] = field(default_factory=Counter)
    seen: set[int] = field(default_factory=set)

    def add(self, entry_id: int, run_log: str) -> None:
        """Replay one stored run log (once per entry id) and count what it did."""
        if entry_id in self.seen:
            return
        self.seen.add(entry_id)
        try:
            log = RunLog.from_json(run_log)
            game = replay(self.loaded.scenario, log, scenario_hash=self.loaded.content_hash)
        except (RunLogError, ReplayError):
            self.skipped += 1
            return
        self.games += 1
        used: set[str] = set()
        for choice in game.choices_made:
            if choice.startswith("event:"):
                _kind, event, answer = choice.split(":", 2)
                self.answers[event][answer] += 1
            elif choice != "end" and not choice.startswith("intro:"):
                used.add(choice.split(":", 1)[0])
            elif choice.startswith("intro:"):
                used.add("introductions")
        self.actions.update(used)
        self.causes.update(game.facts().attribution)

    def decisions(self) -> list[DecisionShares]:
        """Every event the room met, with the share of players who chose each answer."""
        found = []
        for event in self.loaded.scenario.events:
            counts = self.answers.get(event.id)
            if not counts or not event.choices:
                continue
            total = sum(counts.values())
            shares = [(choice.label, counts.get(choice.id, 0) / total) for choice in event.choices]
            found.append(DecisionShares(event.title, total, shares))
        return found

    def moves(self) -> list[tuple[str, float]]:
        """Share of players who used each kind of move at least once."""
        if not self.games:
            return []
        labels = {a.id: _generic(a.label) for a in self.loaded.scenario.actions}
        labels["introductions"] = "Ask for an introduction"
        return sorted(
            ((labels.get(k, k), n / self.games) for k, n in self.actions.items()),
            key=lambda item: -item[1],
        )

    def drivers(self) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
        """What built and what leaked loyalty, on average per player, in points of 100."""
        if not self.games:
            return [], []
        items = [
            (CAUSES.get(c, c), v * 100 / self.games)
            for c, v in self.causes.items()
            if abs(v) * 100 / self.games >= 0.05
        ]
        built = sorted((i for i in items if i[1] > 0), key=lambda i: -i[1])
        leaked = sorted((i for i in items if i[1] < 0), key=lambda i: i[1])
        return built, leaked
