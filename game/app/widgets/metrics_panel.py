"""Company loyalty, resilience, satisfaction and revenue, with their history.

The sparklines share one fixed 0–100% scale (Textual's `Sparkline` rescales
each series to its own range), so loyalty and satisfaction can be compared by
eye: the gap between them is the lesson.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Static

from game.app.widgets.trend_chart import TrendChart
from game.common.i18n import _
from game.engine.board_view import BoardView

BLOCKS = "▁▂▃▄▅▆▇█"
SERIES = (
    ("company_loyalty", _("Company loyalty"), "green"),
    ("satisfaction", _("Satisfaction"), "cyan"),
)
#: Loyalty that would survive the departure of the person it depends on most: company
#: loyalty times resilience, as the score counts it.
SURVIVING = (_("Survives a walk"), "magenta")


def surviving(board: BoardView) -> list[float]:
    """Loyalty that survives the worst departure, at each finished turn and now."""
    return [
        loyalty * resilience
        for loyalty, resilience in zip(
            board.history("company_loyalty"), board.history("resilience"), strict=True
        )
    ]


def sparkline(values: list[float], width: int, *, low: float = 0.0, high: float = 1.0) -> str:
    """The last `width` values as block characters on a fixed scale.

    While there are few values, each takes up to three cells so the line fills out.
    """
    if width <= 0:
        return ""
    shown = values[-width:]
    repeat = max(1, min(3, width // max(1, len(shown))))
    span = (high - low) or 1.0
    cells = []
    for value in shown:
        level = (min(high, max(low, value)) - low) / span
        cells.append(BLOCKS[min(len(BLOCKS) - 1, int(level * len(BLOCKS)))] * repeat)
    return "".join(cells)[-width:]


class MetricsPanel(Vertical):
    """The headline numbers, now and over time; on tall screens, a chart as well."""

    DEFAULT_CSS = """
    MetricsPanel { height: auto; }
    MetricsPanel #metric-rows { height: auto; }
    MetricsPanel TrendChart { display: none; height: 1fr; min-height: 7; }
    MetricsPanel.-chart { height: 1fr; }
    MetricsPanel.-chart TrendChart { display: block; }
    """

    board: reactive[BoardView | None] = reactive(
        None, always_update=True, repaint=False, init=False
    )
    """The board this widget shows: setting it redraws what changed."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.border_title = _("Loyalty vs satisfaction")
        self._drawn: tuple[object, ...] | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="metric-rows")
        yield TrendChart()

    def watch_board(self, board: BoardView | None) -> None:
        if board is not None:
            self.show(board)

    def show(self, board: BoardView) -> None:
        """Redraw from the board's metrics and their history (only if they changed)."""
        rows = self.query_one("#metric-rows", Static)
        width = rows.content_size.width
        drawn = (width, board.metrics, len(board.timeline), board.provisional)
        if drawn == self._drawn:
            return
        self._drawn = drawn
        self.border_subtitle = (
            f"loyalty counts {board.provisional:.0%} until the 2nd sale"
            if board.provisional is not None
            else ""
        )
        rows.update(self.render_metrics(board, width or 60), layout=not width)
        chart = self.query_one(TrendChart)
        chart.turns = board.turns
        timeline = board.timeline  # finished turns: the chart redraws once a turn, not a move
        chart.set_series(
            [t["company_loyalty"] for t in timeline], [t["satisfaction"] for t in timeline]
        )

    def render_metrics(self, board: BoardView, width: int) -> Table:
        now = board.metrics
        spark_width = max(4, width - 27)
        table = Table.grid(padding=(0, 1))
        table.add_column(width=16, no_wrap=True)
        table.add_column(width=5, justify="right", no_wrap=True)
        table.add_column(no_wrap=True)
        for key, label, colour in SERIES:
            table.add_row(
                Text(label),
                Text(f"{now[key] * 100:.0f}%", style=f"bold {colour}"),
                Text(sparkline(board.history(key), spark_width), style=colour),
            )
        kept = surviving(board)
        label, colour = SURVIVING
        style = "bold red" if kept[-1] < 0.2 else f"bold {colour}"
        table.add_row(
            Text(label),
            Text(f"{kept[-1] * 100:.0f}%", style=style),
            Text(sparkline(kept, spark_width), style=colour),
        )
        revenue = board.history("revenue")
        top = max(revenue) or 1.0
        table.add_row(
            Text(_("Revenue")),
            Text(_money(board.currency, now["revenue"]), style="bold"),
            Text(sparkline(revenue, spark_width, high=top), style="yellow"),
        )
        return table


def _money(currency: str, value: float) -> str:
    if value >= 1_000_000:
        return f"{currency}{value / 1_000_000:.1f}M"
    if value >= 1_000:
        return f"{currency}{value / 1_000:.0f}k"
    return f"{currency}{value:.0f}"
