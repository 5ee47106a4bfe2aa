"""`rapport map`: a scenario's shape on one page, for the trainer who has to run it.

:func:`build_map` reads a validated scenario into a :class:`StoryMap`: the customer's
reporting lines, who can introduce you to whom (and how much trust that takes), how
far each person is from the people met at the start, and the events and moves that
set and read flags, open doors, bring people in and take them away. The three
`render_*` functions turn it into plain text, a Mermaid flowchart or a Graphviz DOT
graph. They are pure: a scenario in, a string out.

Every text that comes from the scenario is made printable first (control characters
become escapes such as ``\\x1b``), so a hostile file cannot drive the terminal; each
format then quotes it its own way.
"""

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
        if trigger.kind == "event"
        or trigger.sets
        or trigger.reads
        or trigger.after
        or trigger.opens
        or trigger.joins
        or trigger.leaves
        or trigger.offers
    )
    opened = {who for t in triggers for who in t.opens if who not in steps}
    after: dict[str, int] = {who: 0 for who in opened}
    if after:
        reached = dict(steps) | after
        _spread(by_person, reached, via)
        after = {who: n for who, n in reached.items() if who not in steps}
    return StoryMap(scenario, intros, steps, via, after, triggers)


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


# --------------------------------------------------------------------------- text


def _num(value: float) -> str:
    return f"{value:.2f}"


def _name(story: StoryMap, pid: str) -> str:
    names = {p.id: p.name for p in story.scenario.customer.people}
    names |= {p.id: p.name for p in story.scenario.supplier.people}
    names |= {p.id: p.name for c in story.scenario.competitors for p in c.people}
    return f"{printable(names[pid])} ({pid})" if pid in names else pid


def _start_trust(story: StoryMap, pid: str) -> str:
    seeds = [f"{t.to} {_num(t.value)}" for t in story.scenario.trust if t.source == pid]
    return f"trusts {', '.join(seeds)}" if seeds else ""


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def render_text(story: StoryMap) -> str:
    """The map as plain text for the terminal."""
    s = story.scenario
    out = [f"Story map: {printable(s.title)} ({s.id})", ""]
    out.append(f"Organisation chart: {printable(s.customer.name)} (the customer)")
    reports: dict[str | None, list[Stakeholder]] = {}
    ids = {p.id for p in s.customer.people}
    for person in s.customer.people:
        boss = person.reports_to if person.reports_to in ids else None
        reports.setdefault(boss, []).append(person)
    arrivals = story.arrivals()

    def describe(person: Stakeholder) -> str:
        parts = [_name(story, person.id)]
        if person.role:
            parts.append(printable(person.role))
        parts.append(f"influence {_num(person.influence)}")
        if person.met:
            parts.append("met at the start")
        if not person.present:
            arrives = arrivals.get(person.id)
            parts.append("arrives with " + ", ".join(arrives) if arrives else "arrives later")
        if trust := _start_trust(story, person.id):
            parts.append(trust)
        return " · ".join(parts)

    seen: set[str] = set()

    def tree(boss: str | None, lead: str) -> None:
        team = [p for p in reports.get(boss, []) if p.id not in seen]
        for number, person in enumerate(team):
            seen.add(person.id)
            last = number == len(team) - 1
            branch = "" if boss is None else ("└─ " if last else "├─ ")
            out.append(f"  {lead}{branch}{describe(person)}")
            deeper = lead if boss is None else lead + ("   " if last else "│  ")
            tree(person.id, deeper)

    tree(None, "")
    for person in s.customer.people:  # anyone left: a reporting circle
        if person.id not in seen:
            seen.add(person.id)
            out.append(f"  {describe(person)}")
    out += ["", f"Your side: {printable(s.supplier.name)}"]
    for member in s.supplier.people:
        parts = [_name(story, member.id)]
        if member.role:
            parts.append(printable(member.role))
        if member.player:
            parts.append("the player")
        if not member.active:
            arrives = arrivals.get(member.id)
            parts.append("joins with " + ", ".join(arrives) if arrives else "joins later")
        out.append("  " + " · ".join(parts))
    if s.competitors:
        out += ["", "Competitors"]
        for competitor in s.competitors:
            reps = ", ".join(_name(story, p.id) for p in competitor.people) or "no named reps"
            out.append(
                f"  {printable(competitor.name)} ({competitor.id}) · price "
                f"{_num(competitor.price)} · reps: {reps}"
            )

    out += ["", "Introductions: who can introduce you to whom, and the trust it takes"]
    if not story.intros:
        out.append("  (everyone is met at the start)")
    by_person: dict[str, list[Intro]] = {}
    for intro in story.intros:
        by_person.setdefault(intro.person, []).append(intro)
    for person in s.customer.people:
        if person.met:
            continue
        found = by_person.get(person.id, [])
        who = ", ".join(_name(story, i.introducer) for i in found) or "nobody"
        need = (
            f" · needs their trust in one of your people ≥ {_num(found[0].trust)}" if found else ""
        )
        out.append(f"  {_name(story, person.id)} ← {who}{need}")
    openers = story.openers()
    for person_id, sources in openers.items():
        out.append(f"  {_name(story, person_id)} ← opened by {', '.join(sources)}")

    out += ["", "Reach from the people met at the start"]
    deepest = max(story.steps.values(), default=0)
    for step in range(deepest + 1):
        at = [p for p in s.customer.people if story.steps.get(p.id) == step]
        if not at:
            continue
        head = "met at the start" if step == 0 else _plural(step, "introduction")
        names = []
        for person in at:
            text = _name(story, person.id)
            if step:
                text += " via " + ", ".join(story.via.get(person.id, ()))
            names.append(text)
        out.append(f"  {head + ':':<19} " + "; ".join(names))
    if story.after_events:
        names = []
        for pid, step in story.after_events.items():
            how = ", ".join(openers.get(pid, [])) if step == 0 else _plural(step, "introduction")
            names.append(f"{_name(story, pid)} ({how})")
        out.append(f"  {'after an event:':<19} " + "; ".join(names))
    unreached = [
        _name(story, p.id)
        for p in s.customer.people
        if p.id not in story.steps and p.id not in story.after_events
    ]
    if unreached:
        out.append(f"  {'never reached:':<19} " + "; ".join(unreached))

    out += ["", "Events"]
    events = [t for t in story.triggers if t.kind == "event"]
    if not events:
        out.append("  (none)")
    for trigger in events:
        out += _trigger_lines(story, trigger)
    moves = [t for t in story.triggers if t.kind == "action"]
    if moves:
        out += ["", "Moves that set or read flags, open doors or bring people in"]
        for trigger in moves:
            out += _trigger_lines(story, trigger)
    flags = story.flags()
    if flags:
        out += ["", "Flags"]
        for name, (setters, readers) in flags.items():
            out.append(
                f"  {printable(name)}: set by {', '.join(setters) or 'nothing'} · "
                f"read by {', '.join(readers) or 'nothing'}"
            )
    return "\n".join(out) + "\n"


