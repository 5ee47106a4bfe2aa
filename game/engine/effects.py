"""Apply scenario effects to the game state.

Each effect returns short phrases ("Dana's trust in you 42% → 51%") that the
caller joins into one log line, so the player sees what changed and why.
"""

from __future__ import annotations

from typing import NamedTuple

from game.common.names import first_name
from game.engine.approaches import approach
from game.engine.changes import arrive, book_order, depart, introduce
from game.engine.graph import CUSTOMER, trust
from game.engine.rng import Dice
from game.engine.satisfaction import buying, change_satisfaction
from game.engine.text import percent
from game.engine.trust import change_trust
from game.engine.world import World
from game.scenario.models import FIRM, Effect, Promise, TrustChange


class Scope(NamedTuple):
    """What `actor` and `target` mean for a batch of effects, and what caused them."""

    actor: str
    target: str | None
    cause: str


def run_effects(world: World, effects: list[Effect], scope: Scope, rng: Dice) -> list[str]:
    """Apply `effects` in order; return what happened, as phrases."""
    phrases: list[str] = []
    for effect in effects:
        phrases.extend(_apply(world, effect, scope, rng))
    return phrases


def _apply(world: World, effect: Effect, scope: Scope, rng: Dice) -> list[str]:
    state = world.state
    if effect.trust is not None:
        return _trust(world, effect.trust, scope, effect.trust.delta, scope.cause)
    if effect.satisfaction is not None:
        return _satisfaction(world, satisfied_people(world, scope.target), effect.satisfaction)
    if effect.promise is not None:
        return _promise(world, effect.promise, scope, rng)
    if effect.introduce is not None:
        return introduce(world, effect.introduce, scope.actor, introducer=None)
    if effect.order is not None:
        return book_order(world, effect.order.value, counts_as_sale=effect.order.counts_as_sale)
    if effect.flag is not None:
        state.flags.update(effect.flag)
        return []
    if effect.leave is not None:
        return depart(world, effect.leave.who, effect.leave.to)
    if effect.join is not None:
        return arrive(world, effect.join)
    if effect.offer is not None:
        offer = effect.offer
        return approach(
            world,
            offer.competitor,
            rng,
            who=offer.who,
            extra_discount=offer.discount,
            occasion=f"{scope.cause}:{scope.target}",
        )
    if effect.discount is not None:
        state.discount = effect.discount.rate
        state.discount_turns = effect.discount.turns
        state.price_taught += effect.discount.rate
        return [f"{percent(effect.discount.rate)} off your price for {effect.discount.turns} turns"]
    if effect.reliability is not None:
        before = state.reliability
        state.reliability = min(1.0, max(0.0, before + effect.reliability))
        return [f"delivery reliability {percent(before)} → {percent(state.reliability)}"]
    if effect.log is not None:
        return [world.fill(effect.log, scope.actor, scope.target)]
    return []


def satisfied_people(world: World, target: str | None) -> list[str]:
    """Whose satisfaction a `satisfaction` effect moves: the target person, if the move
    has one; otherwise everyone still buying (a discount reaches every invoice)."""
    nodes = world.nodes
    if target is not None and nodes[target]["side"] == CUSTOMER:
        return buying(nodes, [target])
    return buying(nodes, world.rules.stakeholder_ids)


def _satisfaction(world: World, people: list[str], delta: float) -> list[str]:
    """Move the satisfaction of `people` by `delta` (gains saturate); return phrases."""
    nodes = world.nodes
    before = world.satisfaction() if world.narrator.listening else 0.0
    moved = 0.0
    for person in people:
        moved += abs(change_satisfaction(nodes[person], delta))
    if moved < 1e-9:
        return []

    def told() -> str:
        if len(people) == 1:
            data = nodes[people[0]]
            first = first_name(data["name"])
            word = "rose" if delta > 0 else "fell"
            return f"{first}'s satisfaction {word} to {percent(data['satisfaction'])}"
        after = world.satisfaction()
        word = "rose" if after > before else "fell"
        return f"satisfaction {word} {percent(before)} → {percent(after)}"

    return world.narrator.phrase(told)


def resolve_who(world: World, who: str | list[str], target: str | None) -> list[str]:
    """Customer people named by `who` who are still customers (not gone to a competitor)."""
    names = [who] if isinstance(who, str) else who
    people: list[str] = []
    nodes = world.nodes
    for name in names:
        if name == "all":
            people.extend(p for p in world.rules.stakeholder_ids if nodes[p]["met"])
        elif name == "target":
            if target is not None:
                people.append(target)
        else:
            people.append(name)
    return [
        p
        for p in dict.fromkeys(people)
        if nodes[p]["side"] == CUSTOMER and not nodes[p]["defected"]
    ]


def resolve_to(world: World, to: str, actor: str) -> str | None:
    """The supplier node named by `to`, or None if that person is no longer on the team."""
    node = actor if to == "actor" else world.rules.player if to == "player" else to
    data = world.nodes[node]
    if node != FIRM and (data["side"] != "supplier" or not data["active"]):
        return None
    return node


def _trust(
    world: World,
    change: TrustChange | Promise,
    scope: Scope,
    delta: float,
    cause: str,
    *,
    contact: bool = True,
) -> list[str]:
    to = resolve_to(world, change.to, scope.actor)
    if to is None:
        return []
    people = resolve_who(world, change.who, scope.target)
    contact = contact and delta > 0
    state, dyn = world.state, world.dyn
    if not world.narrator.listening:
        for person in people:
            change_trust(state, dyn, person, to, delta, cause, contact=contact)
        return []
    moves = []
    for person in people:
        before = trust(world.graph, person, to)
        change_trust(state, dyn, person, to, delta, cause, contact=contact)
        moves.append((person, before, trust(world.graph, person, to)))
    return world.narrator.trust_moves(moves, to)


def _promise(world: World, promise: Promise, scope: Scope, rng: Dice) -> list[str]:
    state = world.state
    chance = state.reliability if promise.reliability == "supplier" else promise.reliability
    draw = rng.roll("promise", state.turn, scope.cause, scope.actor, scope.target, promise.what)
    kept = draw < chance

    def what() -> str:
        return world.fill(promise.what, scope.actor, scope.target)

    if kept:
        state.promises_kept += 1
        phrases = world.narrator.phrase(lambda: f"kept: {what()}")
        phrases += _trust(world, promise, scope, promise.gain, "promise kept")
        if promise.satisfaction:
            people = resolve_who(world, promise.who, scope.target)
            phrases += _satisfaction(world, people, promise.satisfaction)
        phrases += run_effects(world, promise.kept, scope, rng)
    else:
        state.promises_broken += 1
        loss = promise.gain * world.dyn.loss_aversion
        phrases = world.narrator.phrase(lambda: f"broken: {what()}")
        phrases += _trust(world, promise, scope, -loss, "promise broken", contact=False)
        if promise.satisfaction:
            people = resolve_who(world, promise.who, scope.target)
            loss = -promise.satisfaction * world.dyn.loss_aversion
            phrases += _satisfaction(world, people, loss)
        phrases += run_effects(world, promise.broken, scope, rng)
    return phrases
