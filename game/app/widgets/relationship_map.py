"""The relationship map: who at the customer trusts whom on your side, and how much.

One row per stakeholder in reporting-line order, one column per supplier
person (plus the firm and any competitor pull). Trust concentrated on one rep
shows as a single bright column; people not met yet are greyed out with who
could introduce them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

if TYPE_CHECKING:
    from game.engine import Game

PARTIAL = " ▏▎▍▌▋▊▉"  # left-aligned eighths of a cell, for horizontal bars


@dataclass(frozen=True)
class Column:
    id: str
    header: str


@dataclass(frozen=True)
class Row:
    id: str
    depth: int
    name: str
    role: str
    influence: float
    met: bool
    gone: str | None
    loyalty: float
    trust: dict[str, float]
    rival: float
    introducers: tuple[str, ...]


def org_order(game: Game) -> list[tuple[str, int]]:
    """Stakeholders depth-first along reporting lines, with their depth."""
    children: dict[str | None, list[str]] = {}
    for person in game.rules.stakeholder_ids:
        children.setdefault(game.rules.managers.get(person), []).append(person)
    order: list[tuple[str, int]] = []

    def visit(person: str, depth: int) -> None:
        order.append((person, depth))
        for child in children.get(person, []):
            visit(child, depth + 1)

    for root in children.get(None, []):
        visit(root, 0)
    return order


def map_columns(game: Game) -> list[Column]:
    """The player, teammates someone trusts, then the firm.

    Teammates nobody trusts yet stay out of the way until they matter.
    """
    nodes = game.nodes
    player = game.rules.player
    trusted = {
        t
        for p in game.rules.stakeholder_ids
        for t, e in game.succ[p].items()
        if e.get("trust", 0.0) >= 0.005
    }
    team = [
        p
        for p in game.rules.team_ids
        if nodes[p]["side"] == "supplier" and nodes[p]["active"] and (p == player or p in trusted)
    ]
    team.sort(key=lambda p: p != player)
    columns = [Column(p, "you" if p == player else _short(nodes[p]["name"])) for p in team]
    columns.append(Column("firm", "firm"))
    return columns


def map_rows(game: Game) -> list[Row]:
    """The data the map draws, read from the game's graph."""
    from scoring.loyalty import personal_loyalty

    nodes = game.nodes
    rows = []
    for person, depth in org_order(game):
        data = nodes[person]
        if data["side"] == "absent":
            continue  # not at the customer yet
        trust = {t: e["trust"] for t, e in game.succ[person].items() if "trust" in e}
        rival = max((v for t, v in trust.items() if nodes[t]["side"] == "competitor"), default=0.0)
        gone = data["defected"] or (LEFT if data["side"] == "gone" else None)
        if gone and gone not in ("elsewhere", LEFT):
            gone = next((c.name for c in game.scenario.competitors if c.id == gone), gone)
        rows.append(
            Row(
                person,
                depth,
                data["name"],
                data["role"],
                data["influence"],
                bool(data["met"]),
                gone,
                personal_loyalty(game.graph, person),
                trust,
                rival,
                tuple(
                    nodes[i]["name"]
                    for i in game.rules.introducers[person]
                    if nodes[i]["met"] and not nodes[i]["defected"]
                ),
            )
        )
    return rows


#: What the map shows for someone who has left the customer (retired, moved on).
LEFT = "left"


def _short(name: str) -> str:
    return name.split()[0][:8]


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


LEGEND = (
    "Rows: the customer's people along reporting lines. Columns: trust (0–100) in each "
    "of your people and in your firm. Loyalty combines them, and breadth helps: two "
    "people trusted at 50 beat one. Greyed out: not met yet, and who could introduce "
    "you. Struck through: gone to a competitor."
)


