"""Playing a balance run's games, watched: before each of a bot's decisions, what the
explanations of unreached parts need is noted (a
:class:`~game.coach.balance_probes.RunTrace` per game); on several processes if asked."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from game.bots import SLOW_BOTS, Bot, make_bot, play
from game.coach.balance_probes import (
    Part,
    Probe,
    RunTrace,
    introducers,
    probes,
)
from game.coach.balance_report import RunOutcome
from game.coach.results import lesson_metrics
from game.engine import END, Game
from game.engine.view import GameView
from game.scenario import LoadedScenario, parse_scenario
from game.scenario.conditions import CompiledCondition, ConditionContext
from game.scenario.models import Scenario
from scoring.loyalty import personal_loyalty
from scoring.trust_graph import node_table, succ_table

#: Games a worker plays per task (a slow bot plays one).
CHUNK = 25


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
        # Conditions read the game exactly as the engine does when it lists moves.
        self.context = game.conditions()
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
        context = self.context
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
        nodes = node_table(self.game.graph)
        fired = self.game.events_fired
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
        nodes, succ = node_table(self.game.graph), succ_table(self.game.graph)
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


def init_worker(raw: bytes, name: str) -> None:
    global _WORKER_SCENARIO
    _WORKER_SCENARIO = parse_scenario(raw, name)


def worker_runs(bot_name: str, source: str, start: int, stop: int) -> list[RunOutcome]:
    assert _WORKER_SCENARIO is not None
    return play_runs(_WORKER_SCENARIO, bot_name, range(start, stop), source)


def run_tasks(
    bots: list[str], seed: int, runs: int, slow_runs: int | None = None
) -> Iterator[tuple[str, int, int]]:
    for bot in bots:
        count = min(runs, slow_runs) if slow_runs and bot in SLOW_BOTS else runs
        step = 1 if bot in SLOW_BOTS else CHUNK  # a slow bot's games spread over the jobs
        for start in range(seed, seed + count, step):
            yield bot, start, min(start + step, seed + count)
