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

No Textual, no I/O: the result is data (`Analysis.to_dict()`, `to_json()`), and a
`progress(done, total)` callback lets a front end show progress (raising from it,
say :class:`AnalysisCancelled`, stops the analysis). Every fork's salt comes from
the game's seed and the decision's place in the log, so the same run log always
gives the same analysis.
"""

from __future__ import annotations

import hashlib
import json
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from game.bots.base import MAX_STEPS_PER_TURN, Bot, default_answer
from game.bots.expert import emphases, policies, rollout
from game.common.errors import UserError
from game.engine.choices import END, Choice, InvalidChoice
from game.engine.game import Game
from game.engine.replaying import ReplayError
from game.engine.runlog import RunLog
from game.engine.view import GameView
from game.scenario.loader import content_hash
from game.scenario.models import Scenario

FORMAT: Literal["rapport-analysis"] = "rapport-analysis"
VERSION: Literal[1] = 1

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
#: A decision costs at least this many points, and `REPORT_Z` standard errors, to be a
#: turning point.
MIN_LOSS = 5.0
REPORT_Z = 2.0
#: Turning points reported: always the three largest, the fourth and fifth only if they cost
#: at least half as much as the third.
MOST_MOMENTS = 5
FEWEST_MOMENTS = 3
TAKEAWAYS = 3

#: Behaviour tags as plain English, for the reasons and takeaways.
BEHAVIOUR_WORDS = {
    "contact": "regular contact",
    "special_needs": "help with special needs",
    "training": "training",
    "industry_info": "industry news",
    "business_review": "business reviews",
    "product_ideas": "asking for product ideas",
    "networking": "networking and introductions",
    "company_communication": "company communication",
    "account_plan": "account planning",
    "innovation": "innovations",
    "delivery": "deliveries",
    "service": "service and support",
    "discount": "discounts",
    "loyalty_program": "the loyalty programme",
    "selling": "selling",
    "other": "other moves",
    "decline": "saying no",
}

Progress = Callable[[int, int], object]


class AnalysisCancelled(Exception):
    """Raised by a progress callback to stop an analysis (a front end leaving)."""


class AnalysisError(UserError, ValueError):
    """A saved analysis that cannot be read; the message says why."""


# ---------------------------------------------------------------------- the result

_Text = Annotated[str, Field(max_length=2000)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Move(_Model):
    """One move of a decision: what it was, its behaviour tag, whom it was for, its time."""

    id: _Text
    label: _Text
    behaviour: _Text
    person: _Text | None = None  # the target's id
    name: _Text | None = None  # the target's name and role
    cost: float = 0.0


class Moment(_Model):
    """A turning point: a decision where the expert's choice was worth clearly more."""

    turn: int
    kind: Literal["turn", "event"]
    choice: _Text  # what the player did
    expert: _Text  # what the expert would have done
    loss: float  # expected score points lost, the expert's choice against the player's
    error: float = 0.0  # standard error of `loss`
    why: _Text
    event: _Text | None = None  # the event's title, for an answer
    played: tuple[Move, ...] = ()
    advised: tuple[Move, ...] = ()


class Settings(_Model):
    forks: int
    horizon: int | None
    continuation: str


class Analysis(_Model):
    """The turning points of one game, and what to take from them."""

    format: Literal["rapport-analysis"] = FORMAT
    version: Literal[1] = VERSION
    scenario: _Text
    scenario_hash: _Text
    seed: int
    log: _Text  # digest of the run log's choices: which game this analysis is of
    player: _Text | None = None
    bot: _Text | None = None
    finished: bool
    score: int
    decisions: int  # decisions looked at
    differed: int  # of them, where the expert would have done something else
    moments: tuple[Moment, ...]
    takeaways: tuple[_Text, ...]
    settings: Settings
    time_unit: _Text = "h"

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=1, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str | bytes) -> Analysis:
        """A saved analysis; :class:`AnalysisError` if it is not one."""
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            raise AnalysisError("not an analysis: the text is not valid JSON") from None
        try:
            return cls.model_validate(data)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "the file"
            raise AnalysisError(f"not an analysis: {where}: {first['msg']}") from None

    def matches(self, log: RunLog) -> bool:
        """Whether this is the analysis of `log`."""
        return (
            self.scenario == log.scenario
            and self.scenario_hash == log.scenario_hash
            and self.seed == log.seed
            and self.log == log_digest(log)
        )


