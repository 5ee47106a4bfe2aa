"""The story map's model: a validated scenario read into people, introductions,
distances and the moves and events that set and read flags (:func:`build_map`);
and :func:`printable`, which every renderer applies to scenario text first."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from game.scenario.conditions import ConditionError, compile_condition
from game.scenario.models import Action, Effect, Event, Scenario, Stakeholder

FORMATS = ("text", "mermaid", "dot")
_KEEP = frozenset({"\u200c", "\u200d"})  # joiners inside emoji and some scripts


def printable(text: object) -> str:
    """`text` on one line with nothing a terminal would act on: line breaks and tabs
    become spaces, other control and format characters visible escapes."""
    out = []
    for char in str(text):
        category = unicodedata.category(char)
        if char in "\t\n\r" or category in ("Zl", "Zp"):
            out.append(" ")
        elif category.startswith("C") and char not in _KEEP:
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


# --------------------------------------------------------------------------- the map


@dataclass(frozen=True)
class Intro:
    """`introducer` can introduce you to `person` once they trust you `trust`."""

    introducer: str
    person: str
    trust: float


@dataclass(frozen=True)
class Trigger:
    """An event, or a move that matters to the story (flags, doors, arrivals)."""

    kind: str  # "event" or "action"
    id: str
    label: str
    when: str | None
    sets: tuple[str, ...] = ()
    reads: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    """Events whose firing its condition reads (`fired(EVENT)`)."""
    opens: tuple[str, ...] = ()
    """Customer people it introduces you to."""
    joins: tuple[str, ...] = ()
    leaves: tuple[str, ...] = ()
    offers: tuple[tuple[str, str | None], ...] = ()
    """The competitors' offers it makes: (competitor, the person approached or None)."""
    chance: float = 1.0
    once: bool = True
    answers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class StoryMap:
    scenario: Scenario
    intros: tuple[Intro, ...]
    steps: dict[str, int]
    """Introductions needed from the people met at the start, for those a chain reaches."""
    via: dict[str, tuple[str, ...]]
    """For each person reached by introduction: the introducers one step nearer."""
    after_events: dict[str, int] = field(default_factory=dict)
    """People reached only once an event or move opens a door: introductions after it."""
    triggers: tuple[Trigger, ...] = ()

    @property
    def people(self) -> list[Stakeholder]:
        return list(self.scenario.customer.people)

    def flags(self) -> dict[str, tuple[list[str], list[str]]]:
        """Each flag: the triggers that set it and those that read it (`kind id`)."""
        found: dict[str, tuple[list[str], list[str]]] = {}
        for trigger in self.triggers:
            for flag in trigger.sets:
                found.setdefault(flag, ([], []))[0].append(f"{trigger.kind} {trigger.id}")
        for trigger in self.triggers:
            for flag in trigger.reads:
                found.setdefault(flag, ([], []))[1].append(f"{trigger.kind} {trigger.id}")
        for lesson in self.scenario.lessons:
            if lesson.metric.startswith("flag."):
                name = lesson.metric.removeprefix("flag.")
                found.setdefault(name, ([], []))[1].append(f"lesson {lesson.id}")
        return found

    def arrivals(self) -> dict[str, list[str]]:
        """Who arrives (`join`) with which events and moves."""
        found: dict[str, list[str]] = {}
        for trigger in self.triggers:
            for who in trigger.joins:
                found.setdefault(who, []).append(f"{trigger.kind} {trigger.id}")
        return found

    def openers(self) -> dict[str, list[str]]:
        """Who is introduced by an `introduce` effect, and by which events and moves."""
        found: dict[str, list[str]] = {}
        for trigger in self.triggers:
            for who in trigger.opens:
                found.setdefault(who, []).append(f"{trigger.kind} {trigger.id}")
        return found


def introducers(scenario: Scenario, person: Stakeholder) -> tuple[str, ...]:
    """Who can introduce you to `person`: as given, else their manager and direct reports
    (the engine's rule)."""
    if person.introduced_by is not None:
        return tuple(person.introduced_by)
    near = [person.reports_to] if person.reports_to else []
    near += [p.id for p in scenario.customer.people if p.reports_to == person.id]
    return tuple(near)


