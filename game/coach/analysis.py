"""Turning points: a finished game looked at with the expert's eye.

`analyse(scenario, log)` replays a run log and, at every decision the player
made (each turn's set of moves, and each answer to an event), asks what the
`expert` bot (`game.bots.expert`) would have done there, and what the
difference was worth:

1. The expert's *continuation* is chosen once, at the start of the game, as the
   expert chooses it: the built-in bot that scores best over whole games played
   out on forks (a race that drops a bot once the leader clearly beats it).
2. At each decision the expert picks its option exactly as it does when it plays:
   each policy that would play the turn differently (or each answer) plays it on
   *selection* forks, the continuation plays on for `SELECT_HORIZON` (4) more turns,
   and the expert departs from the continuation's own choice only when another
   option beats it by more than `Z` (2) standard errors of the paired differences.
3. If the player did something else, both (the player's moves as recorded, and
   the expert's choice) are played on the same *evaluation* forks, fresh ones so
   that the forks that picked the expert's option do not also judge it, each
   followed by the continuation to the end of the game (or `horizon` more turns).
   The mean difference of the scores is the decision's expected `loss`, in score
   points; common random numbers (every option faces the same futures) keep its
   error small. Most forks differ by a few points, and a rare one by hundreds (a
   future where the account is lost), so the `CONFIRM_TOP` decisions that look
   costliest on `forks` forks are played on `CONFIRM` times as many.

The turning points are the three to five decisions with the largest loss that is
both at least `min_loss` points and more than `REPORT_Z` standard errors above
zero, so that a lucky fork or two never makes one. Three takeaways are derived
from them: the behaviour the player under-used, the person they neglected, what
they leaned on too much.

The whole result: the continuation also plays from the start on the game's own dice
(`Game.replica`, for looking back only) and on forks; the gap to the player's score is
split into what each decision where the expert would have chosen otherwise was worth on
the game's own dice (`on_seed`, summed as `explained` and by `phases`), and every
departure is told with its terms and what would have kept them
(`game.coach.departures`).

No Textual, no I/O: the result is data (`Analysis.to_dict()`, `to_json()`), and a
`progress(done, total)` callback lets a front end show progress (raising from it,
say :class:`AnalysisCancelled`, stops the analysis). Every fork's salt comes from
the game's seed and the decision's place in the log, so the same run log always
gives the same analysis.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from game.bots.base import MAX_STEPS_PER_TURN, Bot, default_answer
from game.bots.expert import emphases, policies, rollout
from game.coach.advice import MIN_LOSS, answer_why, plan_label, takeaways, turn_why
from game.coach.analysis_report import (
    Analysis,
    AnalysisError,
    Moment,
    Move,
    Phase,
    Settings,
    log_digest,
)
from game.coach.decisions import Decision, decisions, move_of, play_moves
from game.coach.departures import Plan, departure
from game.engine.choices import END, InvalidChoice
from game.engine.game import Game
from game.engine.replaying import ReplayError
from game.engine.runlog import RunLog
from game.engine.view import GameView
from game.scenario.loader import content_hash
from game.scenario.models import Scenario

__all__ = [
    "DEFAULT_FORKS",
    "Analysis",
    "AnalysisCancelled",
    "AnalysisError",
    "Moment",
    "Move",
    "Settings",
    "analyse",
    "decisions",
]

#: Evaluation forks per decision the player and the expert decided differently, and how many
#: times as many for a decision that looks costly on them.
DEFAULT_FORKS = 12
CONFIRM = 4
#: Decisions played on `CONFIRM` times as many forks at most: the costliest-looking.
CONFIRM_TOP = 8
#: Turns the continuation plays after a decision before the fork is scored; None: to the end.
DEFAULT_HORIZON: int | None = None
#: Selection forks per option (every option plays `screen` of them; leaders all).
SELECT_FORKS = 8
SELECT_SCREEN = 4
#: Turns after the decision's own before a selection fork is scored (the expert's horizon).
SELECT_HORIZON = 4
#: Standard errors by which an option must win (as the expert: 2).
Z = 2.0
#: The weight the expert's emphases give their behaviour.
EMPHASIS = 3.0
#: The race for the continuation: forks per bot per round, and rounds at most.
OPENING_STEP = 6
OPENING_ROUNDS = 4
#: Standard errors above zero a decision's loss must be, besides `MIN_LOSS`, to be a
#: turning point.
REPORT_Z = 2.0
#: Turning points reported: always the three largest, the fourth and fifth only if they cost
#: at least half as much as the third.
MOST_MOMENTS = 5
FEWEST_MOMENTS = 3

Progress = Callable[[int, int], object]


class AnalysisCancelled(Exception):
    """Raised by a progress callback to stop an analysis (a front end leaving)."""


@dataclass
class _Finding:
    """A decision where the expert would have done otherwise: what, and what it is worth
    on the forks looked at so far (the expert's score minus the player's, per fork)."""

    kind: Literal["turn", "event"]
    advice: str  # the policy whose plan the expert advises, or the answer's id
    advised: tuple[Move, ...]
    sample: Callable[[str], float]  # one fork's difference, by salt
    salts: list[str]  # every evaluation fork it may use, in order
    event: str | None = None
    on_seed: float = 0.0  # the difference on the game's own dice
    diffs: list[float] = field(default_factory=list)
    turn: int = 0
    played: tuple[Move, ...] = ()

    def evaluate(self, forks: int) -> None:
        """Play it on forks until `forks` of them are looked at."""
        self.diffs += [self.sample(salt) for salt in self.salts[len(self.diffs) : forks]]

    @property
    def loss(self) -> float:
        return statistics.fmean(self.diffs)

    @property
    def error(self) -> float:
        return statistics.stdev(self.diffs) / len(self.diffs) ** 0.5

    def moment(self, unit: str) -> Moment:
        """The turning point, with the player's moves as the game listed them."""
        mine, theirs = self.played, self.advised
        if self.kind == "event":
            choice, expert = mine[0].label, theirs[0].label
            why = answer_why(mine[0], theirs[0], unit)
        else:
            choice, expert = plan_label(mine), plan_label(theirs)
            why = turn_why(mine, theirs, unit)
        return Moment(
            turn=self.turn,
            kind=self.kind,
            choice=choice,
            expert=expert,
            loss=round(self.loss, 1),
            error=round(self.error, 1),
            why=why,
            event=self.event,
            played=mine,
            advised=theirs,
            on_seed=round(self.on_seed, 1),
        )