def log_digest(log: RunLog) -> str:
    """A digest of the run log's game (scenario, hash, seed and choices)."""
    text = json.dumps([log.scenario, log.scenario_hash, log.seed, list(log.choices)])
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


# ---------------------------------------------------------------------- decisions


@dataclass(frozen=True)
class Decision:
    """One decision in a run log: an event's answer, or a turn's moves (ending with END)."""

    index: int  # position of its first choice in the log
    kind: Literal["turn", "event"]
    choices: tuple[str, ...]


def decisions(choices: Sequence[str]) -> list[Decision]:
    """The run log's decisions, in order. A turn's moves left unfinished are not one."""
    found: list[Decision] = []
    start: int | None = None
    for index, choice in enumerate(choices):
        if choice.startswith("event:"):
            found.append(Decision(index, "event", (choice,)))
            continue
        if start is None:
            start = index
        if choice == END:
            found.append(Decision(start, "turn", tuple(choices[start : index + 1])))
            start = None
    return found


@dataclass
class _Finding:
    """A decision where the expert would have done otherwise: what, and what it is worth
    on the forks looked at so far (the expert's score minus the player's, per fork)."""

    kind: Literal["turn", "event"]
    advised: tuple[Move, ...]
    sample: Callable[[str], float]  # one fork's difference, by salt
    salts: list[str]  # every evaluation fork it may use, in order
    event: str | None = None
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
            why = _answer_why(mine[0], theirs[0], unit)
        else:
            choice, expert = _plan_label(mine), _plan_label(theirs)
            why = _turn_why(mine, theirs, unit)
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
    report(1, total)
    findings: list[_Finding] = []
    every_move: list[Move] = []
    position = 0
    for number, decision in enumerate(found, 2):
        _advance(game, log.choices, position, decision.index)
        position = decision.index + len(decision.choices)
        if game.finished:
            break
        turn = game.turn
        finding = eye.look(decision)
        played = _advance(game, log.choices, decision.index, position)
        every_move += played
        if finding is not None:
            finding.turn, finding.played = turn, tuple(played)
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
    return Analysis(
        scenario=scenario.id,
        scenario_hash=digest,
        seed=log.seed,
        log=log_digest(log),
        player=log.player,
        bot=log.bot,
        finished=game.finished,
        score=game.score().total,
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
    )


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
            made.append(_move(game, choice))
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
            (_move(game, options[advised]),),
            lambda salt: outcome(advised, salt) - outcome(played, salt),
            self._salts("evaluate", decision, self.forks * CONFIRM),
            event=event.title,
        )

    def _look_at_turn(self, game: Game, decision: Decision) -> _Finding | None:
        played = decision.choices
        plans: dict[tuple[str, ...], str] = {}
        moves: dict[str, tuple[Move, ...]] = {}
        for name in (self.continuation, *self.policies):
            plan, made = self._plan(game.fork("plan"), name)
            if plan not in plans:
                plans[plan] = name
                moves[name] = made
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
            _play_moves(player, played)
            ahead = self._rollout(expert, self.continuation, end)
            return ahead - self._rollout(player, self.continuation, end)

        salts = self._salts("evaluate", decision, self.forks * CONFIRM)
        return _Finding("turn", moves[advised], sample, salts)

    # ------------------------------------------------------------------ playing on forks

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
            moves.append(_move(game, picked))
            made.append(picked.id)
            game.step(picked.id)
        return tuple(made), tuple(m for m in moves if m.id != END)

    def _rollout(self, game: Game, name: str, last: int) -> float:
        """Let policy `name` play `game` to the end of turn `last`; return the score."""
        return rollout(game, self.policies[name], last)


