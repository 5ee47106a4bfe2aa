"""The relationship map: who at the customer trusts whom on your side, and how much.

One row per stakeholder in reporting-line order, one column per supplier
person (plus the firm and any competitor pull). Trust concentrated on one rep
shows as a single bright column; people not met yet are greyed out with who
could introduce them.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from game.common.i18n import _
from game.common.names import first_name
from game.engine.board_view import LEFT, BoardView, Column, InPlay, PersonRow

PARTIAL = " ▏▎▍▌▋▊▉"  # left-aligned eighths of a cell, for horizontal bars
#: After a trust figure that cools at the end of the turn unless someone gets in touch.
COOLING = "↓"
#: Before the name of someone weighing a competitor's offer.
IN_PLAY = "⚠"


def _header(column: Column) -> str:
    """A column heading: 'you', 'firm', or a first name (titles skipped), at most 8
    characters."""
    if column.player:
        return "you"
    return column.name if column.id == "firm" else _short(column.name)


def _status(row: PersonRow) -> str:
    """What the loyalty column says of someone with no loyalty to show: who they left
    for, or who could introduce you; empty for everyone else."""
    if row.gone == LEFT:
        return "left"
    if row.gone:
        return f"→{row.gone}"
    if not row.met:
        return f"via {first_name(row.introducers[0])}" if row.introducers else "not met"
    return ""


def _short(name: str) -> str:
    """A column heading: the first name (titles skipped), at most 8 characters."""
    return first_name(name)[:8]


def _bar(value: float, width: int) -> str:
    """A horizontal bar of `width` cells for a value in 0..1, with eighth-cell precision."""
    eighths = round(max(0.0, min(1.0, value)) * width * 8)
    full, rest = divmod(eighths, 8)
    return ("█" * full + (PARTIAL[rest] if rest else "")).ljust(width)


def _level_style(value: float) -> str:
    if value >= 0.6:
        return "bold green"
    if value >= 0.35:
        return "yellow"
    if value > 0.0:
        return "dim"
    return "dim"


LEGEND = _(
    "Rows: the customer's people along reporting lines. Columns: trust (0–100) in each "
    "of your people and in your firm. Loyalty combines them, and breadth helps: two "
    "people trusted at 50 beat one. Greyed out: not met yet, and who could introduce "
    "you. Struck through: gone to a competitor. ↓: no contact lately, so that trust "
    "cools at the end of the turn. ⚠: weighing a competitor's offer (see below the map)."
)


def walk_style(left: float, kept: float) -> str:
    """Red when little loyalty would be left after a departure (in absolute terms, or
    as a share of what there is), green only when much of a good deal would stay."""
    if left < 0.2 or kept < 0.5:
        return "bold red"
    if left >= 0.4 and kept >= 0.7:
        return "bold green"
    return "bold yellow"


class RelationshipMap(Static):
    """Draws the trust graph as a table, from the board it holds."""

    DEFAULT_CSS = """
    RelationshipMap { overflow-y: auto; }
    """

    board: reactive[BoardView | None] = reactive(
        None, always_update=True, repaint=False, init=False
    )
    """The board this widget shows: setting it redraws what changed."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self.border_title = "Relationships"
        self._shape: tuple[int, int, int, bool, int] | None = None
        self._drawn: tuple[object, ...] | None = None
        self.legend = True
        """Explain the map below it, when there is room (not when a chart needs it)."""

    def watch_board(self, board: BoardView | None) -> None:
        if board is not None:
            self.show(board)

    def show(self, board: BoardView) -> None:
        """Redraw from the board after a move (only if what it shows has changed).

        A new layout is only needed when the map's shape changes (a new column,
        a different width); otherwise repainting this widget is enough.
        """
        width = self.content_size.width or self.size.width or 80
        height = self.content_size.height or self.size.height or 10
        drawn = (
            width,
            height,
            self.legend,
            board.people,
            board.columns,
            board.weakest,
            board.concentration,
            board.in_play,
        )
        if drawn == self._drawn:
            return
        self._drawn = drawn
        rendered = self.render_map(board, width, height)
        legend = self.legend and height >= len(board.people) + 7
        shape = (width, len(board.columns), len(board.people), legend, len(board.in_play))
        self.update(rendered, layout=shape != self._shape)
        self._shape = shape

    def render_map(self, board: BoardView, width: int, height: int = 10) -> Group:
        layout = map_layout(board, width)
        table = Table.grid(padding=(0, 1))
        table.add_column(width=layout.name_width, no_wrap=True)
        if layout.role_width:
            table.add_column(width=layout.role_width, no_wrap=True)
        table.add_column(width=layout.loyalty_width, no_wrap=True)
        for _column in range(layout.count):
            table.add_column(width=layout.cell, justify="right", no_wrap=True)
        header = [Text(_("who"), style="bold")]
        if layout.role_width:
            header.append(Text(_("role"), style="bold"))
        header.append(Text(_("loyalty"), style="bold"))
        header += [Text(_header(c), style="bold", overflow="crop") for c in board.columns]
        if layout.rival_shown:
            header.append(Text(_("rival"), style="bold red", overflow="crop"))
        table.add_row(*header)
        for row in board.people:
            cells = self._cells(row, board.columns, layout.rival_shown, layout.wide, layout.cell)
            if layout.role_width:
                cells.insert(1, Text(row.role, style="dim", overflow="ellipsis", no_wrap=True))
            table.add_row(*cells)
        parts: list[Table | Text] = [table, Text(""), self._summary(board)]
        parts += [in_play_line(board, person) for person in board.in_play]
        if self.legend and height >= len(board.people) + 7:
            parts += [Text(""), Text(LEGEND, style="dim")]
        return Group(*parts)

    def _cells(
        self, row: PersonRow, columns: tuple[Column, ...], rival_shown: bool, wide: bool, cell: int
    ) -> list[Text]:
        indent = ("  " if wide else " ") * row.depth
        name = Text(indent + row.name, overflow="ellipsis", no_wrap=True)
        if row.in_play:
            name = Text(indent, no_wrap=True, overflow="ellipsis")
            name.append(IN_PLAY + " ", style="bold red")
            name.append(row.name)
        blanks = [Text("") for _column in columns] + ([Text("")] if rival_shown else [])
        if row.gone == LEFT:
            name.stylize("strike dim")
            return [name, Text(_status(row), style="dim italic", overflow="crop"), *blanks]
        if row.gone:
            name.stylize("strike red")
            return [name, Text(_status(row), style="red", overflow="ellipsis"), *blanks]
        if not row.met:
            name.stylize("dim italic")
            return [name, Text(_status(row), style="dim italic", overflow="crop"), *blanks]
        style = _level_style(row.loyalty)
        loyalty = Text(_bar(row.loyalty, 6 if wide else 3), style=style)
        loyalty.append(
            f"{row.loyalty * 100:4.0f}%" if wide else f"{row.loyalty * 100:3.0f}%", style=style
        )
        cells = [name, loyalty]
        for column in columns:
            value = row.trust.get(column.id, 0.0)
            shown = f"{value * 100:.0f}" if value >= 0.005 else "·"
            if column.id in row.cooling:
                shown += COOLING
            if wide:
                cells.append(Text(f"{_bar(value, 6)}{shown:>4}", style=_level_style(value)))
            else:
                cells.append(Text(shown, style=_level_style(value)))
        if rival_shown:
            cells.append(Text(f"{row.rival * 100:.0f}" if row.rival else "", style="red"))
        return cells

    def _summary(self, board: BoardView) -> Text:
        text = Text()
        concentration = board.concentration
        text.append(_("concentration "), style="dim")
        text.append(f"{concentration:.2f}", style="bold red" if concentration > 0.6 else "bold")
        if board.weakest is not None:
            who, kept = board.weakest
            loyalty = board.metrics["company_loyalty"]
            left = loyalty * kept
            text.append(" · if ", style="dim")
            text.append(who if who == "you" else first_name(who))
            text.append(" left: ", style="dim")
            text.append(f"{loyalty * 100:.0f}%", style="bold")
            text.append(" → ", style="dim")
            text.append(f"{left * 100:.0f}%", style=walk_style(left, kept))
        return text


