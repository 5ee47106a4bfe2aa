"""The game: one pure state machine over a scenario, a seed and a list of choices.

Like a Gymnasium environment, a :class:`Game` owns its random generators and
changes only through :meth:`Game.step`. The Textual app, the command line and
the bots all drive it through this class; none of them holds game rules. The
game is a small facade over a :class:`~game.engine.world.World`, which the rule
modules change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import networkx as nx

from game.engine import moves, turns
from game.engine.board_view import BoardView, board_view
from game.engine.choices import END, Choice, InvalidChoice
from game.engine.condition_values import ConditionValues
from game.engine.open_choices import END_CHOICE, list_choices
from game.engine.rng import derived_seed
from game.engine.runlog import Injected, RunLog
from game.engine.state import DefectionRecord, LogEntry
from game.engine.world import World
from game.scenario.conditions import ConditionContext
from game.scenario.loader import content_hash
from game.scenario.models import Event, Scenario
from scoring.facts import RunFacts
from scoring.score import Score, score_run

#: Metrics kept in the timeline, in display order.
TIMELINE_METRICS = (
    "company_loyalty",
    "resilience",
    "concentration",
    "satisfaction",
    "revenue",
    "share",
)


@dataclass(frozen=True, slots=True)
class StepResult:
    """What one step did: the log lines it wrote, and whether it ended the turn or the game."""

    entries: tuple[LogEntry, ...]
    turn_ended: bool
    finished: bool


#: The most trainees one account team can have.
MAX_SEATS = 4


def team_members(scenario: Scenario) -> tuple[str, ...]:
    """Who can have a seat in a team game: the player's rep first, then every other
    supplier person on the team from the start, in the scenario's order."""
    player = scenario.player.id
    others = [p.id for p in scenario.supplier.people if p.id != player and p.active]
    return (player, *others)


def _checked_team(scenario: Scenario, team: tuple[str, ...]) -> tuple[str, ...]:
    """`team` if it is 2 to MAX_SEATS different teammates, the player's rep first."""
    members = team_members(scenario)
    if not 2 <= len(team) <= MAX_SEATS or len(set(team)) != len(team):
        raise InvalidChoice(f"a team game has 2 to {MAX_SEATS} different seats")
    if team[0] != scenario.player.id:
        raise InvalidChoice(f"a team game's first seat is the player's rep, '{members[0]}'")
    for member in team:
        if member not in members:
            raise InvalidChoice(f"'{member}' is not on {scenario.supplier.name}'s team")
    return team


