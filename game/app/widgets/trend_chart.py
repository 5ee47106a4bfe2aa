"""A small line chart of company loyalty against satisfaction, turn by turn."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

LOYALTY = ("●", "green")
SATISFACTION = ("◆", "cyan")


def chart_lines(
    loyalty: list[float], satisfaction: list[float], width: int, height: int
) -> list[Text]:
    """Rows of the chart, top first: a 0–100% axis, one column per turn (sampled to fit)."""
    plot_width = max(2, width - 6)
    count = len(loyalty)
    if count == 0:
        return [Text("")]
    columns = min(plot_width, count)
    picks = [round(i * (count - 1) / max(1, columns - 1)) for i in range(columns)]
    rows = max(3, height - 2)
    grid = [[(" ", "")] * columns for _ in range(rows)]

    def row_of(value: float) -> int:
        return rows - 1 - round(max(0.0, min(1.0, value)) * (rows - 1))

    for x, index in enumerate(picks):
        a, b = row_of(loyalty[index]), row_of(satisfaction[index])
        grid[b][x] = SATISFACTION
        grid[a][x] = ("◉", "bold yellow") if a == b else LOYALTY
    lines = []
    for y, row in enumerate(grid):
        label = (
            "100%"
            if y == 0
            else " 50%"
            if y == (rows - 1) // 2
            else "  0%"
            if y == rows - 1
            else ""
        )
        line = Text(f"{label:>4} │", style="dim")
        for glyph, style in row:
            line.append(glyph, style=style)
        lines.append(line)
    axis = Text("     └" + "─" * columns, style="dim")
    legend = Text("      ")
    legend.append("● company loyalty", style="green")
    legend.append("   ")
    legend.append("◆ satisfaction", style="cyan")
    legend.append(f"   turns 0–{count - 1}", style="dim")
    return [*lines, axis, legend]


class TrendChart(Widget):
    """Company loyalty (●) and satisfaction (◆) over the turns, on one 0–100% scale."""

    def __init__(self, loyalty: list[float], satisfaction: list[float], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.loyalty = loyalty
        self.satisfaction = satisfaction

    def set_series(self, loyalty: list[float], satisfaction: list[float]) -> None:
        """Replace the data and redraw."""
        self.loyalty = loyalty
        self.satisfaction = satisfaction
        self.refresh()

    def render(self) -> Text:
        lines = chart_lines(self.loyalty, self.satisfaction, self.size.width, self.size.height)
        return Text("\n").join(lines)
