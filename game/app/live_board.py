"""`rapport leaderboard --live`: the board a trainer projects during a workshop.

It polls the leaderboard every second (in a worker thread), so a score
submitted from any process (or, on a PostgreSQL board, any machine) appears
without a key press; new entries are highlighted for a while. Each player's
par (the reference bot's score on the same seed) is shown beside the score,
and the board can rank by score minus par. A second tab shows the room: how players
answered each decision, which moves they used, and where loyalty built or
leaked across the room.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.css.query import NoMatches
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane
from textual.worker import Worker

if TYPE_CHECKING:
    from game.workshop.leaderboard import Ranking

POLL_SECONDS = 1.0
NEW_FOR_SECONDS = 30.0
BAR = "█"


@dataclass(frozen=True)
class BoardData:
    standings: list[Any]
    last_id: int
    games: int
    room: Any | None


def histogram(scores: list[int], width: int = 30) -> Text:
    """Players per band of 100 points, highest band first."""
    text = Text()
    counts = [0] * 10
    for score in scores:
        counts[min(9, max(0, score // 100))] += 1
    top = max(counts) or 1
    for band in range(9, -1, -1):
        low = band * 100
        text.append(f"{low:>4}–{low + 99 if band < 9 else 1000:<4} ", style="dim")
        text.append(BAR * round(counts[band] / top * width), style="cyan")
        text.append(f" {counts[band]}\n" if counts[band] else "\n")
    return text


def shares_table(room: Any) -> Table:
    """The room's decisions, moves and loyalty drivers, as bars."""
    table = Table.grid(padding=(0, 1))
    table.add_column(ratio=3)
    table.add_column(width=22)
    table.add_column(width=5, justify="right")

    def bar(share: float) -> Text:
        return Text(BAR * round(share * 20), style="green")

    if room is None or not room.games:
        table.add_row(Text("No games on the board yet.", style="dim"), "", "")
        return table
    table.add_row(Text(f"{room.games} games of {room.loaded.scenario.title}", style="bold"), "", "")
    for decision in room.decisions():
        table.add_row(Text(""), "", "")
        table.add_row(Text(f"{decision.title} ({decision.answered} answers)", style="bold"), "", "")
        for label, share in decision.shares:
            table.add_row(Text("  " + label), bar(share), Text(f"{share * 100:.0f}%"))
    table.add_row(Text(""), "", "")
    table.add_row(Text("Moves used at least once", style="bold"), "", "")
    for label, share in room.moves():
        table.add_row(Text("  " + label), bar(share), Text(f"{share * 100:.0f}%"))
    built, leaked = room.drivers()
    table.add_row(Text(""), "", "")
    table.add_row(Text("Where the room built loyalty (points per player)", style="bold"), "", "")
    for label, points in built[:6]:
        table.add_row(
            Text("  " + label),
            Text(BAR * min(20, round(points)), style="green"),
            Text(f"{points:+.1f}"),
        )
    table.add_row(Text("Where the room leaked loyalty", style="bold"), "", "")
    for label, points in leaked[:6]:
        table.add_row(
            Text("  " + label),
            Text(BAR * min(20, round(-points)), style="red"),
            Text(f"{points:+.1f}"),
        )
    return table


