"""A scenario compiled for play: conditions parsed, people indexed, every possible
action choice built once. Read-only, and shared by every game of the scenario."""

from __future__ import annotations

from dataclasses import dataclass

from game.engine.choices import Choice, action_choice_id, event_choice_id
from game.engine.risks import risk_notes
from game.engine.text import fill
from game.scenario.conditions import CompiledCondition, compile_condition
from game.scenario.models import Action, Effect, Event, Scenario


@dataclass(frozen=True, slots=True)
class Candidate:
    """One (actor, target) pairing of an action, with its ready-made choice."""

    actor: str
    target: str | None
    choice: Choice
    key: tuple[str, str | None]


@dataclass(frozen=True, slots=True)
class ActionRule:
    action: Action
    when: CompiledCondition | None
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True, slots=True)
class EventRule:
    event: Event
    when: CompiledCondition | None
    choices: tuple[Choice, ...]


@dataclass(frozen=True, slots=True)
class Namer:
    """Fills scenario text: the player's rep is 'you', everyone else by name."""

    player: str
    names: dict[str, str]
    customer: str
    supplier: str
    full_names: dict[str, str]
    """Each person's name and role: 'Dana Ruiz (buyer)'."""

    def name(self, node: str) -> str:
        """How the game names a person: 'you' for the player's rep."""
        return "you" if node == self.player else self.names.get(node, node)

    def full_name(self, node: str) -> str:
        """A person's name and role."""
        return self.full_names.get(node, node)

    def fill(self, template: str, actor: str | None, target: str | None) -> str:
        """Scenario text with {actor}, {target}, {customer} and {supplier} filled in."""
        values = {"customer": self.customer, "supplier": self.supplier}
        if actor:
            values["actor"] = "you" if actor == self.player else self.names.get(actor, actor)
        if target:
            values["target"] = self.names.get(target, target)
        return fill(template, values)


@dataclass(frozen=True)
class Rules:
    """Everything about a scenario the engine looks up while playing."""

    scenario: Scenario
    namer: Namer
    actions: tuple[ActionRule, ...]
    actions_by_id: dict[str, Action]
    events: dict[str, EventRule]
    introducers: dict[str, tuple[str, ...]]
    intro_trust: dict[str, float]
    stakeholder_ids: tuple[str, ...]
    team_ids: tuple[str, ...]
    managers: dict[str, str]
    """Each customer person's manager (reporting lines never change in a game)."""

    @property
    def player(self) -> str:
        return self.namer.player

    @property
    def names(self) -> dict[str, str]:
        return self.namer.names

    def fill(self, template: str, actor: str | None, target: str | None) -> str:
        return self.namer.fill(template, actor, target)


def compile_rules(scenario: Scenario) -> Rules:
    """Compile `scenario` (already validated) for the engine."""
    team = tuple(p.id for p in scenario.supplier.people)
    stakeholders = tuple(p.id for p in scenario.customer.people)
    names = {p.id: p.name for p in scenario.supplier.people}
    names |= {p.id: p.name for p in scenario.customer.people}
    names |= {p.id: p.name for c in scenario.competitors for p in c.people}
    names["firm"] = scenario.supplier.name
    people = [*scenario.supplier.people, *scenario.customer.people]
    people += [p for c in scenario.competitors for p in c.people]
    full_names = {p.id: f"{p.name} ({p.role})" if p.role else p.name for p in people}
    full_names["firm"] = f"{scenario.supplier.name} (the company)"
    namer = Namer(
        scenario.player.id, names, scenario.customer.name, scenario.supplier.name, full_names
    )
    return Rules(
        scenario=scenario,
        namer=namer,
        actions=tuple(_action_rule(namer, team, stakeholders, a) for a in scenario.actions),
        actions_by_id={a.id: a for a in scenario.actions},
        events={event.id: _event_rule(scenario, namer, event) for event in scenario.events},
        introducers=_introducers(scenario),
        intro_trust={
            p.id: p.intro_trust if p.intro_trust is not None else scenario.dynamics.intro_trust
            for p in scenario.customer.people
        },
        stakeholder_ids=stakeholders,
        team_ids=team,
        managers={p.id: p.reports_to for p in scenario.customer.people if p.reports_to},
    )


