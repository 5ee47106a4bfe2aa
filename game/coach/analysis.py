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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from game.coach.advice import MIN_LOSS, answer_why, plan_label, takeaways, turn_why
from game.coach.analysis_report import (
    Analysis,
    AnalysisError,
    Departure,
    Moment,
    Move,
    Phase,
    Settings,
    log_digest,
)
from game.coach.decisions import Decision, decisions, move_of
from game.coach.departures import departure
from game.coach.expert_eye import CONFIRM, ExpertEye, Kind, Looked
from game.coach.looking import Confirm, Look, Setting, Workers
from game.engine.choices import END, InvalidChoice
from game.engine.game import Game
from game.engine.replaying import ReplayError
from game.engine.runlog import RunLog
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
#: Decisions played on `CONFIRM` times as many forks at most: the costliest-looking. They
#: stop early once their loss is clear (`game.coach.looking.clear`).
CONFIRM_TOP = 8
#: Turns the continuation plays after a decision before the fork is scored; None: to the end.
DEFAULT_HORIZON: int | None = None
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

    decision: Decision
    kind: Kind
    advice: str  # the policy whose plan the expert advises, or the answer's id
    advised: tuple[Move, ...]
    diffs: tuple[float, ...]
    event: str | None = None
    on_seed: float = 0.0  # the difference on the game's own dice
    turn: int = 0
    played: tuple[Move, ...] = ()

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
    jobs: int = 1,
) -> Analysis:
    """The turning points of the game `log` records (see the module's documentation).

    Raises :class:`ReplayError` if the log does not fit `scenario`. `progress(done,
    total)` is called as decisions are looked at; whatever it raises stops the
    analysis and propagates. `jobs` processes look at the decisions (1: this one);
    the answer is the same whatever their number.
    """
    if forks < 2:
        raise ValueError("an analysis needs at least 2 forks per decision")
    digest = scenario_hash or content_hash(scenario)
    _check_fits(scenario, log, digest)
    found = decisions(log.choices)
    total = 1 + len(found) + CONFIRM_TOP
    report = progress or (lambda done, total: None)
    report(0, total)
    setting = Setting(scenario, digest, log.seed, log.choices, forks, horizon)
    with Workers(setting, jobs) as workers:  # the processes start while the race runs
        game = Game(scenario, log.seed, scenario_hash=digest, narrate=False)
        eye = ExpertEye(game, seed=log.seed, forks=forks, horizon=horizon)
        eye.pick_continuation(lambda: report(0, total), workers.opening)
        # The expert from the same start: on the game's own dice, and on average (played
        # below, while the workers look at the decisions).
        starts = [game.replica()]
        starts += [game.fork(f"analysis:account:{game.seed}:{k}") for k in range(forks)]
        report(1, total)
        looked_at, every_move, last_turns = _walk(game, log.choices, found)
        looks = workers.look(Look(decision, eye.continuation) for decision, *_ in looked_at)
        expert_on_seed, *expected = [eye.rollout(start, game.turns) for start in starts]
        findings = _look_at(eye, looked_at, looks, report, total)
        # A few forks' mean is ruled by the rare future that loses the account: the
        # decisions that look costliest are played on up to `CONFIRM` times as many forks.
        likely = sorted(
            (f for f in findings if f.loss >= min_loss),
            key=lambda f: (-f.loss, f.decision.index),
        )[:CONFIRM_TOP]
        confirmed = workers.confirm(  # the workers start on them…
            [
                Confirm(f.decision, eye.continuation, f.kind, f.advice, f.diffs, forks * CONFIRM)
                for f in likely
            ]
        )
        leavers = _departures(game, eye, last_turns, forks, horizon)  # …while this runs here
        for number, (finding, diffs) in enumerate(
            zip(likely, confirmed, strict=True), 2 + len(found)
        ):
            finding.diffs = diffs
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


def _check_fits(scenario: Scenario, log: RunLog, digest: str) -> None:
    """:class:`ReplayError` unless `log` was played on this version of `scenario`."""
    if log.scenario != scenario.id:
        raise ReplayError(f"the run log is for scenario '{log.scenario}', not '{scenario.id}'")
    if log.scenario_hash != digest:
        raise ReplayError(
            f"the run log was recorded with a different version of scenario '{scenario.id}'; "
            "analysing it would not look at the same game"
        )


def _departures(
    game: Game,
    eye: ExpertEye,
    last_turns: dict[int, tuple[Decision, Game]],
    forks: int,
    horizon: int | None,
) -> list[Departure]:
    """Every departure of the game, told with its terms and what would have kept them."""
    return [
        departure(
            record,
            name=game.full_name(record.who),
            last_turn=last_turns.get(record.turn),
            plans=lambda still: ExpertEye(
                still, seed=game.seed, forks=forks, horizon=horizon, continuation=eye.continuation
            ).plans(still),
            salts=[f"analysis:departure:{game.seed}:{record.who}:{k}" for k in range(forks)],
        )
        for record in game.defections
    ]


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


Walked = tuple[
    list[tuple[Decision, int, tuple[Move, ...], Game]],
    list[Move],
    dict[int, tuple[Decision, Game]],
]


def _walk(game: Game, choices: Sequence[str], found: list[Decision]) -> Walked:
    """Play the real game through the log, decision by decision: at each, the turn, what
    the player did, and a replica to look back on; every move made; and for each turn
    a still copy of the game as its decision began (for the departures)."""
    looked_at: list[tuple[Decision, int, tuple[Move, ...], Game]] = []
    every_move: list[Move] = []
    last_turns: dict[int, tuple[Decision, Game]] = {}
    position = 0
    for decision in found:
        _advance(game, choices, position, decision.index)
        position = decision.index + len(decision.choices)
        if game.finished:
            break
        turn = game.turn
        if decision.kind == "turn":
            last_turns[turn] = (decision, game.fork(f"analysis:still:{game.seed}:{turn}"))
        real = game.replica()
        played = _advance(game, choices, decision.index, position)
        every_move += played
        looked_at.append((decision, turn, tuple(played), real))
    _advance(game, choices, position, len(choices))
    return looked_at, every_move, last_turns


def _look_at(
    eye: ExpertEye,
    looked_at: list[tuple[Decision, int, tuple[Move, ...], Game]],
    results: Iterable[Looked | None],
    report: Callable[[int, int], object],
    total: int,
) -> list[_Finding]:
    """Every decision where the expert would have done otherwise (as the workers looked
    at them), with what it was worth on the game's own dice."""
    findings: list[_Finding] = []
    for number, ((decision, turn, mine, real), looked) in enumerate(
        zip(looked_at, results, strict=True), 2
    ):
        report(number, total)
        if looked is None:
            continue
        advised = looked.advised
        if looked.kind == "turn":
            advised = open_in_order(real, advised)
        on_seed = eye.on_seed(real, decision, looked.kind, looked.advice)
        findings.append(
            _Finding(
                decision,
                looked.kind,
                looked.advice,
                advised,
                looked.diffs,
                looked.event,
                on_seed,
                turn,
                mine,
            )
        )
    return findings


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