# ---------------------------------------------------------------------- analysing


def analyse(
    scenario: Scenario,
    log: RunLog,
    *,
    scenario_hash: str | None = None,
    forks: int = DEFAULT_FORKS,
    horizon: int | None = DEFAULT_HORIZON,
    min_loss: float = MIN_LOSS,
    progress: Progress | None = None,
) -> Analysis:
    """The turning points of the game `log` records (see the module's documentation).

    Raises :class:`ReplayError` if the log does not fit `scenario`. `progress(done,
    total)` is called as decisions are looked at; whatever it raises stops the
    analysis and propagates.
    """
    if forks < 2:
        raise ValueError("an analysis needs at least 2 forks per decision")
    digest = scenario_hash or content_hash(scenario)
    if log.scenario != scenario.id:
        raise ReplayError(f"the run log is for scenario '{log.scenario}', not '{scenario.id}'")
    if log.scenario_hash != digest:
        raise ReplayError(
            f"the run log was recorded with a different version of scenario '{scenario.id}'; "
            "analysing it would not look at the same game"
        )
    found = decisions(log.choices)
    total = 1 + len(found) + CONFIRM_TOP
    report = progress or (lambda done, total: None)
    report(0, total)
    game = Game(scenario, log.seed, scenario_hash=digest, narrate=False)
    eye = _ExpertEye(game, forks=forks, horizon=horizon)
    eye.pick_continuation(lambda: report(0, total))
    # The expert from the same start: on the game's own dice, and on average over futures.
    expert_on_seed = eye.rollout(game.replica(), game.turns)
    expected = [
        eye.rollout(game.fork(f"analysis:account:{game.seed}:{k}"), game.turns)
        for k in range(forks)
    ]
    report(1, total)
    findings: list[_Finding] = []
    every_move: list[Move] = []
    last_turns: dict[int, tuple[Decision, Game]] = {}
    position = 0
    for number, decision in enumerate(found, 2):
        _advance(game, log.choices, position, decision.index)
        position = decision.index + len(decision.choices)
        if game.finished:
            break
        turn = game.turn
        if decision.kind == "turn":
            last_turns[turn] = (decision, game.fork(f"analysis:still:{game.seed}:{turn}"))
        real = game.replica()
        finding = eye.look(decision)
        played = _advance(game, log.choices, decision.index, position)
        every_move += played
        if finding is not None:
            finding.turn, finding.played = turn, tuple(played)
            if finding.kind == "turn":
                finding.advised = open_in_order(real, finding.advised)
            finding.on_seed = eye.on_seed(real, decision, finding)
            finding.evaluate(forks)
            findings.append(finding)
        report(number, total)
    _advance(game, log.choices, position, len(log.choices))
    # A few forks' mean is ruled by the rare future that loses the account: the decisions
    # that look costliest are played on `CONFIRM` times as many forks.
    likely = sorted(
        (f for f in findings if f.loss >= min_loss), key=lambda f: (-f.loss, f.salts[0])
    )[:CONFIRM_TOP]
    for number, finding in enumerate(likely, 2 + len(found)):
        finding.evaluate(forks * CONFIRM)
        report(number, total)
    report(total, total)
    moments = [
        f.moment(scenario.time_unit)
        for f in findings
        if f.loss >= min_loss and f.loss > REPORT_Z * f.error
    ]
    chosen = _turning_points(moments)
    near = [f for f in findings if f.loss > 0]
    closest = (
        max(near, key=lambda f: (f.loss, -f.turn)).moment(scenario.time_unit) if near else None
    )
    score = game.score().total
    leavers = [
        departure(
            record,
            name=game.full_name(record.who),
            last_turn=last_turns.get(record.turn),
            plans=eye.plans,
            salts=[f"analysis:departure:{game.seed}:{record.who}:{k}" for k in range(forks)],
        )
        for record in game.defections
    ]
    return Analysis(
        scenario=scenario.id,
        scenario_hash=digest,
        seed=log.seed,
        log=log_digest(log),
        player=log.player,
        bot=log.bot,
        finished=game.finished,
        score=score,
        decisions=len(found),
        differed=len(findings),
        moments=tuple(chosen),
        takeaways=tuple(
            takeaways(
                chosen,
                decisions=len(found),
                unit=scenario.time_unit,
                moves=every_move,
                closest=closest,
            )
        ),
        settings=Settings(forks=forks, horizon=horizon, continuation=eye.continuation),
        time_unit=scenario.time_unit,
        expert_score=round(expert_on_seed, 1),
        expert_expected=round(statistics.fmean(expected), 1),
        futures=len(expected),
        gap=round(expert_on_seed - score, 1),
        explained=round(sum(f.on_seed for f in findings), 1),
        phases=_phases(findings, scenario.turns),
        departures=tuple(leavers),
    )


