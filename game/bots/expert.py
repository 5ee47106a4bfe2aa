"""The expert: plays the built-in policies, choosing among them by looking ahead on forks.

The expert weighs two kinds of policy: the other deterministic built-in bots
(relationship-builder, constellation, lone-star, discounter and any others
registered in `HEURISTIC_BOTS`, but not `random` or `idle`), and *emphases*: the
relationship builder with one behaviour (training, business reviews, company
communication, …) weighted `emphasis` (3) where the seven account-manager
behaviours weigh 1. It decides three things by
playing them out on forks of the game (`GameView.fork`), whose dice are
resampled, so it never knows more than a player could:

1. At its first move, its *continuation*: the built-in bot that scores best
   playing whole games from here. It is a race: every bot plays a few forks a
   round, and leaves the race once the leader clearly beats it, so most forks
   go to telling the best bots apart.
2. At the start of each turn, which policy plays this turn. Each policy that
   would play the turn differently plays it on the same forks (common random
   numbers, so policies are compared on the same futures), then the
   continuation plays on for `horizon` more turns, and the fork's score is read.
3. Each event's answer, the same way: each answer, then the continuation.

In 2 and 3 every option first plays `screen` forks; only those ahead of the
continuation's own choice play the rest. The expert departs from the
continuation's choice only when another option beats it on all `forks` by more
than `z` standard errors of the paired differences, so a lucky fork or two does
not sway it. Its salts come from the game's seed, the turn and the decision, so
it is deterministic given the game.
"""

from __future__ import annotations

from collections.abc import Callable

from game.bots.base import MAX_STEPS_PER_TURN, Bot, default_answer
from game.bots.builtin import HEURISTIC_BOTS, RELATIONSHIP_WEIGHTS, WeightedBot
from game.bots.forks import best_by_forks, choose_by_forks
from game.engine.choices import END, InvalidChoice
from game.engine.game import Game
from game.engine.view import GameView
from game.scenario.models import Behaviour

#: Built-in bots the expert never plays: chance, doing nothing, and itself.
NOT_POLICIES = frozenset({"random", "idle", "expert"})
#: Behaviours the expert never emphasises: price moves are the discounters' to try.
NOT_EMPHASISED = frozenset(
    {
        Behaviour.DISCOUNT,
        Behaviour.LOYALTY_PROGRAM,
        Behaviour.SELLING,
        Behaviour.OTHER,
        Behaviour.DECLINE,
    }
)


def policies() -> dict[str, Callable[[], Bot]]:
    """The built-in bots the expert plays as policies, by name."""
    return {name: make for name, make in HEURISTIC_BOTS.items() if name not in NOT_POLICIES}


def emphases(weight: float) -> dict[str, Bot]:
    """The relationship builder with one behaviour weighted `weight`, by name
    (`more-training`, …): ways to spend a turn that no built-in bot favours."""
    return {
        f"more-{behaviour.value}": WeightedBot(
            f"more-{behaviour.value}", RELATIONSHIP_WEIGHTS | {behaviour: weight}
        )
        for behaviour in Behaviour
        if behaviour not in NOT_EMPHASISED
    }


def value(game: Game) -> float:
    """The game's score so far, unrounded (its total is this, rounded)."""
    return sum(part.points for part in game.score().parts)


def rollout(game: Game, policy: Bot, last: int) -> float:
    """Let `policy` play `game` to the end of turn `last`; return the score. A policy
    that stalls or picks a closed move gets the default answer instead."""
    view = GameView(game)
    steps = 0
    turn = game.turn
    while not game.finished and game.turn <= last:
        steps += 1
        choice = policy.choose(view) if steps <= MAX_STEPS_PER_TURN else default_answer(view)
        try:
            game.step(choice)
        except (InvalidChoice, TypeError):
            game.step(default_answer(view))
        if game.turn != turn:
            steps, turn = 0, game.turn
    return value(game)