def _trigger_lines(story: StoryMap, trigger: Trigger) -> list[str]:
    head = [f"{trigger.id} “{printable(trigger.label)}”"]
    if trigger.when:
        head.append(f"when {printable(trigger.when.strip())}")
    if trigger.kind == "event":
        if trigger.chance < 1:
            head.append(f"chance {trigger.chance * 100:.0f}%")
        if not trigger.once:
            head.append("repeats")
    lines = ["  " + " · ".join(head)]
    facts = []
    if trigger.answers:
        facts.append("answers: " + ", ".join(a for a, _label in trigger.answers))
    for label, values in (
        ("sets", trigger.sets),
        ("reads", trigger.reads),
        ("after", trigger.after),
        ("introduces", trigger.opens),
        ("brings in", trigger.joins),
        ("takes away", trigger.leaves),
    ):
        if values:
            facts.append(f"{label}: {', '.join(printable(v) for v in values)}")
    if facts:
        lines.append("    " + " · ".join(facts))
    return lines


# --------------------------------------------------------------------------- graphs


@dataclass(frozen=True)
class Node:
    key: str
    """`person.ID`, `event.ID`, `action.ID` or `flag.NAME`: unique in the graph."""
    kind: str  # customer, supplier, event, action, flag
    label: tuple[str, ...]
    """Lines of the label, already printable."""
    met: bool = False
    unreached: bool = False


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    kind: str
    """manages, introduces, knows, trusts, pitches, offers, sets, reads, after, opens,
    brings_in, takes_away."""
    label: str = ""