PHASE_NAMES = ("opening", "middle game", "end game")


def _phases(findings: Sequence[_Finding], turns: int) -> tuple[Phase, ...]:
    """The game in thirds, each with what its decisions cost against the expert's."""
    size = math.ceil(turns / len(PHASE_NAMES))
    phases = []
    for number, name in enumerate(PHASE_NAMES):
        first, last = number * size + 1, min(turns, (number + 1) * size)
        if first > last:
            break
        inside = [f for f in findings if first <= f.turn <= last]
        phases.append(
            Phase(
                name=name,
                first=first,
                last=last,
                loss=round(sum(f.on_seed for f in inside), 1),
                decisions=len(inside),
            )
        )
    return tuple(phases)


def open_in_order(real: Game, moves: tuple[Move, ...]) -> tuple[Move, ...]:
    """The advised moves the player could really have made, one after the other, in the
    game as the decision began (never advice to make a move that was not open)."""
    game = real.replica()
    kept = []
    for move in moves:
        if game.pending_event is not None or all(c.id != move.id for c in game.choices()):
            continue
        game.step(move.id)
        kept.append(move)
    return tuple(kept)


def _advance(game: Game, choices: Sequence[str], start: int, stop: int) -> list[Move]:
    """Play the log's choices `start` to `stop` (exclusive) on the real game; return them
    as the game listed them."""
    made = []
    for index in range(start, min(stop, len(choices))):
        try:
            choice = game.choice(choices[index])
            game.step(choice.id)
        except InvalidChoice as error:
            raise ReplayError(
                f"choice {index + 1} of {len(choices)} ({choices[index]!r}): {error}"
            ) from None
        if choice.id != END:
            made.append(move_of(game, choice))
    return made


def _turning_points(moments: list[Moment]) -> list[Moment]:
    """The three largest losses, and the fourth and fifth if at least half the third's;
    in the order of the game."""
    ranked = sorted(moments, key=lambda m: (-m.loss, m.turn))
    kept = ranked[:FEWEST_MOMENTS]
    if len(kept) == FEWEST_MOMENTS:
        floor = kept[-1].loss / 2
        kept += [m for m in ranked[FEWEST_MOMENTS:MOST_MOMENTS] if m.loss >= floor]
    return sorted(kept, key=lambda m: (m.turn, m.kind != "event"))


