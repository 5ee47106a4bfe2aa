"""The event log: what happened and why, with what it did to company loyalty."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.widgets import RichLog

from game.app.widgets.quiet_scroll import QuietScroll

if TYPE_CHECKING:
    from game.engine import LogEntry

ICONS = {
    "action": "•",
    "introduction": "+",
    "event": "!",
    "decision": "»",
    "delivery": "▸",
    "promise": "▸",
    "offer": "$",
    "defection": "✗",
    "departure": "✗",
    "arrival": "+",
    "leak": "↓",
    "endorsement": "↑",
    "order": "▸",
    "info": "·",
}


def entry_text(entry: LogEntry) -> Text:
    """One log line as plain text (never markup), coloured by its effect on loyalty."""
    text = Text(no_wrap=False)
    if entry.kind == "turn":
        text.append(entry.text, style="bold reverse")
        return text
    text.append(f"{ICONS.get(entry.kind, '·')} ", style="bold")
    text.append(entry.text, style="red" if entry.kind in ("defection", "departure") else "")
    if entry.loyalty_delta:
        style = "green" if entry.loyalty_delta > 0 else "red"
        text.append(f"  {entry.loyalty_delta * 100:+.1f} loyalty", style=f"bold {style}")
    return text


class EventLog(QuietScroll, RichLog):
    """A scrolling log that is fed new entries after every step, re-wrapped on resize."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(markup=False, wrap=True, min_width=20, **kwargs)  # type: ignore[arg-type]
        self.border_title = "What happened"
        self._texts: list[Text] = []
        self._wrapped_at = 0

    def add(self, entries: Iterable[LogEntry]) -> None:
        """Append entries to the log, and show the last at once: scrolled in the same
        frame, not after it (RichLog's own scroll waits for a refresh, which cost a
        second repaint of the log and its scroll bar on every move)."""
        added = False
        for entry in entries:
            text = entry_text(entry)
            self._texts.append(text)
            self.write(text, scroll_end=False)
            added = True
        if added and self._size_known:
            # Without a scroll bar yet (it comes with the next layout) the log cannot
            # scroll now: then after the refresh, as RichLog does.
            immediate = self.show_vertical_scrollbar
            self.scroll_end(animate=False, immediate=immediate, x_axis=False)

    def clear(self) -> EventLog:
        """Empty the log."""
        self._texts = []
        super().clear()
        return self

    def on_resize(self, event: events.Resize) -> None:
        """Lines are wrapped when written: write them again at the new width."""
        width = event.size.width
        if width == self._wrapped_at or not self._texts:
            self._wrapped_at = width
            return
        self._wrapped_at = width
        texts = self._texts
        super().clear()
        for text in texts:
            self.write(text, scroll_end=True)
