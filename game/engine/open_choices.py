"""Listing the choices open now: actions, introductions, the end of the turn.

Per turn, a roster keeps the action choices whose actor, target, cooldown and
uses allow them; per step only time and conditions are checked. Within a turn
the roster only shrinks: time only runs down, and uses only go up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from game.engine.choices import END, Choice, intro_choice_id
from game.engine.graph import CUSTOMER
from game.engine.rules import ActionRule
from game.engine.text import fill, percent

if TYPE_CHECKING:
    from game.engine.game import Game

END_CHOICE = Choice(END, "end", "End the turn", 0.0, "other")


def list_choices(game: Game) -> tuple[Choice, ...]:
    """Everything open now (see :meth:`Game.choices`)."""
    state = game.state
    if state.finished:
        return ()
    if state.pending:
        return game.rules.events[state.pending[0]].choices
    roster = game.roster
    if roster is None:
        roster = game.roster = make_roster(game)
    found: list[Choice] = []
    time_left = state.time_left + 1e-9
    conditions = game.conditions
    too_dear = False
    for rule, choices in roster:
        if rule.action.cost > time_left:
            too_dear = True
            continue
        when = rule.when
        if when is None or when(conditions):
            found.extend(choices)
    if too_dear:  # time never comes back within a turn
        game.roster = [entry for entry in roster if entry[0].action.cost <= time_left]
    found.extend(introduction_choices(game, time_left))
    found.append(END_CHOICE)
    return tuple(found)


class Reachable(NamedTuple):
    """An action's choices whose actor and target are available, grouped by use key
    (action, target) in the scenario's order."""

    rule: ActionRule
    groups: list[tuple[tuple[str, str | None], list[Choice]]]
    choices: list[Choice]


def reachable_actions(game: Game) -> list[Reachable]:
    """Action choices whose actor is on the team and whose target has been met and
    still buys. Kept until someone is met, leaves, joins or defects."""
    if game.reachable is not None:
        return game.reachable
    nodes = game.nodes
    reachable: set[str | None] = {
        p for p in game.rules.stakeholder_ids if nodes[p]["met"] and not nodes[p]["defected"]
    }
    reachable.add(None)  # actions without a target person
    team = {p for p in game.rules.team_ids if nodes[p]["side"] == "supplier" and nodes[p]["active"]}
    found = []
    for rule in game.rules.actions:
        groups: dict[tuple[str, str | None], list[Choice]] = {}
        for c in rule.candidates:  # grouped by target already: see rules._action_rule
            if c.target in reachable and c.actor in team:
                groups.setdefault(c.key, []).append(c.choice)
        if groups:
            choices = [choice for members in groups.values() for choice in members]
            found.append(Reachable(rule, list(groups.items()), choices))
    game.reachable = found
    return found


def make_roster(game: Game) -> list[tuple[ActionRule, list[Choice]]]:
    """This turn's action choices whose actor, target, cooldown and uses allow them.

    Rebuilt at each turn start and whenever someone is met, defects, leaves or
    joins; per step only cost and conditions are checked (see :func:`use_up`).
    """
    last_used = game.state.last_used.get
    uses = game.state.uses
    turn = game.turn
    roster = []
    for rule, groups, choices in reachable_actions(game):
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


def use_up(game: Game, action_id: str, target: str | None) -> None:
    """An action was used on `target`: once it reaches its uses per turn, close it for
    every actor until the turn ends."""
    roster = game.roster
    if roster is None:
        return
    for index, (rule, choices) in enumerate(roster):
        action = rule.action
        if action.id != action_id:
            continue
        if game.state.uses[(action_id, target)] >= action.per_turn:
            left = [c for c in choices if c.target != target]
            if left:
                roster[index] = (rule, left)
            else:
                del roster[index]
        return


def introduction_choices(game: Game, time_left: float) -> list[Choice]:
    """Introductions open now: someone met trusts one of your people enough."""
    intro = game.scenario.introductions
    if intro.cost > time_left:
        return []
    nodes = game.nodes
    found = []
    for person in game.rules.stakeholder_ids:
        wanted = nodes[person]
        if wanted["met"] or wanted["defected"] or wanted["side"] != CUSTOMER:
            continue  # already met, gone to a competitor, not yet arrived or left
        for introducer in game.rules.introducers[person]:
            data = nodes[introducer]
            if not data["met"] or data["defected"] or data["side"] != CUSTOMER:
                continue
            actor, value = most_trusted(game, introducer)
            if actor is None or value < game.rules.intro_trust[person]:
                continue
            values = {
                "introducer": game._names[introducer],
                "target": game.full_name(person),
                "actor": game.name(actor),
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
                    f"{game._names[introducer]} trusts {game.name(actor)} enough "
                    f"({percent(value)}) to open the door.",
                )
            )
    return found


def most_trusted(game: Game, person: str) -> tuple[str | None, float]:
    """The active supplier person `person` trusts most, and how much."""
    best: tuple[str | None, float] = (None, 0.0)
    nodes = game.nodes
    for target, edge in game.succ[person].items():
        value = edge.get("trust", 0.0)
        data = nodes[target]
        if data["side"] == "supplier" and data["active"] and value > best[1]:
            best = (target, value)
    return best