class ExpertBot:
    """Chooses each turn's policy and each event's answer by look-ahead on forks."""

    name = "expert"

    def __init__(
        self,
        *,
        forks: int = 8,
        screen: int = 4,
        horizon: int = 4,
        z: float = 2.0,
        emphasis: float = 3.0,
        opening_step: int = 6,
        opening_rounds: int = 8,
    ) -> None:
        """`forks`: futures per decision, of which every option plays the first
        `screen`; `horizon`: turns played after the current one before a fork is
        scored; `z`: standard errors by which an option must beat the continuation's
        own choice (and the leader a bot, to drop it from the race for the
        continuation); `emphasis`: the weight an emphasis gives its behaviour (the
        relationship builder gives the seven behaviours 1); `opening_step`: forks per
        bot in each of at most `opening_rounds` rounds of that race."""
        self.forks = forks
        self.screen = min(screen, forks)
        self.horizon = horizon
        self.z = z
        self.emphasis = emphasis
        self.opening_step = opening_step
        self.opening_rounds = opening_rounds
        self._bots: dict[str, Bot] = {}
        self._policies: dict[str, Bot] = {}
        self._continuation = ""
        self._turn = 0
        self._playing = ""
        self._decisions = 0

    def reset(self, seed: int) -> None:
        self._bots = {name: make() for name, make in policies().items()}
        self._policies = self._bots | emphases(self.emphasis)
        for policy in self._policies.values():
            policy.reset(seed)
        self._continuation = ""
        self._turn = 0
        self._playing = ""
        self._decisions = 0

    @property
    def continuation(self) -> str:
        """The built-in bot the expert falls back on ('' before its first move)."""
        return self._continuation

    # ------------------------------------------------------------------ deciding

    def choose(self, view: GameView) -> str:
        if not self._policies:
            self.reset(view.seed)
        if view.turn != self._turn:
            self._turn, self._playing, self._decisions = view.turn, "", 0
        if not self._continuation:
            self._continuation = self._best_bot(view)
        if view.pending_event is not None:
            return self._answer(view)
        if not self._playing:
            self._playing = self._best_turn(view)
        return self._propose(view, self._playing)

    def _propose(self, view: GameView, name: str) -> str:
        """Policy `name`'s choice now, if it is open; else what doing nothing means."""
        choice = self._policies[name].choose(view)
        if choice == END and view.pending_event is None:
            return choice
        if any(c.id == choice for c in view.choices):
            return choice
        return default_answer(view)

    def _salts(self, view: GameView, count: int) -> list[str]:
        """A new decision's salts, the same for every option it compares."""
        self._decisions += 1
        return [f"expert:{view.seed}:{view.turn}:{self._decisions}:{k}" for k in range(count)]

    def _best_bot(self, view: GameView) -> str:
        """The built-in bot that scores best playing whole games from here, on forks.

        A race: every bot still in it plays `opening_step` more forks a round, and a
        bot is dropped once the leader beats it by `z` standard errors. After
        `opening_rounds` rounds the best mean wins.
        """
        step = self.opening_step
        salts = self._salts(view, step * self.opening_rounds)

        def outcome(name: str, salt: str) -> float:
            return self._rollout(view.fork(salt), name, view.turns)

        return best_by_forks(list(self._bots), outcome, salts, step=step, z=self.z)

    def _best_turn(self, view: GameView) -> str:
        """The policy to play this turn: the continuation, unless another that would
        play the turn differently clearly does better."""
        rest = self._continuation
        # Policies that would make the same moves as another this turn need no forks of
        # their own: play the turn once per policy and keep the first of each plan.
        plans: dict[tuple[str, ...], str] = {}
        for name in (rest, *self._policies):
            plans.setdefault(self._plan(view.fork("plan"), name), name)
        if len(plans) == 1:
            return rest
        last = view.turn + self.horizon

        def outcome(name: str, salt: str) -> float:
            fork = view.fork(salt)
            self._rollout(fork, name, view.turn)
            return self._rollout(fork, rest, last)

        return self._race(view, list(plans.values()), rest, outcome)

    def _answer(self, view: GameView) -> str:
        """The event's answer: the continuation's, unless another clearly does better."""
        usual = self._propose(view, self._continuation)
        answers = [choice.id for choice in view.choices]
        if len(answers) == 1:
            return usual
        last = view.turn + self.horizon

        def outcome(answer: str, salt: str) -> float:
            fork = view.fork(salt)
            fork.step(answer)
            return self._rollout(fork, self._continuation, last)

        return self._race(view, answers, usual, outcome)

    def _race(
        self,
        view: GameView,
        options: list[str],
        baseline: str,
        outcome: Callable[[str, str], float],
    ) -> str:
        """`baseline`, unless another option beats it on this decision's forks by more
        than `z` standard errors; then the one that beats it by the most. Every option
        plays the first `screen` forks, only those ahead of the baseline all of them."""
        salts = self._salts(view, self.forks)
        return choose_by_forks(options, baseline, outcome, salts, screen=self.screen, z=self.z)

    # ------------------------------------------------------------------ looking ahead

    def _plan(self, game: Game, name: str) -> tuple[str, ...]:
        """The moves policy `name` makes in the rest of this turn of `game`."""
        start = len(game.choices_made)
        self._rollout(game, name, game.turn)
        return tuple(game.choices_made[start:])

    def _rollout(self, game: Game, name: str, last: int) -> float:
        """Let policy `name` play `game` to the end of turn `last`; return the score."""
        return rollout(game, self._policies[name], last)
