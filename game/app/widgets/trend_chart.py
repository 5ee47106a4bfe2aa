"""Company loyalty against satisfaction, turn by turn, as a line chart (plotext).

Both lines share one 0–100% axis, so the gap between them reads at a glance:
customers can be satisfied without being loyal. Turns worth a second look
(the debrief's turning points, a defection) are marked with vertical lines.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import RenderResult
from textual_plotext import PlotextPlot

LOYALTY_COLOUR = "green"
SATISFACTION_COLOUR = "cyan"
MARK_COLOUR = "red"


class TrendChart(PlotextPlot):
    """Loyalty and satisfaction over the turns; redraws only when the data changes."""

    DEFAULT_CSS = """
    TrendChart { height: 1fr; min-height: 8; }
    """

    def __init__(
        self,
        loyalty: Sequence[float] = (),
        satisfaction: Sequence[float] = (),
        marks: Sequence[int] = (),
        *,
        turns: int = 0,
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._data: tuple[tuple[float, ...], tuple[float, ...], tuple[int, ...]] | None = None
        self._drawn: tuple[object, ...] | None = None
        self._drawing: RenderResult = ""
        self.turns = turns
        """The game's length: the x axis runs to it, so the lines grow as the game goes on."""
        self.set_series(loyalty, satisfaction, marks)

    @property
    def series(self) -> tuple[tuple[float, ...], tuple[float, ...], tuple[int, ...]]:
        """The loyalty, satisfaction and marked turns drawn now."""
        return self._data or ((), (), ())

    def set_series(
        self, loyalty: Sequence[float], satisfaction: Sequence[float], marks: Sequence[int] = ()
    ) -> None:
        """Draw these series (one value per turn from turn 0) and mark these turns."""
        data = (tuple(loyalty), tuple(satisfaction), tuple(marks))
        if data == self._data:
            return
        self._data = data
        self._drawn = None
        plt = self.plt
        plt.clear_figure()
        plt.ylim(0, 100)
        plt.yticks([0, 25, 50, 75, 100])
        plt.xlabel("turn")
        turns = list(range(len(data[0])))
        last = max(self.turns, len(turns) - 1, 1)
        step = max(1, -(-last // 8))
        plt.xlim(0, last)
        plt.xticks(list(range(0, last + 1, step)))
        for turn in data[2]:
            plt.vertical_line(turn, color=MARK_COLOUR)
        if turns:
            plt.plot(
                turns,
                [v * 100 for v in data[0]],
                label="company loyalty %",
                color=LOYALTY_COLOUR,
                marker="braille",
            )
            plt.plot(
                turns,
                [v * 100 for v in data[1]],
                label="satisfaction %",
                color=SATISFACTION_COLOUR,
                marker="braille",
            )
        self.refresh()

    def render(self) -> RenderResult:
        """The chart, built by plotext only when the data, the size or the theme change
        (a repaint of the screen around it reuses the last drawing)."""
        drawn = (self._data, self.size, self.app.theme)
        if drawn != self._drawn:
            self._drawing = super().render()
            self._drawn = drawn
        return self._drawing
