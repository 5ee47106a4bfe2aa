"""Balance runs: every built-in bot over many seeds, lessons checked, coverage listed.

`run_balance` plays the games (on several processes if asked), then
`BalanceReport` holds per-bot means and spreads, how each bot spent its time
and with how many people, each customer person's loyalty, reach and
defections, any lesson metric asked for, each lesson's verdict with its
numbers, each bot's coverage of the scenario, and the actions, events, answers
and introductions no run ever reached, with the reasons
(:mod:`game.coach.balance_reasons`).

While a bot plays, a watcher notes before each of its decisions what the
explanations need (which moves and introductions were open, which conditions
held and how close the others came, the best trust an introducer had): a
:class:`~game.coach.balance_reasons.RunTrace` per game.

The bots are the built-in ones (or those asked for), plus any bot a lesson
names: a built-in name or a custom `.py` file relative to the scenario's folder.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from game.bots import QUICK_BOTS, SLOW_BOTS, Bot, CustomBotError, make_bot, play
from game.coach.balance_reasons import (
    Part,
    Probe,
    RunTrace,
    Unreachable,
    explain,
    flags_set,
    introducers,
    probes,
)
from game.coach.results import lesson_metrics
from game.engine import END, Game
from game.engine.condition_values import ConditionValues
from game.engine.view import GameView
from game.scenario import LoadedScenario, parse_scenario
from game.scenario.conditions import CompiledCondition, ConditionContext
from game.scenario.lesson_metrics import METRICS, PREFIX_KINDS, PREFIXED, split_metric
from game.scenario.models import Behaviour, Lesson, Scenario
from scoring.loyalty import personal_loyalty

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
CHUNK = 25


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


def reached_in(game: Game) -> frozenset[str]:
    """Everything the game reached: actions used, events fired, event answers chosen."""
    reached = {f"event:{event}" for event in game.events_fired}
    for choice in game.choices_made:
        if choice.startswith("event:"):
            reached.add(choice)
        elif choice != "end" and not choice.startswith("intro:"):
            reached.add(f"action:{choice.split(':', 1)[0]}")
    return frozenset(reached)


class _Watch:
    """What every game of a scenario watches (built once per batch of games)."""

    def __init__(self, scenario: Scenario) -> None:
        self.action_probes, self.event_probes = probes(scenario)
        self.all_probes = [*self.action_probes, *self.event_probes]
        self.actions = frozenset(a.id for a in scenario.actions)
        self.unmet = [
            (p.id, introducers(scenario, p.id)) for p in scenario.customer.people if not p.met
        ]
        self.suppliers = [p.id for p in scenario.supplier.people]
        self.customers = [p.id for p in scenario.customer.people]


def _true(condition: CompiledCondition, context: ConditionContext) -> bool:
    try:
        return bool(condition(context))
    except (KeyError, TypeError, ValueError, ArithmeticError):
        return False


class _Recorder:
    """Notes, before each decision of one game, what :class:`RunTrace` holds."""

    def __init__(self, game: Game, watch: _Watch) -> None:
        self.game = game
        # The game's world, read (never changed) as the engine's own view of it does.
        self.world = game._world
        self.watch = watch
        self.turn = 0
        self.unseen = set(watch.actions)
        self.open: set[str] = set()
        self.held: Counter[str] = Counter()
        self.parts_true: set[str] = set()
        self.together: dict[str, frozenset[str]] = {}
        self.ranges: dict[str, tuple[float, float]] = {}
        self.intro_best: dict[str, tuple[float, str, str]] = {}
        self.present: set[str] = set()
        self.active: set[str] = set()
        self.sides: set[str] = set()
        self.waiting = list(watch.action_probes)  # actions whose `when` has not held yet

    def before(self) -> None:
        game = self.game
        # Conditions read the world exactly as the engine does when it lists moves.
        context = ConditionValues(self.world)
        if game.turn != self.turn:
            self.turn = game.turn
            self.turn_started(context)
        if self.waiting:
            self.waiting = [p for p in self.waiting if not self.holds(p, context)]
        choices = game.choices()
        if self.unseen:
            for choice in choices:
                if choice.kind == "action" and choice.source in self.unseen:
                    self.unseen.discard(choice.source)
                    self.open.add(f"action:{choice.source}")
        for choice in reversed(choices):  # introductions come after the actions
            if choice.kind == "action":
                break
            if choice.kind == "introduction" and choice.target is not None:
                self.open.add(f"intro:{choice.target}")

    def after(self, choice: str) -> None:
        if choice == END:  # the turn's moves are made: trust is at its highest
            self.sample_introducers()

    def turn_started(self, context: ConditionContext) -> None:
        nodes = self.world.nodes
        fired = self.world.state.fired
        for probe in self.watch.all_probes:  # which way each condition went this turn
            self.sides.add(f"{probe.key}={'true' if _true(probe.condition, context) else 'false'}")
        for probe in self.watch.event_probes:
            # Only events that never fire need the turns their condition held.
            if probe.key.removeprefix("event:") not in fired and self.holds(
                probe, context, count=False
            ):
                self.held[probe.key] += 1
        self.present.update(p for p in self.watch.customers if nodes[p]["side"] != "absent")
        self.active.update(
            p for p in self.watch.suppliers if nodes[p]["side"] == "supplier" and nodes[p]["active"]
        )
        self.sample_introducers()

    def holds(self, probe: Probe, context: ConditionContext, *, count: bool = True) -> bool:
        """Whether `probe`'s condition holds now; notes which parts do, and how close
        the numbers of the others are."""
        if _true(probe.condition, context):
            self.parts_true.update(part.key for part in probe.parts)
            if count:
                self.held[probe.key] = 1
            return True
        if len(probe.parts) == 1:  # the one part is the whole condition: it does not hold
            self.measure(probe.parts[0], context)
            return False
        now = []
        for part in probe.parts:
            if _true(part.check, context):
                self.parts_true.add(part.key)
                now.append(part.key)
            else:
                self.measure(part, context)
        if len(now) > len(self.together.get(probe.key, ())):
            self.together[probe.key] = frozenset(now)
        return False

    def measure(self, part: Part, context: ConditionContext) -> None:
        """Note the value of a part's measured side (`trust(a, b)` in `trust(a, b) >= 0.6`)
        while the part does not hold."""
        if part.measure is None:
            return
        try:
            value = float(part.measure.evaluate(context))
        except (KeyError, TypeError, ValueError, ArithmeticError):
            return
        low, high = self.ranges.get(part.key, (value, value))
        if value < low or value > high or part.key not in self.ranges:
            self.ranges[part.key] = (min(low, value), max(high, value))

    def sample_introducers(self) -> None:
        """The best trust each not-yet-met person's possible introducers have in one of
        the supplier's active people (what an introduction needs)."""
        nodes, succ = self.world.nodes, self.world.succ
        team = None
        for person, options in self.watch.unmet:
            wanted = nodes[person]
            if wanted["met"] or wanted["defected"] or wanted["side"] != "customer":
                continue
            if team is None:
                team = [
                    p
                    for p in self.watch.suppliers
                    if nodes[p]["side"] == "supplier" and nodes[p]["active"]
                ]
            best = self.intro_best.get(person, (-1.0, "", ""))
            for introducer in options:
                data = nodes[introducer]
                if not data["met"] or data["defected"] or data["side"] != "customer":
                    continue
                edges = succ[introducer]
                for member in team:
                    edge = edges.get(member)
                    value = edge.get("trust", 0.0) if edge else 0.0
                    if value > best[0]:
                        best = (value, introducer, member)
            if best[0] >= 0:
                self.intro_best[person] = best

    def trace(self) -> RunTrace:
        game = self.game
        nodes = game.graph.nodes
        answers = Counter(c for c in game.choices_made if c.startswith("event:"))
        return RunTrace(
            met=frozenset(p for p in self.watch.customers if nodes[p]["met"]),
            loyalty={p: round(personal_loyalty(game.graph, p), 6) for p in self.watch.customers},
            defected_to={d.who: d.competitor or "" for d in game.defections},
            answers=dict(answers),
            open=frozenset(self.open),
            held=dict(self.held),
            parts_true=frozenset(self.parts_true),
            together=dict(self.together),
            ranges=dict(self.ranges),
            intro_best=dict(self.intro_best),
            present=frozenset(self.present),
            active=frozenset(self.active),
            sides=frozenset(self.sides),
        )