def graph(story: StoryMap) -> tuple[list[Node], list[Edge]]:
    """The nodes and edges both graph formats draw."""
    s = story.scenario
    nodes: list[Node] = []
    edges: list[Edge] = []
    for person in s.customer.people:
        lines = [printable(person.name)]
        if person.role:
            lines.append(printable(person.role))
        step = story.steps.get(person.id)
        unreached = step is None and person.id not in story.after_events
        if step is None:
            lines.append("never reached" if unreached else "after an event")
        elif step:
            lines.append(_plural(step, "introduction"))
        key = f"person.{person.id}"
        nodes.append(Node(key, "customer", tuple(lines), person.met, unreached))
    for member in s.supplier.people:
        lines = [printable(member.name)]
        if member.role:
            lines.append(printable(member.role))
        nodes.append(Node(f"person.{member.id}", "supplier", tuple(lines), member.player))
    for trigger in story.triggers:
        what = "event" if trigger.kind == "event" else "move"
        nodes.append(
            Node(
                f"{trigger.kind}.{trigger.id}",
                trigger.kind,
                (f"{what}: {printable(trigger.label)}",),
            )
        )
    flags = story.flags()
    for name in flags:
        nodes.append(Node(f"flag.{name}", "flag", (f"flag {printable(name)}",)))
    for rival in s.competitors:
        lines = [printable(rival.name), f"price {_num(rival.price)} of yours"]
        if rival.offer_chance:
            lines.append(f"offers: {_num(rival.offer_chance)} a turn from turn {rival.from_turn}")
        nodes.append(Node(f"competitor.{rival.id}", "competitor", tuple(lines)))
    for person in s.customer.people:
        if person.reports_to:
            edges.append(Edge(f"person.{person.reports_to}", f"person.{person.id}", "manages"))
    player = s.player.id
    for person in s.customer.people:
        if person.met:
            edges.append(Edge(f"person.{player}", f"person.{person.id}", "knows", "met"))
    for intro in story.intros:
        edges.append(
            Edge(
                f"person.{intro.introducer}",
                f"person.{intro.person}",
                "introduces",
                f"introduces, needs trust {_num(intro.trust)} in one of your people",
            )
        )
    team = {member.id for member in s.supplier.people}
    for seed in s.trust:  # the customer's trust in your teammates at the start
        if seed.to in team and seed.to != player:
            edges.append(
                Edge(
                    f"person.{seed.source}",
                    f"person.{seed.to}",
                    "trusts",
                    f"trusts {_num(seed.value)}",
                )
            )
    for rival in s.competitors:
        if rival.offer_chance:
            pitched = (
                rival.pitches if rival.pitches is not None else [p.id for p in s.customer.people]
            )
            edges += [
                Edge(f"competitor.{rival.id}", f"person.{who}", "pitches", "may make offers")
                for who in pitched
            ]
    for trigger in story.triggers:
        key = f"{trigger.kind}.{trigger.id}"
        edges += [Edge(key, f"flag.{f}", "sets", "sets") for f in trigger.sets]
        edges += [Edge(f"flag.{f}", key, "reads", "read by") for f in trigger.reads]
        edges += [Edge(f"event.{e}", key, "after", "after") for e in trigger.after]
        edges += [Edge(key, f"person.{p}", "opens", "introduces") for p in trigger.opens]
        edges += [Edge(key, f"person.{p}", "brings_in", "brings in") for p in trigger.joins]
        edges += [Edge(key, f"person.{p}", "takes_away", "takes away") for p in trigger.leaves]
        for competitor, who in trigger.offers:
            if who:
                edges.append(Edge(key, f"person.{who}", "offers", f"an offer from {competitor}"))
            else:
                edges.append(
                    Edge(key, f"competitor.{competitor}", "offers", "an offer, to whom it picks")
                )
    known = {n.key for n in nodes}
    return nodes, [e for e in edges if e.source in known and e.target in known]


def _mermaid_id(key: str) -> str:
    kind, _dot, rest = key.partition(".")
    prefix = {"person": "p", "event": "e", "action": "a", "flag": "f", "competitor": "c"}[kind]
    return f"{prefix}_{rest}"


