"""The event log: what happened and why, with what it did to company loyalty."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import RichLog

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


class EventLog(RichLog):
    """A scrolling log that is fed new entries after every step."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(markup=False, wrap=True, min_width=20, **kwargs)  # type: ignore[arg-type]
        self.border_title = "What happened"

    def add(self, entries: list[LogEntry]) -> None:
        for entry in entries:
            self.write(entry_text(entry))
