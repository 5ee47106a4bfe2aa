"""Listing the choices open now: actions, introductions, the end of the turn.

Per turn, a roster keeps the action choices whose actor, target, cooldown and
uses allow them; per step only time and conditions are checked. Within a turn
the roster only shrinks: time only runs down, and uses only go up.
"""

from __future__ import annotations

from game.engine.choices import END, Choice, intro_choice_id
from game.engine.condition_values import ConditionValues
from game.engine.graph import CUSTOMER
from game.engine.text import fill, percent
from game.engine.world import Reachable, Roster, World

END_CHOICE = Choice(END, "end", "End the turn", 0.0, "other")


def list_choices(world: World) -> tuple[Choice, ...]:
    """Everything open now (see `Game.choices`)."""
    state = world.state
    if state.finished:
        return ()
    if state.pending:
        return world.rules.events[state.pending[0]].choices
    roster = world.roster
    if roster is None:
        roster = world.roster = make_roster(world)
    found: list[Choice] = []
    time_left = state.time_left + 1e-9
    conditions = ConditionValues(world)
    too_dear = False
    for rule, choices in roster:
        if rule.action.cost > time_left:
            too_dear = True
            continue
        when = rule.when
        if when is None or when(conditions):
            found.extend(choices)
    if too_dear:  # time never comes back within a turn
        world.roster = [entry for entry in roster if entry[0].action.cost <= time_left]
    found.extend(introduction_choices(world, time_left))
    if state.seats:  # a team game: each move within the time of the seat that plays it
        found = [c for c in found if c.cost <= world.hours_of(c.actor) + 1e-9]
    found.append(END_CHOICE)
    return tuple(found)


def reachable_actions(world: World) -> list[Reachable]:
    """Action choices whose actor is on the team and whose target has been met and
    still buys. Kept until someone is met, leaves, joins or defects."""
    if world.reachable is not None:
        return world.reachable
    nodes = world.nodes
    reachable: set[str | None] = {
        p for p in world.rules.stakeholder_ids if nodes[p]["met"] and not nodes[p]["defected"]
    }
    reachable.add(None)  # actions without a target person
    team = {
        p for p in world.rules.team_ids if nodes[p]["side"] == "supplier" and nodes[p]["active"]
    }
    found = []
    for rule in world.rules.actions:
        groups: dict[tuple[str, str | None], list[Choice]] = {}
        for c in rule.candidates:  # grouped by target already: see rules._action_rule
            if c.target in reachable and c.actor in team:
                groups.setdefault(c.key, []).append(c.choice)
        if groups:
            choices = [choice for members in groups.values() for choice in members]
            found.append(Reachable(rule, list(groups.items()), choices))
    world.reachable = found
    return found


def make_roster(world: World) -> Roster:
    """This turn's action choices whose actor, target, cooldown and uses allow them.

    Rebuilt at each turn start and whenever someone is met, defects, leaves or
    joins; per step only cost and conditions are checked (see :func:`use_up`).
    """
    last_used = world.state.last_used.get
    uses = world.state.uses
    turn = world.turn
    roster: Roster = []
    for rule, groups, choices in reachable_actions(world):
        action = rule.action
        cooldown = action.cooldown
        if not cooldown and not uses:
            roster.append((rule, choices))  # never changed in place: see use_up
            continue
        per_turn = action.per_turn
        kept: list[Choice] = []
        for key, members in groups:
            if cooldown and turn - last_used(key, -cooldown - 1) <= cooldown:
                continue
            if uses.get(key, 0) >= per_turn:
                continue
            kept.extend(members)
        if kept:
            roster.append((rule, kept))
    return roster


def use_up(world: World, action_id: str, target: str | None) -> None:
    """An action was used on `target`: once it reaches its uses per turn, close it for
    every actor until the turn ends."""
    roster = world.roster
    if roster is None:
        return
    for index, (rule, choices) in enumerate(roster):
        action = rule.action
        if action.id != action_id:
            continue
        if world.state.uses[(action_id, target)] >= action.per_turn:
            left = [c for c in choices if c.target != target]
            if left:
                roster[index] = (rule, left)
            else:
                del roster[index]
        return


def closed_moves(world: World, open_now: tuple[Choice, ...]) -> tuple[tuple[Choice, str], ...]:
    """The action choices whose actor is on the team and whose target is there, but that
    cannot be played now, each with why ("done this turn", "cooling down until
    fortnight 7", "needs 2h, 1h left", "not now"), in the scenario's order: front ends
    list them in place, so every move keeps its key."""
    state = world.state
    if state.finished or state.pending:
        return ()
    open_ids = {c.id for c in open_now}
    conditions = ConditionValues(world)
    turn_name = world.scenario.calendar.turn_name.lower()
    unit = world.scenario.time_unit
    closed: list[tuple[Choice, str]] = []
    for rule, groups, _choices in reachable_actions(world):
        action = rule.action
        for key, members in groups:
            if all(c.id in open_ids for c in members):
                continue
            if state.uses.get(key, 0) >= action.per_turn:
                why = "done this turn"
            elif (
                action.cooldown
                and state.turn - state.last_used.get(key, -action.cooldown - 1) <= action.cooldown
            ):
                ready = state.last_used[key] + action.cooldown + 1
                why = f"cooling down until {turn_name} {ready}"
            elif action.cost > (left := world.hours_of(members[0].actor)) + 1e-9:
                why = f"needs {action.cost:g}{unit}, {left:g}{unit} left"
            elif rule.when is not None and not rule.when(conditions):
                why = "not possible now"
            else:
                continue
            closed.extend((c, why) for c in members if c.id not in open_ids)
    return tuple(closed)


def introduction_choices(world: World, time_left: float) -> list[Choice]:
    """Introductions open now: someone met trusts one of your people enough."""
    intro = world.scenario.introductions
    if intro.cost > time_left:
        return []
    nodes = world.nodes
    found = []
    for person in world.rules.stakeholder_ids:
        wanted = nodes[person]
        if wanted["met"] or wanted["defected"] or wanted["side"] != CUSTOMER:
            continue  # already met, gone to a competitor, not yet arrived or left
        for introducer in world.rules.introducers[person]:
            data = nodes[introducer]
            if not data["met"] or data["defected"] or data["side"] != CUSTOMER:
                continue
            actor, value = most_trusted(world, introducer)
            if actor is None or value < world.rules.intro_trust[person]:
                continue
            values = {
                "introducer": world.rules.names[introducer],
                "target": world.full_name(person),
                "actor": world.name(actor),
            }
            found.append(
                Choice(
                    intro_choice_id(introducer, person),
                    "introduction",
                    fill(intro.label, values),
                    intro.cost,
                    "networking",
                    actor,
                    person,
                    introducer,
                    f"{world.rules.names[introducer]} trusts {world.name(actor)} enough "
                    f"({percent(value)}) to open the door.",
                )
            )
    return found


def most_trusted(world: World, person: str) -> tuple[str | None, float]:
    """The active supplier person `person` trusts most, and how much."""
    best: tuple[str | None, float] = (None, 0.0)
    nodes = world.nodes
    for target, edge in world.succ[person].items():
        value = edge.get("trust", 0.0)
        data = nodes[target]
        if data["side"] == "supplier" and data["active"] and value > best[1]:
            best = (target, value)
    return best