def _move(game: Game, choice: Choice) -> Move:
    """A choice as a turning point records it."""
    target = choice.target
    return Move(
        id=choice.id,
        label=choice.label,
        behaviour=choice.behaviour,
        person=target,
        name=game.full_name(target) if target else None,
        cost=choice.cost,
    )


def _play_moves(game: Game, moves: Iterable[str]) -> None:
    """The player's recorded moves of a turn, on a fork: a move the fork's dice closed is
    skipped, an event they brought takes its default answer, and the turn ends."""
    turn = game.turn
    view = GameView(game)
    for move in moves:
        while game.pending_event is not None and not game.finished:
            game.step(default_answer(view))
        if game.finished or game.turn != turn:
            return
        try:
            game.step(move)
        except InvalidChoice:
            continue
    while not game.finished and game.turn == turn:
        game.step(default_answer(view))


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


# ---------------------------------------------------------------------- words


def behaviour_words(tag: str) -> str:
    """A behaviour tag as plain English."""
    return BEHAVIOUR_WORDS.get(tag, tag.replace("_", " "))


def _hours(value: float, unit: str) -> str:
    return f"{value:g}{unit}" if unit in ("h", "d") else f"{value:g} {unit}"


def _plan_label(moves: Sequence[Move], most: int = 4) -> str:
    """A turn's moves as one line: the first few labels, and how many more."""
    if not moves:
        return "none: ended the turn"
    labels = [move.label for move in moves[:most]]
    if len(moves) > most:
        labels.append(f"{len(moves) - most} more")
    return "; ".join(labels)


def _by_behaviour(moves: Iterable[Move]) -> dict[str, float]:
    hours: dict[str, float] = {}
    for move in moves:
        hours[move.behaviour] = hours.get(move.behaviour, 0.0) + move.cost
    return hours


def _by_person(moves: Iterable[Move]) -> dict[str, float]:
    hours: dict[str, float] = {}
    for move in moves:
        if move.name:
            hours[move.name] = hours.get(move.name, 0.0) + move.cost
    return hours


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _turn_why(mine: Sequence[Move], theirs: Sequence[Move], unit: str) -> str:
    """Why the expert's turn differs: the behaviours, the people, the time."""
    expert, player = _by_behaviour(theirs), _by_behaviour(mine)
    tags = sorted(
        set(expert) | set(player), key=lambda t: -abs(expert.get(t, 0) - player.get(t, 0))
    )
    more = [
        f"{behaviour_words(t)} (+{_hours(expert.get(t, 0) - player.get(t, 0), unit)})"
        for t in tags
        if expert.get(t, 0) - player.get(t, 0) > 1e-9
    ][:3]
    less = [
        f"{behaviour_words(t)} (−{_hours(player.get(t, 0) - expert.get(t, 0), unit)})"
        for t in tags
        if player.get(t, 0) - expert.get(t, 0) > 1e-9
    ][:3]
    parts = []
    if more:
        parts.append(f"more time on {_and(more)}")
    if less:
        parts.append(f"less on {_and(less)}")
    sentence = (
        "The expert would have spent " + " and ".join(parts)
        if parts
        else "The expert would have spent its time on the same kinds of move"
    )
    seen, met = _by_person(theirs), _by_person(mine)
    missed = [name for name in sorted(seen, key=lambda n: -seen[n]) if name not in met][:2]
    if missed:
        sentence += f", and would have worked with {_and(missed)}, whom you left out this turn"
    elif not parts:
        skipped = [name for name in sorted(met, key=lambda n: -met[n]) if name not in seen][:2]
        if skipped:
            sentence += f", but not with {_and(skipped)}"
        else:
            sentence += ", in another order or with other people on your side"
    spent, used = sum(m.cost for m in theirs), sum(m.cost for m in mine)
    if abs(spent - used) > 1e-9:
        sentence += f" ({_hours(spent, unit)} used against your {_hours(used, unit)})"
    return sentence + "."


def _move_words(move: Move, unit: str) -> str:
    cost = _hours(move.cost, unit) if move.cost else "no time"
    details = [behaviour_words(move.behaviour), cost]
    if move.name:
        details.append(move.name)
    return f"“{move.label}” ({', '.join(details)})"


