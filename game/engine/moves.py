"""The player's moves within a turn: actions, introductions and answers to events."""

from __future__ import annotations

from game.engine.changes import introduce
from game.engine.choices import Choice, event_choice_id
from game.engine.effects import Scope, run_effects
from game.engine.open_choices import use_up
from game.engine.turns import after_answer_effects
from game.engine.world import World


def do_action(world: World, choice: Choice) -> None:
    """Play an action choice: spend its time, count its use, apply its effects."""
    assert choice.source is not None and choice.actor is not None
    action = world.rules.actions_by_id[choice.source]
    world.spend(action.cost, choice.actor)
    state = world.state
    key = (action.id, choice.target)
    state.uses[key] += 1
    state.last_used[key] = state.turn
    use_up(world, action.id, choice.target)
    since = world.narrator.mark()
    scope = Scope(choice.actor, choice.target, choice.behaviour)
    phrases = run_effects(world, action.effects, scope, world.dice)
    world.narrator.tell("action", choice.label, phrases, cause=choice.behaviour, since=since)


def ask_introduction(world: World, choice: Choice) -> None:
    """Ask someone the player's people know to open the door to someone new."""
    assert choice.actor and choice.target and choice.source
    world.spend(choice.cost, choice.actor)
    since = world.narrator.mark()
    introduce(world, choice.target, choice.actor, introducer=choice.source)
    introducer, actor, target = choice.source, choice.actor, choice.target
    world.narrator.tell(
        "introduction",
        lambda: (
            f"{world.rules.names[introducer]} introduced {world.name(actor)} "
            f"to {world.full_name(target)}."
        ),
        cause="networking",
        since=since,
    )


def answer_event(world: World, choice: Choice) -> None:
    """Answer the pending event: spend the answer's time and apply its effects."""
    event = world.pending_event
    assert event is not None
    answer = next(c for c in event.choices if event_choice_id(event.id, c.id) == choice.id)
    world.spend(answer.cost)
    world.state.pending.pop(0)
    since = world.narrator.mark()
    scope = Scope(world.event_actor(event), event.target, answer.behaviour.value)
    phrases = run_effects(world, answer.effects, scope, world.dice)
    world.narrator.tell(
        "decision",
        f"{event.title}: {choice.label}",
        phrases,
        cause=answer.behaviour.value,
        since=since,
    )
    offers = after_answer_effects(event.effects)
    if offers:  # the rival moves after the answer, which may have kept them loyal
        scope = Scope(world.event_actor(event), event.target, "event")
        run_effects(world, offers, scope, world.dice)  # each offer tells its own story