class _ExpertEye:
    """The expert's way of deciding, applied to someone else's decisions."""

    def __init__(self, game: Game, *, forks: int, horizon: int | None) -> None:
        self.game = game
        self.forks = forks
        self.horizon = horizon
        bots = {name: make() for name, make in policies().items()}
        self.bots: dict[str, Bot] = bots
        self.policies: dict[str, Bot] = bots | emphases(EMPHASIS)
        for policy in self.policies.values():
            policy.reset(GameView(game).seed)
        self.continuation = ""

    # ------------------------------------------------------------------ salts

    def _salts(self, what: str, decision: Decision | None, count: int) -> list[str]:
        """A decision's salts (or the opening's): the same for every option compared."""
        index = -1 if decision is None else decision.index
        return [f"analysis:{what}:{self.game.seed}:{index}:{k}" for k in range(count)]

    # ------------------------------------------------------------------ the continuation

    def pick_continuation(self, tick: Callable[[], object]) -> None:
        """The built-in bot that scores best over whole games from the start, on forks: a
        race, as the expert runs it, that drops a bot once the leader clearly beats it."""
        view = GameView(self.game)
        salts = self._salts("opening", None, OPENING_STEP * OPENING_ROUNDS)
        scores: dict[str, list[float]] = {name: [] for name in self.bots}
        alive = list(scores)
        for start in range(0, len(salts), OPENING_STEP):
            for name in alive:
                for salt in salts[start : start + OPENING_STEP]:
                    scores[name].append(self._rollout(view.fork(salt), name, view.turns))
            tick()
            leader = max(alive, key=lambda name: statistics.fmean(scores[name]))
            alive = [
                name
                for name in alive
                if name == leader or _gain(scores[leader], scores[name]) is None
            ]
            if len(alive) == 1:
                break
        self.continuation = max(alive, key=lambda name: statistics.fmean(scores[name]))

    # ------------------------------------------------------------------ one decision

    def look(self, decision: Decision) -> _Finding | None:
        """What the expert would have done instead, ready to be played against the player's
        choice on evaluation forks; None if the expert would have done the same."""
        # Forks of a still copy of the game now: the real game moves on before the
        # costliest decisions are played on more forks.
        game = self.game.fork(f"analysis:at:{self.game.seed}:{decision.index}")
        if decision.kind == "event":
            return self._look_at_answer(game, decision)
        return self._look_at_turn(game, decision)

    def _look_at_answer(self, game: Game, decision: Decision) -> _Finding | None:
        event = game.pending_event
        options = {choice.id: choice for choice in game.choices()}
        (played,) = decision.choices
        if len(options) < 2 or event is None or played not in options:
            return None
        usual = self._propose(GameView(game), self.continuation)
        last = self._last(SELECT_HORIZON)

        def select(answer: str, salt: str) -> float:
            fork = game.fork(salt)
            fork.step(answer)
            return self._rollout(fork, self.continuation, last)

        salts = self._salts("select", decision, SELECT_FORKS)
        advised = _race(list(options), usual, select, salts)
        if advised == played:
            return None
        end = self._last(self.horizon)

        def outcome(answer: str, salt: str) -> float:
            fork = game.fork(salt)
            fork.step(answer)
            return self._rollout(fork, self.continuation, end)

        return _Finding(
            "event",
            advised,
            (move_of(game, options[advised]),),
            lambda salt: outcome(advised, salt) - outcome(played, salt),
            self._salts("evaluate", decision, self.forks * CONFIRM),
            event=event.title,
        )

    def plans(self, game: Game) -> dict[str, Plan]:
        """The different plans the expert's policies would make for the rest of this
        turn, by the first policy that makes each (the continuation first)."""
        found: dict[str, Plan] = {}
        seen: set[tuple[str, ...]] = set()
        for name in (self.continuation, *self.policies):
            plan = self._plan(game.fork("plan"), name)
            if plan[0] not in seen:
                seen.add(plan[0])
                found[name] = plan
        return found

    def _look_at_turn(self, game: Game, decision: Decision) -> _Finding | None:
        played = decision.choices
        found = self.plans(game)
        plans = {plan: name for name, (plan, _moves) in found.items()}
        moves = {name: made for name, (_plan, made) in found.items()}
        turn, last = game.turn, self._last(SELECT_HORIZON)

        def select(name: str, salt: str) -> float:
            fork = game.fork(salt)
            self._rollout(fork, name, turn)
            return self._rollout(fork, self.continuation, last)

        salts = self._salts("select", decision, SELECT_FORKS)
        advised = _race(list(plans.values()), self.continuation, select, salts)
        if plans.get(played) == advised:
            return None
        end = self._last(self.horizon)

        def sample(salt: str) -> float:
            expert = game.fork(salt)
            self._rollout(expert, advised, turn)
            player = game.fork(salt)
            play_moves(player, played)
            ahead = self._rollout(expert, self.continuation, end)
            return ahead - self._rollout(player, self.continuation, end)

        salts = self._salts("evaluate", decision, self.forks * CONFIRM)
        return _Finding("turn", advised, moves[advised], sample, salts)

    # ------------------------------------------------------------------ playing on forks

    def on_seed(self, real: Game, decision: Decision, finding: _Finding) -> float:
        """What the expert's choice would have been worth on the game's own dice (`real`:
        a replica of the game as the decision began), the continuation playing on."""
        expert, player = real.replica(), real.replica()
        if finding.kind == "event":
            expert.step(finding.advice)
            player.step(decision.choices[0])
        else:
            self._rollout(expert, finding.advice, expert.turn)
            play_moves(player, decision.choices)
        end = self._last(self.horizon)
        return self._rollout(expert, self.continuation, end) - self.rollout(player, end)

    def rollout(self, game: Game, last: int) -> float:
        """Let the continuation play `game` to the end of turn `last`; return the score."""
        return self._rollout(game, self.continuation, last)

    def _last(self, horizon: int | None) -> int:
        return self.game.turns if horizon is None else self.game.turn + horizon

    def _propose(self, view: GameView, name: str) -> str:
        """Policy `name`'s choice now, if it is open; else what doing nothing means."""
        choice = self.policies[name].choose(view)
        if any(c.id == choice for c in view.choices):
            return choice
        return default_answer(view)

    def _plan(self, game: Game, name: str) -> tuple[tuple[str, ...], tuple[Move, ...]]:
        """The moves policy `name` makes in the rest of this turn of `game`."""
        view = GameView(game)
        policy = self.policies[name]
        turn = game.turn
        made: list[str] = []
        moves: list[Move] = []
        while not game.finished and game.turn == turn:
            choice = policy.choose(view) if len(made) < MAX_STEPS_PER_TURN else default_answer(view)
            try:
                picked = game.choice(choice)
            except (InvalidChoice, TypeError):
                picked = game.choice(default_answer(view))
            moves.append(move_of(game, picked))
            made.append(picked.id)
            game.step(picked.id)
        return tuple(made), tuple(m for m in moves if m.id != END)

    def _rollout(self, game: Game, name: str, last: int) -> float:
        """Let policy `name` play `game` to the end of turn `last`; return the score."""
        return rollout(game, self.policies[name], last)