def _answer_why(mine: Move, theirs: Move, unit: str) -> str:
    return (
        f"The expert would have answered {_move_words(theirs, unit)} "
        f"rather than {_move_words(mine, unit)}."
    )


def takeaways(
    moments: Sequence[Moment],
    *,
    decisions: int,
    unit: str,
    moves: Sequence[Move] = (),
    closest: Moment | None = None,
) -> list[str]:
    """Three short lessons from the turning points: the behaviour the player under-used,
    the person they neglected, what they leaned on too much, an event answer; without
    turning points, the closest call and where the player's time went (`moves`: every
    move of the game)."""
    lines: list[str] = []
    turns = [m for m in moments if m.kind == "turn"]
    expert: dict[str, float] = {}
    player: dict[str, float] = {}
    for m in turns:
        for tag, hours in _by_behaviour(m.advised).items():
            expert[tag] = expert.get(tag, 0.0) + hours
        for tag, hours in _by_behaviour(m.played).items():
            player[tag] = player.get(tag, 0.0) + hours
    gaps = {t: expert.get(t, 0.0) - player.get(t, 0.0) for t in set(expert) | set(player)}
    under = sorted((t for t in gaps if gaps[t] > 1e-9), key=lambda t: (-gaps[t], t))
    over = sorted((t for t in gaps if gaps[t] < -1e-9), key=lambda t: (gaps[t], t))
    if under:
        t = under[0]
        lines.append(
            f"Spend more time on {behaviour_words(t)}: at these turning points the expert gave "
            f"it {_hours(expert.get(t, 0.0), unit)}, you {_hours(player.get(t, 0.0), unit)}."
        )
    people: dict[str, tuple[int, float]] = {}
    for m in turns:
        seen, met = _by_person(m.advised), _by_person(m.played)
        for name, hours in seen.items():
            if hours > met.get(name, 0.0) + 1e-9:
                count, total = people.get(name, (0, 0.0))
                people[name] = (count + 1, total + hours - met.get(name, 0.0))
    if people:
        name = min(people, key=lambda n: (-people[n][0], -people[n][1], n))
        count = people[name][0]
        where = "one" if count == 1 else str(count)
        lines.append(
            f"Do not neglect {name}: at {where} of these turning points the expert gave them "
            "more time than you did."
        )
    if over:
        t = over[0]
        lines.append(
            f"Lean less on {behaviour_words(t)}: you gave it {_hours(player.get(t, 0.0), unit)} "
            f"at these turning points, the expert {_hours(expert.get(t, 0.0), unit)}."
        )
    for m in moments:
        if m.kind == "event":
            lines.append(
                f"Weigh an event's answers: at turn {m.turn}, “{m.expert}” was worth about "
                f"{m.loss:.0f} points more than “{m.choice}”."
            )
            break
    if moments:
        worst = max(moments, key=lambda m: m.loss)
        total = sum(m.loss for m in moments)
        lines.append(
            f"These {len(moments)} decisions cost about {total:.0f} points in all; the "
            f"costliest was turn {worst.turn}'s, about {worst.loss:.0f}."
            if len(moments) > 1
            else f"The one costly decision was turn {worst.turn}'s, about {worst.loss:.0f} points."
        )
        return lines[:TAKEAWAYS]
    lines.append(
        f"No decision cost a clear {MIN_LOSS:.0f} points or more: at each of the {decisions} "
        "decisions looked at, your choice held up against the expert's."
    )
    if closest is not None:
        lines.append(
            f"The closest call was turn {closest.turn}: the expert would have chosen "
            f"“{closest.expert}”, perhaps {closest.loss:.0f} points better, within the noise."
        )
    mix = _by_behaviour(moves)
    spent = sum(mix.values())
    if spent > 0:
        top = sorted(mix, key=lambda t: (-mix[t], t))[:2]
        shares = _and([f"{behaviour_words(t)} ({mix[t] / spent:.0%})" for t in top])
        lines.append(f"Most of your time went to {shares}: keep the habits that worked.")
    lines.append("Try another seed or scenario: the same habits should carry over.")
    return lines[:TAKEAWAYS]