def _effects(effects: list[Effect]) -> Iterator[Effect]:
    for effect in effects:
        yield effect
        if effect.promise:
            yield from _effects(effect.promise.kept)
            yield from _effects(effect.promise.broken)


def _reads(condition: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The flags and the events (`fired`) a condition reads."""
    if not condition:
        return (), ()
    try:
        compiled = compile_condition(condition)
    except ConditionError:
        return (), ()
    flags = [r.value for r in compiled.references if r.kind == "flag"]
    events = [r.value for r in compiled.references if r.kind == "event"]
    return tuple(dict.fromkeys(flags)), tuple(dict.fromkeys(events))


def _trigger(item: Action | Event) -> Trigger:
    effects = list(item.effects)
    if isinstance(item, Event):
        for choice in item.choices:
            effects += choice.effects
    walked = list(_effects(effects))
    reads, after = _reads(item.when)
    trigger = Trigger(
        "event" if isinstance(item, Event) else "action",
        item.id,
        item.title if isinstance(item, Event) else item.label,
        item.when,
        sets=tuple(dict.fromkeys(name for e in walked if e.flag for name in e.flag)),
        reads=reads,
        after=after,
        opens=tuple(dict.fromkeys(e.introduce for e in walked if e.introduce)),
        joins=tuple(dict.fromkeys(e.join for e in walked if e.join)),
        leaves=tuple(dict.fromkeys(e.leave.who for e in walked if e.leave)),
        offers=tuple(dict.fromkeys((e.offer.competitor, e.offer.who) for e in walked if e.offer)),
    )
    if isinstance(item, Event):
        return replace(
            trigger,
            chance=item.chance,
            once=item.once,
            answers=tuple((c.id, c.label) for c in item.choices),
        )
    return trigger


def build_map(scenario: Scenario) -> StoryMap:
    """The story map of a validated scenario."""
    people = scenario.customer.people
    default_trust = scenario.dynamics.intro_trust
    intros = tuple(
        Intro(
            introducer,
            person.id,
            default_trust if person.intro_trust is None else person.intro_trust,
        )
        for person in people
        if not person.met
        for introducer in introducers(scenario, person)
    )
    by_person = {p.id: introducers(scenario, p) for p in people}
    steps = {p.id: 0 for p in people if p.met}
    via: dict[str, tuple[str, ...]] = {}
    _spread(by_person, steps, via)
    triggers = tuple(
        trigger
        for trigger in [*map(_trigger, scenario.events), *map(_trigger, scenario.actions)]
        if trigger.kind == "event" or _shapes_the_story(trigger)
    )
    opened = {who for t in triggers for who in t.opens if who not in steps}
    after: dict[str, int] = {who: 0 for who in opened}
    if after:
        reached = dict(steps) | after
        _spread(by_person, reached, via)
        after = {who: n for who, n in reached.items() if who not in steps}
    return StoryMap(scenario, intros, steps, via, after, triggers)


def _shapes_the_story(trigger: Trigger) -> bool:
    """Whether a move sets or reads flags, waits on events, opens doors, brings people
    in or takes them away, or makes an offer."""
    return any(
        (
            trigger.sets,
            trigger.reads,
            trigger.after,
            trigger.opens,
            trigger.joins,
            trigger.leaves,
            trigger.offers,
        )
    )


def _spread(
    by_person: dict[str, tuple[str, ...]], steps: dict[str, int], via: dict[str, tuple[str, ...]]
) -> None:
    """Add to `steps` everyone a chain of introductions reaches, one step at a time."""
    step = 0
    while True:
        step += 1
        new = {
            person: tuple(i for i in candidates if steps.get(i, step) < step)
            for person, candidates in by_person.items()
            if person not in steps
        }
        new = {person: found for person, found in new.items() if found}
        if not new:
            return
        for person, found in new.items():
            steps[person] = step
            via[person] = found


def num_text(value: float) -> str:
    """A share or a price as the map writes it: two decimals."""
    return f"{value:.2f}"


def plural(count: int, word: str) -> str:
    """`1 event`, `3 events`."""
    return f"{count} {word}" + ("" if count == 1 else "s")