class Game:
    """One game of a scenario. Deterministic from (scenario, seed, choices).

    With ``narrate=False`` the game keeps no event log: it skips the sentences
    that explain each move and the loyalty change beside each. Everything else
    (graph, metrics, timeline, defections, score) is identical, so headless
    runs that only want results (bots, balance runs, replays for scoring) use it.
    """

    __slots__ = ("_scenario_hash", "_world", "scenario", "seed")

    def __init__(
        self,
        scenario: Scenario,
        seed: int,
        *,
        scenario_hash: str | None = None,
        narrate: bool = True,
        injected: tuple[Injected, ...] = (),
        team: tuple[str, ...] = (),
    ) -> None:
        if not isinstance(seed, int) or isinstance(seed, bool):  # type: ignore[redundant-expr]
            raise TypeError("seed must be an int")  # callers without type checks pass anything
        self.scenario = scenario
        self.seed = seed
        self._scenario_hash = scenario_hash
        self._world = World(scenario, stream_key=str(seed), narrate=narrate)
        if team:
            self._world.state.seats = _checked_team(scenario, team)
        for item in injected:  # scheduled ahead: an injection changes nothing before its turn
            self._schedule(item)
        turns.record_timeline(self._world, 0)
        turns.start_turn(self._world)

    # ------------------------------------------------------------------ reading

    @property
    def scenario_hash(self) -> str:
        """The scenario's content hash (computed once, on first use)."""
        if self._scenario_hash is None:
            self._scenario_hash = content_hash(self.scenario)
        return self._scenario_hash

    @property
    def narrate(self) -> bool:
        """Whether this game keeps an event log."""
        return self._world.narrator.listening

    @property
    def graph(self) -> nx.DiGraph:
        """The trust graph. Read it; change it only through :meth:`step`."""
        return self._world.graph

    @property
    def turn(self) -> int:
        return self._world.state.turn

    @property
    def turns(self) -> int:
        return self.scenario.turns

    @property
    def finished(self) -> bool:
        return self._world.state.finished

    @property
    def end_reason(self) -> str:
        """Why the game ended ('' while it goes on)."""
        return self._world.state.end_reason

    @property
    def time_left(self) -> float:
        return self._world.state.time_left

    @property
    def log_entries(self) -> list[LogEntry]:
        return self._world.state.log

    @property
    def timeline(self) -> list[dict[str, float]]:
        """One dict of metrics per finished turn, from turn 0 (the start)."""
        return self._world.state.timeline

    @property
    def choices_made(self) -> list[str]:
        return self._world.state.choices_made

    @property
    def defections(self) -> tuple[DefectionRecord, ...]:
        """Every stakeholder who took their business elsewhere, in order."""
        return tuple(self._world.state.defections)

    @property
    def events_fired(self) -> dict[str, int]:
        """The events that have fired, each with the last turn it fired in."""
        return dict(self._world.state.fired)

    @property
    def flags(self) -> dict[str, bool | int | float | str]:
        """The scenario's flags as effects have set them."""
        return dict(self._world.state.flags)

    @property
    def pending_event(self) -> Event | None:
        """The event waiting for the player's answer, if any."""
        return self._world.pending_event

    def date(self, turn: int | None = None) -> dt.date:
        """The calendar date a turn starts on."""
        return self._world.date(turn)

    def name(self, node: str) -> str:
        """How the game names a person: 'you' for the player's rep."""
        return self._world.name(node)

    def full_name(self, node: str) -> str:
        """A person's name and role."""
        return self._world.full_name(node)

    def fill(self, template: str, actor: str | None, target: str | None) -> str:
        """Scenario text with {actor}, {target}, {customer}, {supplier} filled in."""
        return self._world.fill(template, actor, target)

    def trust(self, source: str, target: str) -> float:
        """Trust from customer person `source` in `target`."""
        edge = self._world.succ[source].get(target)
        return edge.get("trust", 0.0) if edge else 0.0

    def company_loyalty(self) -> float:
        """Company loyalty now (kept incrementally; equal to `scoring.loyalty`'s)."""
        return self._world.company_loyalty()

    def share(self) -> float:
        """Share of the customer's business still with you."""
        return self._world.share()

    def satisfaction(self) -> float:
        """The account's satisfaction: the influence-weighted mean of the people still buying."""
        return self._world.satisfaction()

    def metrics(self) -> dict[str, float]:
        """The headline metrics now."""
        return self._world.metrics()

    # ------------------------------------------------------------------ choices

    def choices(self) -> tuple[Choice, ...]:
        """Everything the player can do now. Empty when the game is over."""
        world = self._world
        if world.choices is None:
            world.choices = list_choices(world)
        return world.choices

    def choice(self, choice_id: str) -> Choice:
        """The open choice with this id; raise :class:`InvalidChoice` if it is not open."""
        world = self._world
        state = world.state
        if choice_id == END and world.choices is None and not state.finished and not state.pending:
            return END_CHOICE  # the common case, without listing every choice
        for choice in self.choices():
            if choice.id == choice_id:
                return choice
        raise InvalidChoice(self._why_not(choice_id))

    def _why_not(self, choice_id: str) -> str:
        state = self._world.state
        if state.finished:
            return f"the game is over; '{choice_id}' cannot be played"
        if state.pending:
            return (
                f"'{choice_id}' is not open: first answer the event "
                f"'{state.pending[0]}' ({', '.join(c.id for c in self.choices())})"
            )
        return f"'{choice_id}' is not open at turn {self.turn}"

    # ------------------------------------------------------------------ playing

    def step(self, choice_id: str) -> StepResult:
        """Apply one open choice; say what it wrote in the log and what it ended."""
        choice = self.choice(choice_id)
        world = self._world
        state = world.state
        start, turn = len(state.log), state.turn
        state.choices_made.append(choice_id)
        if choice.kind == "end":
            turns.end_turn(world)
        elif choice.kind == "event":
            moves.answer_event(world, choice)
        elif choice.kind == "introduction":
            moves.ask_introduction(world, choice)
        else:
            moves.do_action(world, choice)
        world.moved()
        return StepResult(
            tuple(state.log[start:]), state.turn != turn or state.finished, state.finished
        )

    def fork(self, salt: str | int, *, narrate: bool = False) -> Game:
        """An independent copy of this game now, whose future dice are resampled.

        The fork has the same graph, state, pending events, time left, choices
        made and timeline, but every draw it makes from now on (the rest of this
        turn and every later turn) comes from dice keyed by this game's dice and
        `salt`, never from this game's own: a fork cannot reveal what the game
        will roll. It is sealed: its `seed` and its `run_log()` are its own, so
        replaying them builds another game, never this one. Forks with the same
        salt are identical and share their dice (two moves compared on them meet
        the same future); stepping a fork never changes this game. For
        look-ahead, so quiet by default.
        """
        fork = Game.__new__(Game)
        fork.scenario = self.scenario
        fork._scenario_hash = self._scenario_hash
        fork._world = self._world.fork(salt, narrate=narrate)
        # Sealed: its seed and run log are its own, so replaying them never rebuilds this
        # game, let alone shows its future.
        fork.seed = derived_seed("fork", fork._world.stream_key)
        return fork

    def replica(self) -> Game:
        """An independent, quiet copy of this game now that rolls the same dice as it.

        What would happen on this seed if the game went differently from here: for
        looking back at a game already played (the turning-point analysis). It shows
        the real future, so it is never offered to a bot (`GameView` has only forks).
        """
        copy = Game.__new__(Game)
        copy.scenario = self.scenario
        copy._scenario_hash = self._scenario_hash
        copy._world = self._world.replica(narrate=False)
        copy.seed = self.seed
        return copy

    def inject(self, event_id: str, ident: int) -> Injected:
        """Put one of the scenario's events into the game at the start of the next turn,
        whatever its condition and chance: a workshop trainer's surprise for the whole
        room. `ident` is the injection's number in its workshop. The run log keeps it, so
        a replay fires it too. Raise :class:`InvalidChoice` if it cannot be scheduled."""
        if self.finished:
            raise InvalidChoice("the game is over: no event can be put into it")
        if self.turn >= self.turns:
            raise InvalidChoice("this is the last turn: there is no next turn for the event")
        item = Injected(ident, event_id, self.turn + 1)
        self._schedule(item)
        return item

    def _schedule(self, item: Injected) -> None:
        if item.event not in self._world.rules.events:
            raise InvalidChoice(f"the scenario has no event '{item.event}'")
        if any(ident == item.id for ident, _event, _turn in self._world.state.injected):
            raise InvalidChoice(f"injection {item.id} is already in the game")
        self._world.state.injected.append((item.id, item.event, item.turn))

    @property
    def team(self) -> tuple[str, ...]:
        """A team game: the teammate each seat plays (seat 0 leads); empty for one player."""
        return self._world.state.seats

    def seat_of(self, actor: str | None) -> int:
        """In a team game, the seat that plays `actor` (0 for anyone no seat plays)."""
        return self._world.seat_of(actor)

    def hours(self) -> tuple[float, ...]:
        """A team game: each seat's time left this turn; empty for one player."""
        return tuple(self._world.state.hours)

    @property
    def injected(self) -> tuple[Injected, ...]:
        """The events a workshop's trainer put into the game, in order."""
        return tuple(Injected(*item) for item in self._world.state.injected)

    # ------------------------------------------------------------------ results

    def run_log(self, *, player: str | None = None, bot: str | None = None) -> RunLog:
        """The run log that replays this game to the same state."""
        return RunLog(
            self.scenario.id,
            self.scenario_hash,
            self.seed,
            tuple(self.choices_made),
            player=player,
            bot=bot,
            injected=self.injected,
            team=self.team,
        )

    def facts(self) -> RunFacts:
        """What scoring needs to know about this run so far."""
        state = self._world.state
        account = self.scenario.account
        cal = self.scenario.calendar
        final = (
            dict(state.timeline[-1]) if state.finished else {"turn": self.turn, **self.metrics()}
        )
        return RunFacts(
            turns_played=int(final["turn"]),
            years_played=max(1, int(final["turn"])) * cal.days_per_turn / 365.0,
            final=final,
            timeline=list(state.timeline),
            potential_revenue=state.potential_revenue,
            margin_earned=state.margin_earned,
            margin=account.margin,
            interest=account.interest,
            sales=state.sales,
            sales_before=account.sales_before,
            tracks_sales=account.sales_before < 2,
            attribution=dict(state.attribution),
            defections=[d.as_dict() for d in state.defections],
            promises_kept=state.promises_kept,
            promises_broken=state.promises_broken,
            weights=self.scenario.scoring.model_dump(),
        )

    def milestones(self) -> dict[str, int | None]:
        """The turn the first and the second sale were made (0: before the game began;
        None: not yet)."""
        before = self.scenario.account.sales_before
        turns = [0] * before + self._world.state.sale_turns
        return {
            "first_sale": turns[0] if len(turns) >= 1 else None,
            "second_sale": turns[1] if len(turns) >= 2 else None,
        }

    def score(self) -> Score:
        """The score of the run so far (final once the game is over)."""
        return score_run(self.facts())

    def view(self) -> BoardView:
        """The board now, as a player sees it: compute it once per move and hand it
        to everything that draws."""
        return board_view(self._world, self.facts(), self.choices(), seed=self.seed)

    def conditions(self) -> ConditionContext:
        """What a scenario's conditions read in this game, as the engine reads them when
        it lists moves and fires events: evaluate a compiled condition against it (for
        tools that watch a game, such as balance runs). It follows the game as it plays."""
        return ConditionValues(self._world)
