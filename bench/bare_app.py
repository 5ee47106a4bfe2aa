"""Bare Textual apps that the benchmarks measure Rapport against.

    python bench/bare_app.py          # start-up baseline (bench/startup.py)
    python bench/bare_app.py --keys   # key-response baseline (bench/key_response.py)

Without a flag: a header, a label and a footer, run headless, exiting once its
first frame is painted. With --keys: the same plus an option list, run in the
real terminal; each of the keys 1-9 and `e` updates the label and replaces all
the options, the least work a game screen does for a move.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Header, Label

if TYPE_CHECKING:
    from textual.widgets.option_list import Option

#: How many options the --keys app lists (about as many as Rapport's move list).
OPTIONS = 24


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("Hello")
        yield Footer()

    def on_mount(self) -> None:
        self.call_after_refresh(self.exit)


class KeysApp(App[None]):
    """On each key, a new label and a new list of options; `q` quits."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(str(n), f"move({n})", f"Move {n}", show=False) for n in range(1, 10)),
        Binding("e", "move(0)", "End turn"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self) -> None:
        # Imported here, not at the top, so that the start-up baseline (BareApp) loads
        # no more than it did before this app was added.
        from textual.widgets import OptionList

        super().__init__()
        self.moves = 0
        self.option_list = OptionList(*self.options(), markup=False)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("No move yet", id="status")
        yield self.option_list
        yield Footer()

    def on_mount(self) -> None:
        self.option_list.focus()

    def options(self) -> list[Option]:
        from textual.widgets.option_list import Option

        return [
            Option(f"{n + 1} {(self.moves + n) % 5 + 1}h  Move {self.moves}.{n}", id=f"o{n}")
            for n in range(OPTIONS)
        ]

    def action_move(self, number: int) -> None:
        self.moves += 1
        self.query_one("#status", Label).update(f"Move {self.moves}: key {number}")
        self.option_list.set_options(self.options())
        self.option_list.highlighted = 0


if __name__ == "__main__":
    if "--keys" in sys.argv[1:]:
        KeysApp().run()
    else:
        BareApp().run(headless=True)