@dataclass(frozen=True, slots=True)
class MapLayout:
    """The map's column widths at one terminal width."""

    wide: bool
    """Bars beside the numbers, and deeper indents."""
    rival_shown: bool
    count: int
    """Trust columns: your people, the firm, and the rival's if anyone trusts one."""
    cell: int
    loyalty_width: int
    role_width: int
    name_width: int


def map_layout(board: BoardView, width: int) -> MapLayout:
    """The widths that fit `width` columns: names first, then whole column heads, then
    the loyalty column's notes ("via Karin", "→Bastion")."""
    rows = board.people
    rival_shown = any(r.rival > 0 for r in rows)
    count = len(board.columns) + (1 if rival_shown else 0)
    wide = width >= 56 + 11 * count
    cell = 10 if wide else 5
    loyalty_width = 11 if wide else 7
    role_width = 22 if wide and width >= 80 + 11 * count else 0
    name_width = max(10, min(24, width - loyalty_width - role_width - (cell + 1) * count - 2))
    longest = max(
        (len(("  " if wide else " ") * r.depth + r.name) + 2 * r.in_play for r in rows),
        default=0,
    )
    name_width = max(10, min(name_width, longest + 1))
    spare = width - name_width - loyalty_width - role_width - (cell + 1) * count - 2
    heads = [len(_header(c)) for c in board.columns] + ([len(_("rival"))] if rival_shown else [])
    if count and spare > 0 and max(heads) > cell:
        grow = min(max(heads) - cell, spare // count)
        cell, spare = cell + grow, spare - grow * count
    note = max((len(_status(r)) for r in rows if _status(r)), default=0)
    if note > loyalty_width and spare > 0:
        loyalty_width += min(note - loyalty_width, spare)
    return MapLayout(wide, rival_shown, count, cell, loyalty_width, role_width, name_width)


def in_play_line(board: BoardView, person: InPlay) -> Text:
    """'⚠ Rosa weighs Quartzline's offer (12% below your price): 40% likely to leave at
    the end of fortnight 5; surely stays at loyalty 48% (now 39%, colleagues 30%).'"""
    turn_name = board.turn_name.lower()
    when = f"this {turn_name}" if person.decides <= board.turn else f"{turn_name} {person.decides}"
    gap = person.price_gap
    price = (
        f"{gap * 100:.0f}% below your price"
        if gap > 0.005
        else "no cheaper than you"
        if gap > -0.005
        else f"{-gap * 100:.0f}% above your price"
    )
    text = Text()
    text.append(f"{IN_PLAY} ", style="bold red")
    text.append(first_name(person.name), style="bold")
    owner = person.competitor + ("'" if person.competitor.endswith("s") else "'s")
    text.append(f" weighs {owner} offer ({price}): ")
    style = "bold red" if person.chance >= 0.5 else "bold yellow" if person.chance > 0 else "bold"
    text.append(f"{person.chance * 100:.0f}% likely to leave", style=style)
    text.append(f" at the end of {when}; ")
    colleagues = "" if person.colleagues is None else f", colleagues {person.colleagues * 100:.0f}%"
    if not person.met:
        text.append(_("has never met you, so goes by colleagues' loyalty until met"), style="red")
    elif person.stay_at is None:
        text.append(_("no loyalty of theirs alone would keep them"), style="red")
    else:
        text.append(f"surely stays at loyalty {person.stay_at * 100:.0f}%")
    text.append(f" (now {person.own_loyalty * 100:.0f}%{colleagues}).", style="dim")
    return text
