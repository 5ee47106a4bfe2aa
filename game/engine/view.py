"""The read-only view of a game that bots (built-in and custom) decide from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from game.engine.rng import derived_seed
from scoring.loyalty import personal_loyalty

if TYPE_CHECKING:
    from game.engine.approaches import Terms
    from game.engine.choices import Choice
    from game.engine.game import Game


@dataclass(frozen=True, slots=True)
class PendingEvent:
    id: str
    title: str
    text: str


class GameView:
    """What a player can see: the turn, the open choices, the people and the trust between them.

    A view never changes the game; a bot returns the id of one of `choices`.
    """

    __slots__ = ("_game", "_nodes", "_out_edges", "_world")

    def __init__(self, game: Game) -> None:
        self._game = game
        # The engine's own module: it reads the world the game facade wraps.
        self._world = world = game._world
        self._nodes = world.nodes
        self._out_edges = world.succ

    @property
    def seed(self) -> int:
        """A seed for the bot's own randomness: drawn from the game's, but not the game's,
        so it cannot be used to rebuild the game and see its future dice."""
        return derived_seed("bot", self._game.seed)

    @property
    def turn(self) -> int:
        return self._game.turn

    @property
    def turns(self) -> int:
        return self._game.turns

    @property
    def time_left(self) -> float:
        return self._game.time_left

    @property
    def time_budget(self) -> float:
        return self._game.scenario.time_budget

    @property
    def choices(self) -> tuple[Choice, ...]:
        """Every choice open now; a bot must return one of their ids."""
        return self._game.choices()

    @property
    def pending_event(self) -> PendingEvent | None:
        """The event waiting for an answer (then `choices` are its answers)."""
        event = self._game.pending_event
        if event is None:
            return None
        return PendingEvent(event.id, event.title, self._game.fill(event.text, None, event.target))

    @property
    def player(self) -> str:
        """The id of the player's own rep."""
        return self._world.rules.player

    @property
    def team(self) -> list[str]:
        """Ids of the supplier people on the team now."""
        nodes = self._nodes
        return [
            p
            for p in self._world.rules.team_ids
            if nodes[p]["side"] == "supplier" and nodes[p]["active"]
        ]

    @property
    def stakeholders(self) -> list[str]:
        """Ids of every customer person, met or not, still buying or not."""
        return list(self._world.rules.stakeholder_ids)

    def influence(self, person: str) -> float:
        return self._nodes[person]["influence"]

    def manager(self, person: str) -> str | None:
        """The customer person `person` reports to, or None for the top of the tree."""
        return self._world.rules.managers.get(person)

    def met(self, person: str) -> bool:
        return bool(self._nodes[person]["met"])

    def defected(self, person: str) -> bool:
        return bool(self._nodes[person]["defected"])

    def trust(self, person: str, other: str) -> float:
        """Trust from customer `person` in supplier person (or `firm`) `other`."""
        edge = self._out_edges[person].get(other)
        return edge.get("trust", 0.0) if edge else 0.0

    def contacted(self, person: str, other: str) -> int:
        """How often `other` has already been in touch with `person` this turn.

        Each repeat is worth less (see `dynamics.repeat_factor`)."""
        return self._world.state.touches.get((person, other), 0)

    def loyalty(self, person: str) -> float:
        """Personal loyalty of customer `person` to your company, 0..1."""
        return personal_loyalty(self._world.graph, person)

    @property
    def satisfaction(self) -> float:
        """The account's satisfaction: influence-weighted over the people still buying."""
        return self._game.satisfaction()

    def present(self, person: str) -> bool:
        """Whether customer `person` works at the customer now (not yet arrived, or gone)."""
        return self._nodes[person]["side"] == "customer"

    @property
    def weighing(self) -> frozenset[str]:
        """Who is weighing a competitor's offer now (their terms: `in_play`)."""
        from game.engine.approaches import in_play

        return frozenset(offer.who for offer in in_play(self._world))

    @property
    def in_play(self) -> tuple[Terms, ...]:
        """The people weighing a competitor's offer, soonest to decide first, with the
        terms they weigh now: their loyalty and their colleagues', the price gap, their
        satisfaction, their chance to leave, and the loyalty at which they would stay."""
        from game.engine.approaches import in_play, terms

        world = self._world
        return tuple(terms(world, offer) for offer in in_play(world))

    @property
    def flags(self) -> dict[str, Any]:
        return dict(self._world.state.flags)

    def metrics(self) -> dict[str, float]:
        """Company loyalty, resilience, concentration, satisfaction, revenue, share now."""
        return self._game.metrics()

    def fork(self, salt: str | int) -> Game:
        """A quiet, independent copy of the game now, for looking ahead.

        Play it as far as you like (`fork.step`, `fork.score()`): it never changes
        this game, and its future dice are drawn afresh from `salt`, never this
        game's own, so a fork shows what may happen, not what will. See
        `Game.fork`.
        """
        return self._game.fork(salt)