class _Watched:
    """A bot that lets a recorder look before each decision; plays exactly as `bot`."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.name = bot.name
        self.recorder: _Recorder | None = None

    def reset(self, seed: int) -> None:
        self.bot.reset(seed)

    def choose(self, view: GameView) -> str:
        recorder = self.recorder
        if recorder is None:
            return self.bot.choose(view)
        recorder.before()
        choice = self.bot.choose(view)
        recorder.after(choice)
        return choice


def play_runs(
    loaded: LoadedScenario, bot_name: str, seeds: range, source: str | None = None
) -> list[RunOutcome]:
    """Play `bot_name` on each seed; keep only what the report needs.

    `source` is what to load the bot from, if not its name (a custom bot's file).
    """
    outcomes = []
    watched = _Watched(make_bot(source or bot_name))
    watch = _Watch(loaded.scenario)
    for seed in seeds:
        game = Game(loaded.scenario, seed, scenario_hash=loaded.content_hash, narrate=False)
        watched.recorder = recorder = _Recorder(game, watch)
        play(game, watched)
        outcomes.append(
            RunOutcome(bot_name, seed, lesson_metrics(game), reached_in(game), recorder.trace())
        )
    return outcomes


_WORKER_SCENARIO: LoadedScenario | None = None


def _init_worker(raw: bytes, name: str) -> None:
    global _WORKER_SCENARIO
    _WORKER_SCENARIO = parse_scenario(raw, name)


def _worker_runs(bot_name: str, source: str, start: int, stop: int) -> list[RunOutcome]:
    assert _WORKER_SCENARIO is not None
    return play_runs(_WORKER_SCENARIO, bot_name, range(start, stop), source)


def _tasks(
    bots: list[str], seed: int, runs: int, slow_runs: int | None = None
) -> Iterator[tuple[str, int, int]]:
    for bot in bots:
        count = min(runs, slow_runs) if slow_runs and bot in SLOW_BOTS else runs
        step = 1 if bot in SLOW_BOTS else CHUNK  # a slow bot's games spread over the jobs
        for start in range(seed, seed + count, step):
            yield bot, start, min(start + step, seed + count)


def scenario_folder(loaded: LoadedScenario) -> Path:
    """The folder lessons' custom bot files are relative to: the scenario file's."""
    return (loaded.file or Path(loaded.path)).parent


def balance_bots(loaded: LoadedScenario, bots: list[str] | None = None) -> dict[str, str]:
    """The bots a balance run plays, each name with what to load it from.

    `bots` (default: every quick built-in bot, not the slow `expert`) are built-in
    names or `.py` files as given; every bot a lesson names and `bots` lacks is
    added, a lesson's `.py` file read from the scenario's folder. Raise
    :class:`CustomBotError` for a bot that cannot be loaded.
    """
    chosen = {name: name for name in (bots or list(QUICK_BOTS))}
    folder = scenario_folder(loaded)
    for lesson in loaded.scenario.lessons:
        for name in (lesson.bot, lesson.above, lesson.below):
            if name is None or name in chosen:
                continue
            if name.endswith(".py"):
                file = folder / name
                if not file.is_file():
                    raise CustomBotError(
                        f"lesson '{lesson.id}' names the bot file '{name}', but there is no "
                        f"{file} (bot files are relative to the scenario's folder)"
                    )
                chosen[name] = str(file)
            else:
                chosen[name] = name
    for source in chosen.values():
        make_bot(source)  # a bad name or file fails now, with its message, not in a worker
    return chosen


def run_balance(
    loaded: LoadedScenario,
    raw: bytes,
    *,
    runs: int,
    jobs: int = 1,
    seed: int = 0,
    bots: list[str] | None = None,
    slow_runs: int | None = None,
    metrics: Sequence[str] = (),
    progress: Callable[[int], None] | None = None,
) -> BalanceReport:
    """Play every bot `runs` times from `seed` on `jobs` processes; return the report.

    `slow_runs` limits the slow bots (the `expert`, seconds a game) to that many of the
    seeds; their lessons are checked on those.
    `bots` are built-in names or `.py` files (default: every built-in bot); bots the
    lessons name are added (see :func:`balance_bots`).
    `metrics` are lesson metrics to report for every bot (ValueError for one no lesson
    of this scenario could use: see :func:`metric_problem`).
    `raw` is the scenario's text, which worker processes parse for themselves.
    `progress` is called with the number of games finished since its last call.
    """
    for metric in metrics:
        problem = metric_problem(loaded.scenario, metric)
        if problem:
            raise ValueError(problem)
    sources = balance_bots(loaded, bots)
    names = list(sources)
    report = BalanceReport(
        loaded.scenario,
        runs,
        (seed, seed + runs - 1),
        {bot: [] for bot in names},
        tuple(dict.fromkeys(metrics)),
    )
    tasks = list(_tasks(names, seed, runs, slow_runs))
    if jobs <= 1:
        for bot, start, stop in tasks:
            report.outcomes[bot] += play_runs(loaded, bot, range(start, stop), sources[bot])
            if progress:
                progress(stop - start)
        return report
    with ProcessPoolExecutor(
        max_workers=jobs, initializer=_init_worker, initargs=(raw, loaded.path)
    ) as pool:
        futures = [
            (bot, pool.submit(_worker_runs, bot, sources[bot], start, stop))
            for bot, start, stop in tasks
        ]
        for bot, future in futures:
            chunk = future.result()
            report.outcomes[bot] += chunk
            if progress:
                progress(len(chunk))
    for outcomes in report.outcomes.values():
        outcomes.sort(key=lambda r: r.seed)
    return report
