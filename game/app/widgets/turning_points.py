"""The debrief's turning points: the expert's analysis of the game, with its progress."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import ProgressBar, Static

from game.coach.advice import decided_differently, departure_lines, gap_lines, share_of_gap

if TYPE_CHECKING:
    from game.coach.analysis import Analysis


def turning_points_view(analysis: Analysis, reflection: list[str] | None = None) -> Group:
    """The turning points and takeaways beside the trainee's own answers (scenario text
    is shown as is, never as markup)."""
    a = analysis
    parts: list[RenderableType] = [Text(line, style="italic") for line in reflection or []]
    if parts:
        parts.append(Text(""))
    parts += [Text(line) for line in gap_lines(a)]
    parts.append(
        Text(
            decided_differently(a.decisions, a.differed, len(a.moments))
            + " Each was played out both ways on forks of the game, with the same dice for "
            "both.",
            style="dim",
        )
    )
    if a.moments:
        table = Table.grid(padding=(0, 2, 0, 0))
        table.add_column(style="dim", no_wrap=True)
        table.add_column(ratio=1)
        for number, m in enumerate(a.moments):
            if number:
                table.add_row("", "")
            loss = Text.assemble(
                (f"−{m.loss:.0f} points", "bold red"),
                (f" (± {m.error:.0f}; on this seed {m.on_seed:.0f}{share_of_gap(m, a)})", "dim"),
            )
            if m.kind == "event" and m.event:
                loss.append(f"  {m.event}", style="bold")
            table.add_row(f"Turn {m.turn}", loss)
            table.add_row("You", Text(m.choice))
            table.add_row("The expert", Text(m.expert, style="green"))
            table.add_row("Why", Text(m.why, style="italic"))
        parts += [Text(""), table]
    if a.departures:
        parts.append(Text("\nWhy they left", style="bold"))
        parts += [Text(f"• {line}") for line in departure_lines(a)]
    if a.takeaways:
        parts.append(Text("\nTakeaways", style="bold"))
        parts += [Text(f"• {line}") for line in a.takeaways]
    return Group(*parts)


class TurningPoints(Vertical):
    """Progress while the expert looks at the game, then the turning points."""

    DEFAULT_CSS = """
    TurningPoints {
        height: auto;
        margin: 0 0 1 0;
    }
    TurningPoints ProgressBar {
        margin: 0 0 0 0;
    }
    TurningPoints #turning-points {
        display: none;
    }
    TurningPoints.-done #turning-points {
        display: block;
    }
    TurningPoints.-done ProgressBar {
        display: none;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(
            "The expert is replaying your decisions: the debrief stays open meanwhile.",
            id="analysis-status",
            classes="muted",
            markup=False,
        )
        yield ProgressBar(total=None, show_eta=False, id="analysis-progress")
        yield Static("", id="turning-points", markup=False)

    def show_progress(self, done: int, total: int) -> None:
        self.query_one(ProgressBar).update(total=total, progress=done)

    def wait_for_reflection(self) -> None:
        """Say that the expert's view waits for the trainee's own look back."""
        self.query_one("#analysis-status", Static).update(
            "The expert is replaying your decisions meanwhile; its view shows once you have "
            "answered (or skipped) the questions above."
        )

    def reflection_given(self) -> None:
        """The trainee has answered; the expert is still at work."""
        self.query_one("#analysis-status", Static).update(
            "Thank you. The expert is still replaying your decisions: its view shows here "
            "in a moment."
        )

    def ready_after_reflection(self) -> None:
        """The analysis is ready, and still waits for the trainee's answers."""
        self.query_one("#analysis-status", Static).update(
            "The expert's view is ready: it shows once you have answered (or skipped) the "
            "questions above."
        )
        self.query_one(ProgressBar).display = False

    def show(self, analysis: Analysis, reflection: list[str] | None = None) -> None:
        self.query_one("#analysis-status", Static).display = False
        self.query_one("#turning-points", Static).update(turning_points_view(analysis, reflection))
        self.add_class("-done")

    def show_problem(self, message: str) -> None:
        self.query_one("#analysis-status", Static).update(message)
        self.add_class("-done")