def _race(
    options: list[str],
    baseline: str,
    outcome: Callable[[str, str], float],
    salts: list[str],
) -> str:
    """`baseline`, unless another option beats it on these forks by more than `Z` standard
    errors; then the one that beats it by the most (the expert's rule). Every option plays
    the first `SELECT_SCREEN` forks, only those ahead of the baseline all of them."""
    if len(options) == 1:
        return baseline
    head, tail = salts[:SELECT_SCREEN], salts[SELECT_SCREEN:]
    scores = {option: [outcome(option, salt) for salt in head] for option in options}
    ahead = statistics.fmean(scores[baseline])
    kept = [o for o in options if o != baseline and statistics.fmean(scores[o]) > ahead]
    if not kept:
        return baseline
    best, best_gain = baseline, 0.0
    for option in (baseline, *kept):
        scores[option] += [outcome(option, salt) for salt in tail]
    for option in kept:
        gain = _gain(scores[option], scores[baseline])
        if gain is not None and gain > best_gain:
            best, best_gain = option, gain
    return best


def _gain(first: list[float], second: list[float]) -> float | None:
    """How much `first` beats `second` by on average (on the same forks), if by more than
    `Z` standard errors of the paired differences; else None."""
    diffs = [a - b for a, b in zip(first, second, strict=True)]
    gain = statistics.fmean(diffs)
    error = statistics.stdev(diffs) / len(diffs) ** 0.5 if len(diffs) > 1 else 0.0
    return gain if gain > Z * error + 1e-9 else None
