"""What a balance run found: each bot's results per metric, its people, time and
coverage, each lesson's verdict with its confidence, and the parts no run reached."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from dataclasses import dataclass, field
from difflib import get_close_matches
from typing import Any

from game.coach.balance_probes import RunTrace, Unreachable, flags_set, probes
from game.coach.balance_reasons import explain
from game.scenario.lesson_metrics import METRICS, PREFIX_KINDS, PREFIXED, split_metric
from game.scenario.models import Behaviour, Lesson, Scenario

#: The metrics the balance table shows for each bot.
TABLE_METRICS = (
    "score",
    "company_loyalty",
    "resilience",
    "concentration",
    "satisfaction",
    "share",
    "defections",
)
#: What each bot did, shown beside the table: people worked with, time by behaviour.
ACTIVITY_METRICS = ("people_worked", "people_worked_share")


@dataclass(frozen=True)
class RunOutcome:
    bot: str
    seed: int
    metrics: dict[str, float]
    reached: frozenset[str]
    trace: RunTrace = field(default_factory=RunTrace)


@dataclass(frozen=True)
class PersonSummary:
    """One customer person over a bot's runs."""

    id: str
    loyalty: float
    """Mean personal loyalty at the end."""
    reached: float
    """Share of runs in which they were met."""
    defected: float
    """Share of runs in which they defected."""
    defected_to: dict[str, float]
    """Share of runs in which they defected to each competitor (``""``: to none)."""


#: What coverage counts: actions used, events fired, answers chosen.
COVERAGE_KINDS = ("actions", "events", "answers")


def metric_names(scenario: Scenario) -> list[str]:
    """Every metric a lesson of `scenario` may use, prefixed ones with each valid id."""
    ids = {
        "customer": [p.id for p in scenario.customer.people],
        "competitor": [c.id for c in scenario.competitors],
        "event": [e.id for e in scenario.events],
        "flag": sorted(flags_set(scenario)),
        "behaviour": [b.value for b in Behaviour],
    }
    names = list(METRICS)
    for prefix, kind in PREFIX_KINDS.items():
        names += [prefix + name for name in ids[kind]]
    return names


_MISSING = {
    "customer": "{scenario} has no customer person '{name}'",
    "competitor": "{scenario} has no competitor '{name}'",
    "event": "{scenario} has no event '{name}'",
    "flag": "no effect in {scenario} sets a flag '{name}'",
    "behaviour": "there is no behaviour '{name}'",
}


def metric_problem(scenario: Scenario, metric: str) -> str | None:
    """None for a metric a lesson of `scenario` could use; else what is wrong, with the
    close matches (or, with none, what would do)."""
    names = metric_names(scenario)
    if metric in names:
        return None
    prefix, name = split_metric(metric)
    if name is not None:
        message = f"unknown metric '{metric}': " + _MISSING[PREFIX_KINDS[prefix]].format(
            scenario=scenario.id, name=name
        )
        valid = [n for n in names if n.startswith(prefix)]
        ids = [n.removeprefix(prefix) for n in valid]
        close = [prefix + n for n in get_close_matches(name, ids, n=4, cutoff=0.6)]
        if close:
            return message + "; close matches: " + ", ".join(close)
        return message + "; one of " + (", ".join(valid) if valid else "none in this scenario")
    close = get_close_matches(metric, names, n=4, cutoff=0.6)
    message = f"unknown metric '{metric}'"
    if close:
        return message + "; close matches: " + ", ".join(close)
    return (
        message
        + "; one of "
        + ", ".join(METRICS)
        + ", or per item "
        + ", ".join(f"{p}ID" for p in PREFIXED)
    )


@dataclass(frozen=True)
class LessonVerdict:
    lesson: Lesson
    passed: bool
    left: float
    right: float | None
    text: str
    slack: float = 0.0
    """How far the lesson holds by (negative: fails by), in the metric's units."""
    error: float | None = None
    """The standard error of `slack` (paired over the seeds both bots played)."""
    runs: int = 0

    @property
    def interval(self) -> tuple[float, float] | None:
        """The 95% interval of `slack`."""
        if self.error is None:
            return None
        return (self.slack - Z95 * self.error, self.slack + Z95 * self.error)

    @property
    def settled(self) -> bool:
        """Whether the runs tell, at 95%, which side of the line the lesson is on."""
        interval = self.interval
        if interval is None or self.error == 0:  # no spread at all: every run agreed
            return True
        return interval[0] > 0 or interval[1] < 0

    @property
    def runs_needed(self) -> int | None:
        """About how many runs would settle it (None if settled or no telling)."""
        if self.settled or self.error is None or not self.runs:
            return None
        if abs(self.slack) < 1e-12:
            return None  # a tie: more runs would not tell
        return math.ceil(self.runs * (Z95 * self.error / abs(self.slack)) ** 2)

    def confidence(self) -> str:
        """The margin with its 95% interval, and whether more runs are needed."""
        if self.error is None:
            return ""
        text = f"margin {self.slack:+.3g} ± {Z95 * self.error:.2g} (95%)"
        if not self.settled:
            needed = self.runs_needed
            text += f"; not settled at {self.runs} runs" + (
                f": about {needed:,} would tell" if needed else ": too close to call"
            )
        return text


