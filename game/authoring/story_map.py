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

from game.authoring.story_graph import render_dot, render_mermaid
from game.authoring.story_model import FORMATS, build_map
from game.authoring.story_text import render_text
from game.scenario.models import Scenario


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


__all__ = ["FORMATS", "build_map", "render_dot", "render_mermaid", "render_text", "story_map"]