class LiveBoardApp(App[None]):
    """The leaderboard for the projector, updating itself."""

    TITLE = "Rapport leaderboard"
    CSS = """
    #board-row { height: 1fr; }
    #standings { width: 2fr; }
    #side { width: 1fr; min-width: 30; padding: 0 1; }
    #room { padding: 0 1; }
    """
    BINDINGS = [
        Binding("b", "show('board')", "Board", id="live-board"),
        Binding(
            "r",
            "show('room')",
            "Room",
            id="live-room",
            tooltip="How the room answered each decision, and where loyalty leaked",
        ),
        Binding("q", "quit", "Quit", id="live-quit"),
    ]

    def __init__(
        self,
        db_path: Path | str,
        *,
        workshop: str | None = None,
        scenario: str | None = None,
        rank: Ranking = "score",
    ) -> None:
        from game.workshop.leaderboard import BoardFeed

        super().__init__()
        self.feed = BoardFeed(db_path, workshop=workshop, scenario=scenario, rank=rank)
        self.rank = rank
        self.workshop = workshop
        self.scenario = scenario
        self.last_id = 0
        self.polled = False
        self.fresh: dict[str, float] = {}
        self.unreadable: str | None = None
        self._poll_worker: Worker[None] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial="board"):
            with TabPane("Board", id="board"), Horizontal(id="board-row"):
                yield DataTable(id="standings", cursor_type="row", zebra_stripes=True)
                with VerticalScroll(id="side"):
                    yield Static("", id="summary")
                    yield Static("", id="histogram")
            with TabPane("Room", id="room"), VerticalScroll():
                yield Static("", id="room-view")
        yield Footer()

    @property
    def scope(self) -> str:
        """What the board shows: the workshop and scenario filters, or all games; the ranking."""
        shown = " · ".join(filter(None, [self.workshop, self.scenario])) or "all games"
        return shown + (" · ranked by score − par" if self.rank == "par" else "")

    def on_mount(self) -> None:
        self.sub_title = self.scope
        table = self.query_one(DataTable)
        table.add_columns("rank", "player", "score", "par", "± par", "games", "scenario", "when")
        self._tick()
        self.set_interval(POLL_SECONDS, self._tick, name="poll leaderboard")

    def _tick(self) -> None:
        """Start a poll, unless the last one is still reading (a slow disk or database server):
        cancelling it for a new one could keep the board from ever updating."""
        if self._poll_worker is None or self._poll_worker.is_finished:
            self._poll_worker = self.poll()

    def action_show(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    @work(thread=True, group="poll")
    def poll(self) -> None:
        """Read the board off the UI thread (every second)."""
        from game.workshop.leaderboard import LeaderboardError

        try:
            read = self.feed.read()
        except LeaderboardError as error:
            # Keep showing the last good board; say why it stopped updating.
            self.call_from_thread(self._report_unreadable, str(error))
            return
        room = self.feed.room(read)
        data = BoardData(read.standings, read.last_id, read.games, room)
        self.call_from_thread(self.show_board, data, read.new)

    def _report_unreadable(self, message: str) -> None:
        if self.unreadable != message:  # once per problem, not once per poll
            self.notify(message, title="Cannot read the leaderboard", severity="error")
        self.unreadable = message
        self.sub_title = f"{self.scope} · board unreadable, showing the last good read"

    def show_board(self, data: BoardData, new: list[Any]) -> None:
        try:
            table = self.query_one(DataTable)
        except NoMatches:  # the app is closing: its widgets are already gone
            return
        self.unreadable = None
        self.sub_title = self.scope
        now = time.monotonic()
        if self.polled:  # entries already there at start-up are not "new"
            for entry in new:
                self.fresh[entry.player] = now
        self.polled = True
        self.last_id = data.last_id
        table.clear()
        for standing in data.standings:
            entry = standing.entry
            is_new = now - self.fresh.get(entry.player, -1e9) < NEW_FOR_SECONDS
            style = "bold reverse green" if is_new else ""
            table.add_row(
                Text(str(standing.rank), style=style),
                Text(
                    entry.player
                    + ("" if entry.finished else "  (unfinished)")
                    + ("  ★ new" if is_new else ""),
                    style=style,
                ),
                Text(str(entry.score), style=style or "bold"),
                Text("-" if entry.par is None else str(entry.par), style=style or "dim"),
                Text("-" if entry.margin is None else f"{entry.margin:+d}", style=style),
                Text(str(standing.games), style=style),
                Text(entry.scenario, style=style or "dim"),
                Text(entry.created[11:19], style=style or "dim"),
                key=f"{entry.workshop}/{entry.scenario}/{entry.player}",
            )
        scores = [s.entry.score for s in data.standings]
        summary = Text()
        summary.append(f"{len(data.standings)} players", style="bold")
        summary.append(f" · {data.games} games in the file\n", style="dim")
        if scores:
            summary.append(f"best {max(scores)} · median {sorted(scores)[len(scores) // 2]}\n")
        summary.append("\nScore distribution\n", style="bold")
        self.query_one("#summary", Static).update(summary)
        bars = self.query_one("#histogram", Static)
        bars.update(histogram(scores, width=max(5, (bars.content_size.width or 40) - 14)))
        self.query_one("#room-view", Static).update(shares_table(data.room))
