"""Textual's web driver for `rapport serve`, made to end cleanly when the server goes away.

textual-serve talks to each game through its stdin and stdout. If the
server dies (killed, crashed), Textual's own driver keeps the game running
with nobody to play it, and its next write fails. This driver treats the end
of stdin as "quit": it stops writing to the closed pipe and exits the app,
which saves the game on the way out.
"""

from __future__ import annotations

from typing import Any

from textual.drivers.web_driver import WebDriver


class RapportWebDriver(WebDriver):
    """A web driver whose game ends (saved) when the server's pipes close."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        write = self._write
        self.server_gone = False

        def guarded_write(data: bytes) -> int:
            if self.server_gone:
                return len(data)
            try:
                return write(data)
            except OSError:  # the server has gone: drop the output, keep exiting cleanly
                self.server_gone = True
                return len(data)

        self._write = guarded_write  # type: ignore[assignment]  # Textual types it as a partial

    def run_input_thread(self) -> None:
        super().run_input_thread()
        if not self.exit_event.is_set():  # stdin ended before the app asked to stop
            self.server_gone = True
            # After the next refresh: a screen still being put together when the tab
            # closed (in the game's first instants) finishes mounting before the exit.
            self._app.call_from_thread(self._app.call_after_refresh, self._app.exit)
