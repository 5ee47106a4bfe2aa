"""Scrolling widgets whose growth costs a repaint, not a layout of the whole screen.

For Textual, a change in a widget's scrollable size (`virtual_size`) asks for a
layout of the whole screen, and after every layout each scroll bar on the screen is
drawn again in a frame of its own. A log that gains a line or a list whose options
are replaced does not change size on the screen: only its scroll bar has to learn the
new length. :class:`QuietScroll` tells the scroll bar directly, and asks for a layout
only when the scroll bar has to come or go.

Use it first among the bases of a widget whose own size does not depend on its
content (a fixed or fractional height), e.g. ``class EventLog(QuietScroll, RichLog)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.geometry import Size
from textual.reactive import Reactive

if TYPE_CHECKING:
    from textual.widget import Widget

    _Widget = Widget
else:  # a plain mixin: Textual takes a widget's CSS from its first widget base only
    _Widget = object


class QuietScroll(_Widget):
    """A scrolling widget that updates its scroll bar in place as its content grows."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    _check_pending = False

    def watch_virtual_size(self, size: Size) -> None:
        # A list that is replaced shrinks to nothing and grows back within one handler:
        # an empty size is judged once it has settled; any other at once (so the scroll
        # bar is drawn in the same frame as the content).
        if size.height:
            self._update_scroll_bar()
        elif not self._check_pending:
            self._check_pending = True
            self.call_next(self._update_scroll_bar)

    def _update_scroll_bar(self) -> None:
        """Ask for a layout if the scroll bar must come or go, else tell it the length."""
        self._check_pending = False
        height = self.virtual_size.height
        overflow = self.styles.overflow_y
        shows = overflow == "scroll" or (
            overflow == "auto" and height > self.scrollable_content_region.height
        )
        if shows != self.show_vertical_scrollbar:
            self.refresh(layout=True)  # the scroll bar comes or goes
        elif shows:
            self.vertical_scrollbar.window_virtual_size = height