def _mermaid_text(text: str) -> str:
    """Text for inside a quoted Mermaid label: entity codes for what Mermaid reads."""
    text = text.replace("#", "#35;")
    for char, code in (('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("`", "#96;")):
        text = text.replace(char, code)
    return text.replace("|", "#124;")


def render_mermaid(story: StoryMap) -> str:
    """The map as a Mermaid flowchart."""
    s = story.scenario
    nodes, edges = graph(story)
    shapes = {
        "customer": ('["', '"]'),
        "supplier": ('(["', '"])'),
        "event": ('{{"', '"}}'),
        "action": ('["', '"]'),
        "flag": ('[/"', '"/]'),
        "competitor": ('[("', '")]'),
    }

    def node_line(node: Node) -> str:
        start, end = shapes[node.kind]
        label = "<br/>".join(_mermaid_text(line) for line in node.label)
        return f"    {_mermaid_id(node.key)}{start}{label}{end}"

    out = ["flowchart TD", f"  %% Story map: {printable(s.title)} ({s.id})"]
    groups = (
        ("customer", f"{s.customer.name} (the customer)", ("customer",)),
        ("supplier", f"{s.supplier.name} (your side)", ("supplier",)),
        ("story", "Events, moves and flags", ("event", "action", "flag")),
        ("rivals", "Competitors", ("competitor",)),
    )
    for group, title, kinds in groups:
        members = [n for n in nodes if n.kind in kinds]
        if not members:
            continue
        out.append(f'  subgraph {group} ["{_mermaid_text(printable(title))}"]')
        out += [node_line(n) for n in members]
        out.append("  end")
    arrows = {
        "manages": "---",
        "knows": "==>",
        "introduces": "-.->",
        "reads": "-.->",
    }
    for edge in edges:
        arrow = arrows.get(edge.kind, "-->")
        label = f"|{_mermaid_text(edge.label)}|" if edge.label else ""
        out.append(f"  {_mermaid_id(edge.source)} {arrow}{label} {_mermaid_id(edge.target)}")
    met = [_mermaid_id(n.key) for n in nodes if n.met]
    out.append("  classDef met stroke-width:3px")
    out.append("  classDef unreached stroke-dasharray:4 3")
    if met:
        out.append(f"  class {','.join(met)} met")
    unreached = [_mermaid_id(n.key) for n in nodes if n.unreached]
    if unreached:
        out.append(f"  class {','.join(unreached)} unreached")
    return "\n".join(out) + "\n"


def _dot_text(text: str) -> str:
    """A DOT double-quoted string's content: backslashes and quotes escaped."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _dot_attributes(**attributes: str) -> str:
    return ", ".join(f'{k}="{v}"' for k, v in attributes.items())


def render_dot(story: StoryMap) -> str:
    """The map as a Graphviz DOT digraph. Every id is quoted; each node and edge has a
    `kind` attribute (nodes: customer, supplier, event, action, flag, competitor; edges:
    manages, knows, introduces, trusts, pitches, offers, sets, reads, after, opens,
    brings_in, takes_away)."""
    s = story.scenario
    nodes, edges = graph(story)
    shapes = {
        "customer": "box",
        "supplier": "ellipse",
        "event": "hexagon",
        "action": "box",
        "flag": "parallelogram",
        "competitor": "octagon",
    }
    title = _dot_text(printable(f"{s.title} ({s.id})"))
    out = [
        f'digraph "{_dot_text(s.id)}" {{',
        f'  graph [label="{title}", labelloc="t", rankdir="TB", fontname="Helvetica"];',
        '  node [fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize="10"];',
    ]

    def node_line(node: Node, indent: str) -> str:
        attributes = {
            "label": "\\n".join(_dot_text(line) for line in node.label),
            "shape": shapes[node.kind],
            "kind": node.kind,
        }
        if node.kind == "action":
            attributes["style"] = "rounded"
        if node.met:
            attributes["penwidth"] = "2.5"
        return f'{indent}"{_dot_text(node.key)}" [{_dot_attributes(**attributes)}];'

    clusters = (
        ("customer", f"{s.customer.name} (the customer)"),
        ("supplier", f"{s.supplier.name} (your side)"),
    )
    # Nodes are declared at the top level, with their attributes, and the clusters only
    # name them: readers that ignore subgraphs (networkx) still see every node.
    out += [node_line(n, "  ") for n in nodes]
    for kind, label in clusters:
        out.append(f'  subgraph "cluster_{kind}" {{')
        out.append(f'    graph [label="{_dot_text(printable(label))}"];')
        out += [f'    "{_dot_text(n.key)}";' for n in nodes if n.kind == kind]
        out.append("  }")
    styles = {
        "manages": {"arrowhead": "none"},
        "knows": {"style": "bold"},
        "introduces": {"style": "dashed"},
        "reads": {"style": "dashed"},
    }
    for edge in edges:
        attributes = {"kind": edge.kind, **styles.get(edge.kind, {})}
        if edge.label:
            attributes["label"] = _dot_text(edge.label)
        out.append(
            f'  "{_dot_text(edge.source)}" -> "{_dot_text(edge.target)}" '
            f"[{_dot_attributes(**attributes)}];"
        )
    out.append("}")
    return "\n".join(out) + "\n"


def story_map(scenario: Scenario, form: str = "text") -> str:
    """The scenario's story map in `form`: text, mermaid or dot."""
    story = build_map(scenario)
    if form == "mermaid":
        return render_mermaid(story)
    if form == "dot":
        return render_dot(story)
    if form == "text":
        return render_text(story)
    raise ValueError(f"unknown format {form!r}; one of {', '.join(FORMATS)}")
