"""The expert's eye: how the `expert` bot would have decided at someone else's decision.

Shared by the turning-point analysis (`game.coach.analysis`) and the processes it
spreads its work over (`game.coach.looking`). At a decision the eye plays each option
the expert's policies would take on *selection* forks, keeps the continuation's own
choice unless another beats it by more than `Z` standard errors (as the expert does),
and plays the advised choice against the player's on *evaluation* forks, the
continuation after both. Every fork's salt comes from the real game's seed and the
decision's place in the run log, so the same decision always gets the same forks,
whichever process looks at it.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from game.bots.base import MAX_STEPS_PER_TURN, Bot, default_answer
from game.bots.expert import emphases, policies, rollout
from game.bots.forks import Batch, best_by_forks, choose_by_forks
from game.coach.advice import MIN_LOSS
from game.coach.analysis_report import Move
from game.coach.decisions import Decision, move_of, play_moves
from game.coach.departures import Plan
from game.engine.choices import END, InvalidChoice
from game.engine.game import Game
from game.engine.view import GameView

Kind = Literal["turn", "event"]

#: Evaluation forks a decision may get at most, as a multiple of the first look's.
CONFIRM = 4
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


def clearly_small(diffs: list[float]) -> bool:
    """Whether these forks already show a loss well under a turning point's least: their
    mean plus `Z` standard errors below `MIN_LOSS`, and no fork far above it."""
    if len(diffs) < 2:
        return False
    mean = statistics.fmean(diffs)
    error = statistics.stdev(diffs) / len(diffs) ** 0.5
    return mean + Z * error < MIN_LOSS and max(diffs) < 4 * MIN_LOSS


@dataclass(frozen=True)
class Looked:
    """A decision where the expert would have done otherwise, as a worker returns it."""

    kind: Kind
    advice: str  # the policy whose plan the expert advises, or the answer's id
    advised: tuple[Move, ...]
    diffs: tuple[float, ...]  # the expert's score minus the player's, per evaluation fork
    event: str | None = None


class ExpertEye:
    """The expert's way of deciding, applied to someone else's decisions."""

    def __init__(
        self,
        game: Game,
        *,
        seed: int,
        forks: int,
        horizon: int | None,
        continuation: str = "",
    ) -> None:
        """`game`: the game to look at (the start, or a still copy as a decision began);
        `seed`: the real game's, from which every salt is made."""
        self.game = game
        self.seed = seed
        self.forks = forks
        self.horizon = horizon
        bots = {name: make() for name, make in policies().items()}
        self.bots: dict[str, Bot] = bots
        self.policies: dict[str, Bot] = bots | emphases(EMPHASIS)
        for policy in self.policies.values():
            policy.reset(GameView(game).seed)
        self.continuation = continuation

    # ------------------------------------------------------------------ salts

    def _salts(self, what: str, decision: Decision | None, count: int) -> list[str]:
        """A decision's salts (or the opening's): the same for every option compared."""
        index = -1 if decision is None else decision.index
        return [f"analysis:{what}:{self.seed}:{index}:{k}" for k in range(count)]

    # ------------------------------------------------------------------ the continuation

    def pick_continuation(self, tick: Callable[[], object], batch: Batch | None = None) -> None:
        """The built-in bot that scores best over whole games from the start, on forks: a
        race, as the expert runs it, that drops a bot once the leader clearly beats it.
        `batch` plays a round's games elsewhere (each as :meth:`opening_outcome` would)."""
        salts = self._salts("opening", None, OPENING_STEP * OPENING_ROUNDS)
        self.continuation = best_by_forks(
            list(self.bots),
            self.opening_outcome,
            salts,
            step=OPENING_STEP,
            z=Z,
            each_round=tick,
            batch=batch,
        )

    def opening_outcome(self, name: str, salt: str) -> float:
        """Bot `name`'s score over a whole game from the start (the eye's game), on the
        fork `salt`: one game of the race for the continuation."""
        view = GameView(self.game)
        return self._rollout(view.fork(salt), name, view.turns)

    # ------------------------------------------------------------------ one decision

    def look(self, decision: Decision) -> Looked | None:
        """What the expert would have done instead at `decision` (the eye's game is a still
        copy of the game as it began), with what it was worth on the first `forks`
        evaluation forks; None if the expert would have done the same."""
        if decision.kind == "event":
            return self._look_at_answer(self.game, decision)
        return self._look_at_turn(self.game, decision)

    def sampler(self, decision: Decision, kind: Kind, advice: str) -> Callable[[str], float]:
        """One evaluation fork's difference, by salt: the expert's choice (`advice`: its
        policy, or its answer) against the player's, the continuation after both."""
        game = self.game
        end = self._last(self.horizon)
        if kind == "event":
            (played,) = decision.choices

            def outcome(answer: str, salt: str) -> float:
                fork = game.fork(salt)
                fork.step(answer)
                return self._rollout(fork, self.continuation, end)

            return lambda salt: outcome(advice, salt) - outcome(played, salt)
        turn = game.turn

        def sample(salt: str) -> float:
            expert = game.fork(salt)
            self._rollout(expert, advice, turn)
            player = game.fork(salt)
            play_moves(player, decision.choices)
            ahead = self._rollout(expert, self.continuation, end)
            return ahead - self._rollout(player, self.continuation, end)

        return sample

    def evaluation_salts(self, decision: Decision) -> list[str]:
        return self._salts("evaluate", decision, self.forks * CONFIRM)

    def _looked(
        self,
        decision: Decision,
        kind: Kind,
        advice: str,
        advised: tuple[Move, ...],
        event: str | None = None,
    ) -> Looked:
        sample = self.sampler(decision, kind, advice)
        salts = self.evaluation_salts(decision)[: self.forks]
        # Half the forks first: a decision that clearly cost less than a turning point's
        # least (`MIN_LOSS`) stops there; any other gets them all.
        half = max(2, len(salts) // 2)
        diffs = [sample(salt) for salt in salts[:half]]
        if not clearly_small(diffs):
            diffs += [sample(salt) for salt in salts[half:]]
        return Looked(kind, advice, advised, tuple(diffs), event)

    def _look_at_answer(self, game: Game, decision: Decision) -> Looked | None:
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
        advised = race(list(options), usual, select, salts)
        if advised == played:
            return None
        return self._looked(
            decision, "event", advised, (move_of(game, options[advised]),), event.title
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

    def _look_at_turn(self, game: Game, decision: Decision) -> Looked | None:
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
        advised = race(list(plans.values()), self.continuation, select, salts)
        if plans.get(played) == advised:
            return None
        return self._looked(decision, "turn", advised, moves[advised])

    # ------------------------------------------------------------------ playing on forks

    def on_seed(self, real: Game, decision: Decision, kind: Kind, advice: str) -> float:
        """What the expert's choice would have been worth on the game's own dice (`real`:
        a replica of the game as the decision began), the continuation playing on."""
        expert, player = real.replica(), real.replica()
        if kind == "event":
            expert.step(advice)
            player.step(decision.choices[0])
        else:
            self._rollout(expert, advice, expert.turn)
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


def race(
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
    return choose_by_forks(options, baseline, outcome, salts, screen=SELECT_SCREEN, z=Z)