@dataclass
class BalanceReport:
    scenario: Scenario
    runs: int
    seeds: tuple[int, int]
    outcomes: dict[str, list[RunOutcome]] = field(default_factory=dict)
    asked: tuple[str, ...] = ()
    """Lesson metrics asked for (`--metric`), reported for every bot."""

    def value(self, bot: str, metric: str) -> float:
        """A bot's mean of a metric over its runs (`satisfied_share` is pooled)."""
        runs = self.outcomes[bot]
        if metric == "satisfied_share":
            total = sum(r.metrics["defections"] for r in runs)
            kept = sum(r.metrics["defections_satisfied"] for r in runs)
            return kept / total if total else 0.0
        return statistics.fmean(r.metrics.get(metric, 0.0) for r in runs)

    def spread(self, bot: str, metric: str) -> float:
        values = [r.metrics.get(metric, 0.0) for r in self.outcomes[bot]]
        return statistics.pstdev(values) if len(values) > 1 else 0.0

    def summary(self, bot: str, metric: str) -> dict[str, float | None]:
        """A metric's mean and spread (None for `satisfied_share`, pooled over runs)."""
        pooled = metric == "satisfied_share"
        return {
            "mean": round(self.value(bot, metric), 4),
            "stdev": None if pooled else round(self.spread(bot, metric), 4),
        }

    def people(self, bot: str) -> list[PersonSummary]:
        """Each customer person's loyalty, reach and defections over a bot's runs."""
        runs = self.outcomes[bot]
        count = max(len(runs), 1)
        found = []
        for person in self.scenario.customer.people:
            pid = person.id
            to: Counter[str] = Counter(
                r.trace.defected_to[pid] for r in runs if pid in r.trace.defected_to
            )
            found.append(
                PersonSummary(
                    pid,
                    statistics.fmean(r.trace.loyalty.get(pid, 0.0) for r in runs) if runs else 0.0,
                    self.value(bot, f"reached.{pid}") if runs else 0.0,
                    self.value(bot, f"defected.{pid}") if runs else 0.0,
                    {who: n / count for who, n in sorted(to.items())},
                )
            )
        return found

    def coverage(self, bot: str) -> dict[str, tuple[int, int]]:
        """How many of the scenario's actions, events and answers some run of `bot`
        reached: kind → (reached, of)."""
        reached: set[str] = set()
        for run in self.outcomes[bot]:
            reached |= run.reached
        s = self.scenario
        actions = [f"action:{a.id}" for a in s.actions]
        events = [f"event:{e.id}" for e in s.events]
        answers = [f"event:{e.id}:{c.id}" for e in s.events for c in e.choices]
        return {
            kind: (sum(key in reached for key in keys), len(keys))
            for kind, keys in zip(COVERAGE_KINDS, (actions, events, answers), strict=True)
        }

    def one_sided(self) -> list[tuple[str, str, str]]:
        """The conditions no run saw go both ways, as turns began: (key, condition, the
        side seen). One never true is also in `unreachable` with why."""
        seen: set[str] = set()
        for outcomes in self.outcomes.values():
            for run in outcomes:
                seen |= run.trace.sides
        found = []
        for probe in [*probes(self.scenario)[0], *probes(self.scenario)[1]]:
            true, false = f"{probe.key}=true" in seen, f"{probe.key}=false" in seen
            if true != false:
                found.append((probe.key, probe.source, "true" if true else "false"))
        return found

    def unreachable(self) -> list[Unreachable]:
        """What no run reached (actions, events, answers, customer people), with why."""
        runs = {bot: [(r.reached, r.trace) for r in outs] for bot, outs in self.outcomes.items()}
        return explain(self.scenario, runs)

    def hours(self, bot: str) -> list[tuple[str, float]]:
        """A bot's mean share of time by behaviour, the biggest first, zeros left out."""
        shares = [(b.value, self.value(bot, f"hours.{b.value}")) for b in Behaviour]
        return sorted(((b, s) for b, s in shares if s > 0), key=lambda item: -item[1])

    def verdicts(self) -> list[LessonVerdict]:
        return [self.verdict(lesson) for lesson in self.scenario.lessons]

    def verdict(self, lesson: Lesson) -> LessonVerdict:
        left = self.value(lesson.bot, lesson.metric)
        right: float | None = None
        if lesson.above is not None or lesson.below is not None:
            other = lesson.above or lesson.below
            assert other is not None
            right = self.value(other, lesson.metric)
            if lesson.above is not None:
                passed = left > right + lesson.margin
                relation = f"> {other} {right:.3f}" + (
                    f" + {lesson.margin:g}" if lesson.margin else ""
                )
            else:
                passed = left + lesson.margin < right
                relation = f"< {other} {right:.3f}" + (
                    f" − {lesson.margin:g}" if lesson.margin else ""
                )
        elif lesson.at_least is not None:
            passed, relation = left >= lesson.at_least, f"≥ {lesson.at_least:g}"
        else:
            assert lesson.at_most is not None
            passed, relation = left <= lesson.at_most, f"≤ {lesson.at_most:g}"
        text = f"{lesson.bot} {lesson.metric} {left:.3f} {relation}"
        slack, error = self._slack(lesson, left, right)
        runs = len(self.outcomes[lesson.bot])
        return LessonVerdict(lesson, passed, left, right, text, slack, error, runs)

    def _per_run(self, bot: str, metric: str) -> dict[int, float] | None:
        """A bot's metric per seed (None for a pooled metric)."""
        if metric == "satisfied_share":
            return None
        return {r.seed: r.metrics.get(metric, 0.0) for r in self.outcomes[bot]}

    def _slack(
        self, lesson: Lesson, left: float, right: float | None
    ) -> tuple[float, float | None]:
        """How far `lesson` holds by, and that figure's standard error: paired over the
        seeds both bots played (common random numbers make it small), else unpaired."""
        mine = self._per_run(lesson.bot, lesson.metric)
        if lesson.at_least is not None or lesson.at_most is not None:
            slack = left - lesson.at_least if lesson.at_least is not None else 0.0
            if lesson.at_most is not None:
                slack = lesson.at_most - left
            if mine is None:  # a share pooled over every defection: a binomial's error
                count = sum(r.metrics["defections"] for r in self.outcomes[lesson.bot])
                error = math.sqrt(left * (1 - left) / count) if count else None
                return slack, error
            return slack, _mean_error(list(mine.values()))
        other = lesson.above or lesson.below
        assert other is not None and right is not None
        sign = 1.0 if lesson.above is not None else -1.0
        slack = sign * (left - right) - lesson.margin
        theirs = self._per_run(other, lesson.metric)
        if mine is None or theirs is None:
            return slack, None
        shared = sorted(set(mine) & set(theirs))
        if len(shared) >= 2 and len(shared) == len(mine) == len(theirs):
            return slack, _mean_error([mine[s] - theirs[s] for s in shared])
        a, b = _mean_error(list(mine.values())), _mean_error(list(theirs.values()))
        return slack, None if a is None or b is None else math.hypot(a, b)

    def unreached(self) -> list[str]:
        """Events, event answers and actions that no run of any bot reached."""
        reached: set[str] = set()
        for runs in self.outcomes.values():
            for run in runs:
                reached |= run.reached
        missing = []
        for action in self.scenario.actions:
            if f"action:{action.id}" not in reached:
                missing.append(f"action {action.id}")
        for event in self.scenario.events:
            if f"event:{event.id}" not in reached:
                missing.append(f"event {event.id} (never fired)")
                continue
            for choice in event.choices:
                if f"event:{event.id}:{choice.id}" not in reached:
                    missing.append(f"event {event.id}: choice {choice.id}")
        return missing

    def as_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario.id,
            "runs": self.runs,
            "seeds": list(self.seeds),
            "runs_per_bot": {bot: len(runs) for bot, runs in self.outcomes.items()},
            "bots": {
                bot: {
                    m: {
                        "mean": round(self.value(bot, m), 4),
                        "stdev": round(self.spread(bot, m), 4),
                    }
                    for m in (*TABLE_METRICS, *ACTIVITY_METRICS)
                }
                | {
                    "hours": {b: round(share, 4) for b, share in self.hours(bot)},
                    "people": {
                        p.id: {
                            "loyalty": round(p.loyalty, 4),
                            "reached": round(p.reached, 4),
                            "defected": round(p.defected, 4),
                            "defected_to": {
                                who or "none": round(share, 4)
                                for who, share in p.defected_to.items()
                            },
                        }
                        for p in self.people(bot)
                    },
                    "coverage": {
                        kind: {"reached": got, "of": of, "share": round(got / of, 4) if of else 1}
                        for kind, (got, of) in self.coverage(bot).items()
                    },
                }
                for bot in self.outcomes
            },
            "metrics": {
                metric: {bot: self.summary(bot, metric) for bot in self.outcomes}
                for metric in self.asked
            },
            "lessons": [
                {"id": v.lesson.id, "passed": v.passed, "check": v.text, "text": v.lesson.text}
                | {
                    "margin": v.slack,
                    "interval": list(v.interval) if v.interval else None,
                    "settled": v.settled,
                    "runs_needed": v.runs_needed,
                }
                for v in self.verdicts()
            ],
            "unreached": self.unreached(),
            "unreachable": [item.as_dict() for item in self.unreachable()],
        }


#: The normal quantile of a two-sided 95% interval.
Z95 = 1.96


def _mean_error(values: list[float]) -> float | None:
    """The standard error of the mean of `values` (None with fewer than two)."""
    if len(values) < 2:
        return None
    return statistics.stdev(values) / math.sqrt(len(values))
