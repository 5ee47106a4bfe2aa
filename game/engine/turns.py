"""The turn's rhythm: a turn starts (fresh time, events fire), a turn ends (the
world moves on between turns, the metrics are recorded), and the game finishes."""

from __future__ import annotations

from game.engine import dynamics
from game.engine.condition_values import ConditionValues
from game.engine.effects import Scope, run_effects
from game.engine.rng import Dice
from game.engine.world import World
from game.scenario.models import Effect


def start_turn(world: World) -> None:
    """Give the turn its time budget and fresh streams, and fire its events."""
    state = world.state
    state.time_left = world.scenario.time_budget
    if state.seats:  # a team game: every seat has the turn's time of its own
        state.hours = [world.scenario.time_budget] * len(state.seats)
        state.time_left = sum(state.hours)
    state.uses.clear()
    state.touches.clear()
    world.roster = None  # cooldowns and uses start afresh
    turns, turn = world.scenario.turns, state.turn
    world.narrator.tell(
        "turn",
        lambda: (
            f"{world.scenario.calendar.turn_name} {turn} of {turns} "
            f"begins ({world.date():%d %b %Y})."
        ),
    )
    fire_injected(world, world.dice)
    fire_events(world, world.dice)


def fire_injected(world: World, rng: Dice) -> None:
    """Fire the events a workshop's trainer put into the game for this turn, whatever
    their condition and chance. One that cannot happen (it happens only once and already
    did, or it is about someone no longer buying from you) is told, not fired."""
    state = world.state
    for _ident, event_id, turn in state.injected:
        rule = world.rules.events.get(event_id)
        if turn != state.turn or rule is None:
            continue
        event = rule.event
        if event.once and event_id in state.fired:
            why = "it had already happened in this game"
        elif not _target_present(world, event.target):
            why = f"{world.name(event.target or '')} is no longer buying from you"
        else:
            fire(world, event_id, rng, by_trainer=True)
            continue
        world.narrator.tell("info", f"The trainer's event, {event.title}, did not happen: {why}.")


def _target_present(world: World, target: str | None) -> bool:
    """Whether an event's target is there to buy from you (or the event has none)."""
    people = world.rules.stakeholder_ids
    return target is None or target not in people or world.is_current_customer(target)


def fire_events(world: World, rng: Dice) -> None:
    """Fire every event whose condition holds and whose chance comes up. An event about
    one of the customer's people waits while they are not there to buy from you (not
    arrived yet, gone to a rival, or left the company): it never tells of someone who
    has left."""
    state = world.state
    conditions = ConditionValues(world)
    for event_id, rule in world.rules.events.items():
        event = rule.event
        if event.once and event_id in state.fired:
            continue
        if not _target_present(world, event.target):
            continue
        if rule.when is not None and not rule.when(conditions):
            continue
        if event.chance < 1.0 and rng.roll("event", state.turn, event_id) >= event.chance:
            continue
        fire(world, event_id, rng)


def fire(world: World, event_id: str, rng: Dice, *, by_trainer: bool = False) -> None:
    """Fire one event now: its effects, its line in the log, and its question if it asks."""
    state = world.state
    event = world.rules.events[event_id].event
    before = state.fired.get(event_id)
    state.fired[event_id] = state.turn
    actor = world.event_actor(event)
    since = world.narrator.mark()
    effects = now_effects(event.effects) if event.choices else event.effects
    phrases = run_effects(world, effects, Scope(actor, event.target, "event"), rng)
    title = event.title
    if before is not None:
        turn_name = world.scenario.calendar.turn_name.lower()
        title = f"{title}, again (the last was in {turn_name} {before})"
    if by_trainer:
        title = f"{title} (put into the game by your trainer)"
    world.narrator.tell(
        "event",
        f"{title}: {world.fill(event.text, actor, event.target)}",
        phrases,
        cause="event",
        since=since,
    )
    if event.choices:
        state.pending.append(event_id)
    world.moved()


def now_effects(effects: list[Effect]) -> list[Effect]:
    """What an event with answers does before the player answers: everything but the
    competitors' offers, which wait for the answer (it may be what keeps them away)."""
    return [effect for effect in effects if effect.offer is None]


def after_answer_effects(effects: list[Effect]) -> list[Effect]:
    """What an event with answers does once it is answered: its competitors' offers."""
    return [effect for effect in effects if effect.offer is not None]


def end_turn(world: World) -> None:
    """Run the between-turn phases, record the metrics, and start the next turn (or
    finish the game)."""
    state = world.state
    dynamics.end_of_turn(world, world.dice)
    record_timeline(world, state.turn)
    if world.share() <= 0:
        finish(world, "every stakeholder has taken their business elsewhere")
    elif state.turn >= world.scenario.turns:
        finish(world, "the last turn is over")
    else:
        state.turn += 1
        world.moved()
        start_turn(world)


def finish(world: World, reason: str) -> None:
    """End the game, saying why."""
    world.state.finished = True
    world.state.end_reason = reason
    world.state.pending.clear()
    world.narrator.tell("info", f"The game is over: {reason}.")


def record_timeline(world: World, turn: int) -> None:
    """Add the metrics now to the timeline, as turn `turn`'s."""
    world.state.timeline.append({"turn": turn, **world.metrics()})
