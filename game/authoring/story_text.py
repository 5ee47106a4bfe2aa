"""The story map as plain text, for the terminal."""

from __future__ import annotations

from game.authoring.story_model import Intro, StoryMap, Trigger, num_text, plural, printable
from game.scenario.models import Stakeholder

# --------------------------------------------------------------------------- text


def _name(story: StoryMap, pid: str) -> str:
    names = {p.id: p.name for p in story.scenario.customer.people}
    names |= {p.id: p.name for p in story.scenario.supplier.people}
    names |= {p.id: p.name for c in story.scenario.competitors for p in c.people}
    return f"{printable(names[pid])} ({pid})" if pid in names else pid


def _start_trust(story: StoryMap, pid: str) -> str:
    seeds = [f"{t.to} {num_text(t.value)}" for t in story.scenario.trust if t.source == pid]
    return f"trusts {', '.join(seeds)}" if seeds else ""


def render_text(story: StoryMap) -> str:
    """The map as plain text for the terminal: a section per part of the story."""
    s = story.scenario
    out = [f"Story map: {printable(s.title)} ({s.id})", ""]
    for section in (_org_chart, _your_side, _competitors, _introductions, _reach, _events):
        out += section(story)
    return "\n".join(out) + "\n"


def _describe(story: StoryMap, person: Stakeholder, arrivals: dict[str, list[str]]) -> str:
    """One customer person's line: name, role, influence, met, arrival, trust."""
    parts = [_name(story, person.id)]
    if person.role:
        parts.append(printable(person.role))
    parts.append(f"influence {num_text(person.influence)}")
    if person.met:
        parts.append("met at the start")
    if not person.present:
        arrives = arrivals.get(person.id)
        parts.append("arrives with " + ", ".join(arrives) if arrives else "arrives later")
    if trust := _start_trust(story, person.id):
        parts.append(trust)
    return " · ".join(parts)


def _org_chart(story: StoryMap) -> list[str]:
    """The customer's people along their reporting lines, as a tree."""
    s = story.scenario
    out = [f"Organisation chart: {printable(s.customer.name)} (the customer)"]
    reports: dict[str | None, list[Stakeholder]] = {}
    ids = {p.id for p in s.customer.people}
    for person in s.customer.people:
        boss = person.reports_to if person.reports_to in ids else None
        reports.setdefault(boss, []).append(person)
    arrivals = story.arrivals()
    seen: set[str] = set()

    def tree(boss: str | None, lead: str) -> None:
        team = [p for p in reports.get(boss, []) if p.id not in seen]
        for number, person in enumerate(team):
            seen.add(person.id)
            last = number == len(team) - 1
            branch = "" if boss is None else ("└─ " if last else "├─ ")
            out.append(f"  {lead}{branch}{_describe(story, person, arrivals)}")
            deeper = lead if boss is None else lead + ("   " if last else "│  ")
            tree(person.id, deeper)

    tree(None, "")
    for person in s.customer.people:  # anyone left: a reporting circle
        if person.id not in seen:
            seen.add(person.id)
            out.append(f"  {_describe(story, person, arrivals)}")
    return out


def _your_side(story: StoryMap) -> list[str]:
    """The player's team: roles, the player, who joins later."""
    s = story.scenario
    arrivals = story.arrivals()
    out = ["", f"Your side: {printable(s.supplier.name)}"]
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
    return out


def _competitors(story: StoryMap) -> list[str]:
    """Each competitor, its price and its reps."""
    if not story.scenario.competitors:
        return []
    out = ["", "Competitors"]
    for competitor in story.scenario.competitors:
        reps = ", ".join(_name(story, p.id) for p in competitor.people) or "no named reps"
        out.append(
            f"  {printable(competitor.name)} ({competitor.id}) · price "
            f"{num_text(competitor.price)} · reps: {reps}"
        )
    return out


def _introductions(story: StoryMap) -> list[str]:
    """Who can introduce the player to whom, the trust it takes, and the doors events open."""
    out = ["", "Introductions: who can introduce you to whom, and the trust it takes"]
    if not story.intros:
        out.append("  (everyone is met at the start)")
    by_person: dict[str, list[Intro]] = {}
    for intro in story.intros:
        by_person.setdefault(intro.person, []).append(intro)
    for person in story.scenario.customer.people:
        if person.met:
            continue
        found = by_person.get(person.id, [])
        who = ", ".join(_name(story, i.introducer) for i in found) or "nobody"
        need = (
            f" · needs their trust in one of your people ≥ {num_text(found[0].trust)}"
            if found
            else ""
        )
        out.append(f"  {_name(story, person.id)} ← {who}{need}")
    for person_id, sources in story.openers().items():
        out.append(f"  {_name(story, person_id)} ← opened by {', '.join(sources)}")
    return out


def _reach(story: StoryMap) -> list[str]:
    """How many introductions each person is from those met at the start."""
    people = story.scenario.customer.people
    out = ["", "Reach from the people met at the start"]
    for step in range(max(story.steps.values(), default=0) + 1):
        at = [p for p in people if story.steps.get(p.id) == step]
        if not at:
            continue
        head = "met at the start" if step == 0 else plural(step, "introduction")
        names = []
        for person in at:
            text = _name(story, person.id)
            if step:
                text += " via " + ", ".join(story.via.get(person.id, ()))
            names.append(text)
        out.append(f"  {head + ':':<19} " + "; ".join(names))
    if story.after_events:
        openers = story.openers()
        names = []
        for pid, step in story.after_events.items():
            how = ", ".join(openers.get(pid, [])) if step == 0 else plural(step, "introduction")
            names.append(f"{_name(story, pid)} ({how})")
        out.append(f"  {'after an event:':<19} " + "; ".join(names))
    unreached = [
        _name(story, p.id)
        for p in people
        if p.id not in story.steps and p.id not in story.after_events
    ]
    if unreached:
        out.append(f"  {'never reached:':<19} " + "; ".join(unreached))
    return out


def _events(story: StoryMap) -> list[str]:
    """The events, the moves that matter to the story, and the flags between them."""
    out = ["", "Events"]
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
    return out


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
