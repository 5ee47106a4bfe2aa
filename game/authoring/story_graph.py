"""The story map as a graph: nodes and edges, drawn as a Mermaid flowchart or a
Graphviz DOT graph."""

from __future__ import annotations

from dataclasses import dataclass

from game.authoring.story_model import StoryMap, num_text, plural, printable

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
    """The nodes and edges both graph formats draw (edges only between drawn nodes)."""
    nodes = _people_nodes(story) + _story_nodes(story)
    edges = _people_edges(story) + _story_edges(story)
    known = {n.key for n in nodes}
    return nodes, [e for e in edges if e.source in known and e.target in known]


def _people_nodes(story: StoryMap) -> list[Node]:
    """The customer's people (with their reach) and the player's team."""
    nodes = []
    for person in story.scenario.customer.people:
        lines = [printable(person.name)]
        if person.role:
            lines.append(printable(person.role))
        step = story.steps.get(person.id)
        unreached = step is None and person.id not in story.after_events
        if step is None:
            lines.append("never reached" if unreached else "after an event")
        elif step:
            lines.append(plural(step, "introduction"))
        key = f"person.{person.id}"
        nodes.append(Node(key, "customer", tuple(lines), person.met, unreached))
    for member in story.scenario.supplier.people:
        lines = [printable(member.name)]
        if member.role:
            lines.append(printable(member.role))
        nodes.append(Node(f"person.{member.id}", "supplier", tuple(lines), member.player))
    return nodes


def _story_nodes(story: StoryMap) -> list[Node]:
    """Events and moves that matter to the story, flags, and competitors."""
    nodes = []
    for trigger in story.triggers:
        what = "event" if trigger.kind == "event" else "move"
        label = (f"{what}: {printable(trigger.label)}",)
        nodes.append(Node(f"{trigger.kind}.{trigger.id}", trigger.kind, label))
    for name in story.flags():
        nodes.append(Node(f"flag.{name}", "flag", (f"flag {printable(name)}",)))
    for rival in story.scenario.competitors:
        lines = [printable(rival.name), f"price {num_text(rival.price)} of yours"]
        if rival.offer_chance:
            lines.append(
                f"offers: {num_text(rival.offer_chance)} a turn from turn {rival.from_turn}"
            )
        nodes.append(Node(f"competitor.{rival.id}", "competitor", tuple(lines)))
    return nodes


def _people_edges(story: StoryMap) -> list[Edge]:
    """Reporting lines, who the player knows, introductions, trust in teammates, and
    the people each competitor pitches to."""
    s = story.scenario
    player = s.player.id
    edges = [
        Edge(f"person.{p.reports_to}", f"person.{p.id}", "manages")
        for p in s.customer.people
        if p.reports_to
    ]
    edges += [
        Edge(f"person.{player}", f"person.{p.id}", "knows", "met")
        for p in s.customer.people
        if p.met
    ]
    edges += [
        Edge(
            f"person.{intro.introducer}",
            f"person.{intro.person}",
            "introduces",
            f"introduces, needs trust {num_text(intro.trust)} in one of your people",
        )
        for intro in story.intros
    ]
    team = {member.id for member in s.supplier.people}
    edges += [  # the customer's trust in your teammates at the start
        Edge(
            f"person.{seed.source}", f"person.{seed.to}", "trusts", f"trusts {num_text(seed.value)}"
        )
        for seed in s.trust
        if seed.to in team and seed.to != player
    ]
    everyone = [p.id for p in s.customer.people]
    for rival in s.competitors:
        if rival.offer_chance:
            pitched = rival.pitches if rival.pitches is not None else everyone
            edges += [
                Edge(f"competitor.{rival.id}", f"person.{who}", "pitches", "may make offers")
                for who in pitched
            ]
    return edges


def _story_edges(story: StoryMap) -> list[Edge]:
    """What each event or move sets, reads, waits on, opens, brings in, takes away and offers."""
    edges: list[Edge] = []
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
    return edges


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