def _action_rule(
    namer: Namer, team: tuple[str, ...], stakeholders: tuple[str, ...], action: Action
) -> ActionRule:
    if action.by == "player":
        actors: tuple[str, ...] = (namer.player,)
    elif action.by == "team":
        actors = team
    else:
        actors = tuple(action.by)
    if action.targets == "none":
        targets: tuple[str | None, ...] = (None,)
    elif action.targets == "stakeholders":
        targets = stakeholders
    else:
        targets = tuple(action.targets)
    candidates = []
    for target in targets:
        for actor in actors:
            label = namer.fill(action.label, actor, target)
            if actor != namer.player and "{actor}" not in action.label:
                label = f"{label} · {namer.names[actor]}"
            choice = Choice(
                action_choice_id(action.id, actor, target),
                "action",
                label,
                action.cost,
                action.behaviour.value,
                actor,
                target,
                action.id,
                action.description,
                gain=nominal_gain(action.effects),
                sets_flags=flags_set_by(action.effects),
            )
            candidates.append(Candidate(actor, target, choice, (action.id, target)))
    when = compile_condition(action.when) if action.when else None
    return ActionRule(action, when, tuple(candidates))


def flags_set_by(effects: list[Effect]) -> tuple[str, ...]:
    """The flags `effects` set to a true value."""
    return tuple(name for e in effects if e.flag for name, value in e.flag.items() if value)


def nominal_gain(effects: list[Effect]) -> float:
    """The trust a choice's effects add for its target and actor, before saturation."""
    total = 0.0
    for effect in effects:
        change = effect.trust or effect.promise
        if change is None:
            continue
        amount = effect.trust.delta if effect.trust else effect.promise.gain  # type: ignore[union-attr]
        who = change.who if isinstance(change.who, list) else [change.who]
        if amount > 0 and ("target" in who or "all" in who):
            total += amount * (1.0 if change.to != "firm" else 0.5)
    return round(total, 4)


def _event_rule(scenario: Scenario, namer: Namer, event: Event) -> EventRule:
    actor = namer.player if event.actor == "player" else event.actor
    default = event.default_choice
    choices = tuple(
        Choice(
            event_choice_id(event.id, c.id),
            "event",
            namer.fill(c.label, actor, event.target),
            c.cost,
            c.behaviour.value,
            actor,
            event.target,
            event.id,
            default=c is default,
            gain=nominal_gain(c.effects),
            sets_flags=flags_set_by(c.effects),
            risks=risk_notes(scenario, c.effects, event.target),
        )
        for c in event.choices
    )
    return EventRule(event, compile_condition(event.when) if event.when else None, choices)


def _introducers(scenario: Scenario) -> dict[str, tuple[str, ...]]:
    """Who can introduce each stakeholder: as given, else their manager and direct reports."""
    found: dict[str, tuple[str, ...]] = {}
    for person in scenario.customer.people:
        if person.introduced_by is not None:
            found[person.id] = tuple(person.introduced_by)
        else:
            near = [person.reports_to] if person.reports_to else []
            near += [p.id for p in scenario.customer.people if p.reports_to == person.id]
            found[person.id] = tuple(near)
    return found


_CACHE: dict[int, tuple[Scenario, Rules]] = {}
_CACHE_SIZE = 16


def rules_for(scenario: Scenario) -> Rules:
    """Compiled rules for `scenario`, reused across the many games a bot run plays."""
    hit = _CACHE.get(id(scenario))
    if hit is not None and hit[0] is scenario:
        return hit[1]
    rules = compile_rules(scenario)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[id(scenario)] = (scenario, rules)
    return rules