class RelationshipMap(Static):
    """Draws the trust graph as a table; call :meth:`show` after every step."""

    DEFAULT_CSS = """
    RelationshipMap { overflow-y: auto; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self.border_title = "Relationships"
        self._shape: tuple[int, int, bool] | None = None

    def show(self, game: Game) -> None:
        """Redraw from the current state of `game`.

        A new layout is only needed when the map's shape changes (a new column,
        a different width); otherwise repainting this widget is enough.
        """
        width = self.content_size.width or self.size.width or 80
        height = self.content_size.height or self.size.height or 10
        rendered = self.render_map(game, width, height)
        shape = (width, len(map_columns(game)), height >= len(game.rules.stakeholder_ids) + 7)
        self.update(rendered, layout=shape != self._shape)
        self._shape = shape

    def render_map(self, game: Game, width: int, height: int = 10) -> Group:
        columns = map_columns(game)
        rows = map_rows(game)
        rival_shown = any(r.rival > 0 for r in rows)
        count = len(columns) + (1 if rival_shown else 0)
        wide = width >= 56 + 11 * count
        cell = 10 if wide else 5
        loyalty_width = 11 if wide else 7
        role_width = 22 if wide and width >= 80 + 11 * count else 0
        name_width = max(10, min(24, width - loyalty_width - role_width - (cell + 1) * count - 2))
        table = Table.grid(padding=(0, 1))
        table.add_column(width=name_width, no_wrap=True)
        if role_width:
            table.add_column(width=role_width, no_wrap=True)
        table.add_column(width=loyalty_width, no_wrap=True)
        for _ in range(count):
            table.add_column(width=cell, justify="right", no_wrap=True)
        header = [Text("who", style="bold")]
        if role_width:
            header.append(Text("role", style="bold"))
        header.append(Text("loyalty", style="bold"))
        header += [Text(c.header, style="bold", overflow="crop") for c in columns]
        if rival_shown:
            header.append(Text("rival", style="bold red", overflow="crop"))
        table.add_row(*header)
        for row in rows:
            cells = self._cells(row, columns, rival_shown, wide, cell)
            if role_width:
                cells.insert(1, Text(row.role, style="dim", overflow="ellipsis", no_wrap=True))
            table.add_row(*cells)
        parts: list[Table | Text] = [table, Text(""), self._summary(game)]
        if height >= len(rows) + 7:
            parts += [Text(""), Text(LEGEND, style="dim")]
        return Group(*parts)

    def _cells(
        self, row: Row, columns: list[Column], rival_shown: bool, wide: bool, cell: int
    ) -> list[Text]:
        indent = ("  " if wide else " ") * row.depth
        name = Text(indent + row.name, overflow="ellipsis", no_wrap=True)
        blanks = [Text("") for _ in columns] + ([Text("")] if rival_shown else [])
        if row.gone == LEFT:
            name.stylize("strike dim")
            return [name, Text("left", style="dim italic", overflow="crop"), *blanks]
        if row.gone:
            name.stylize("strike red")
            return [name, Text(f"→{row.gone}", style="red", overflow="crop"), *blanks]
        if not row.met:
            name.stylize("dim italic")
            via = f"via {row.introducers[0].split()[0]}" if row.introducers else "not met"
            return [name, Text(via, style="dim italic", overflow="crop"), *blanks]
        style = _level_style(row.loyalty)
        loyalty = Text(_bar(row.loyalty, 6 if wide else 3), style=style)
        loyalty.append(
            f"{row.loyalty * 100:4.0f}%" if wide else f"{row.loyalty * 100:3.0f}%", style=style
        )
        cells = [name, loyalty]
        for column in columns:
            value = row.trust.get(column.id, 0.0)
            shown = f"{value * 100:.0f}" if value >= 0.005 else "·"
            if wide:
                cells.append(Text(f"{_bar(value, 6)}{shown:>4}", style=_level_style(value)))
            else:
                cells.append(Text(shown, style=_level_style(value)))
        if rival_shown:
            cells.append(Text(f"{row.rival * 100:.0f}" if row.rival else "", style="red"))
        return cells

    def _summary(self, game: Game) -> Text:
        from scoring.loyalty import snapshot

        snap = snapshot(game.graph)
        text = Text()
        text.append("concentration ", style="dim")
        text.append(
            f"{snap.concentration:.2f}", style="bold red" if snap.concentration > 0.6 else "bold"
        )
        if snap.without and snap.company_loyalty > 1e-9:
            person, without = min(snap.without.items(), key=lambda item: item[1])
            kept = without / snap.company_loyalty
            who = "you" if person == game.rules.player else game.nodes[person]["name"]
            text.append(" · if ", style="dim")
            text.append(who)
            text.append(" left, ", style="dim")
            text.append(f"{kept * 100:.0f}%", style="bold red" if kept < 0.5 else "bold green")
            text.append(" would stay", style="dim")
        return text
