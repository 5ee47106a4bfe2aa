"""The choices open this turn, grouped by the person they concern, with time costs.

Number keys 1–9 pick the first nine; arrows and Enter reach the rest.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

if TYPE_CHECKING:
    from game.engine import BoardView, Choice


#: What the list says while an event waits for an answer.
WAITING = "Answer the event first."


def _cost(cost: float, unit: str) -> str:
    return f"{cost:g}{unit}" if cost else "free"


class ChoiceList(OptionList):
    """An option list of choices whose option ids are the choice ids."""

    BINDINGS = [
        Binding(str(n), f"pick({n})", f"Choice {n}", show=False, id=f"choice-{n}")
        for n in range(1, 10)
    ]

    class Picked(Message):
        """The player picked a choice."""

        def __init__(self, choice_id: str) -> None:
            super().__init__()
            self.choice_id = choice_id

    def __init__(self, **kwargs: object) -> None:
        super().__init__(markup=False, **kwargs)  # type: ignore[arg-type]
        self.border_title = "Your moves"
        self._numbered: list[str] = []
        self._turn: int | None = None

    def show(self, board: BoardView) -> None:
        """List the open choices on the board (not event answers: those go in a modal)."""
        if board.pending is not None:
            self._show_waiting()
            return
        unit = board.time_unit
        groups: dict[str, list[Choice]] = {}
        for choice in board.choices:
            if choice.kind not in ("event", "end"):
                groups.setdefault(choice.target or "", []).append(choice)
        options: list[Option | None] = []
        self._numbered = []
        for target, members in sorted(groups.items(), key=lambda item: item[0] == ""):
            heading = board.names.get(target, target) if target else "The whole account"
            options.append(Option(Content.styled(heading, "bold"), disabled=True))
            for choice in members:
                options.append(Option(self._prompt(choice, unit, target), id=choice.id))
        options.append(Option(self._prompt_end(board), id="end"))
        kept = self._kept_cursor(board.turn)
        self.set_options(options)
        self.highlighted = self._cursor_index(kept)

    def _show_waiting(self) -> None:
        """While an event waits for its answer, no move can be picked: say so, with no cursor."""
        self._numbered = []
        self._turn = None  # the moves that come back after the answer start at the first
        self.set_options([Option(Content.styled(WAITING, "dim italic"), disabled=True)])
        self.highlighted = None

    def _kept_cursor(self, turn: int) -> str | None:
        """The move the cursor is on, if the list is redrawn within the same turn."""
        same_turn = self._turn == turn
        self._turn = turn
        option = self.highlighted_option
        return option.id if option is not None and same_turn else None

    def _cursor_index(self, kept: str | None) -> int | None:
        """The cursor: on the move it was on this turn, else on the first move (not "End").

        With no move left at all the list has no cursor, so Enter cannot end a
        turn by accident; `e` (or the arrows, then Enter) ends it.
        """
        if kept is not None:
            with contextlib.suppress(OptionDoesNotExist):
                return self.get_option_index(kept)
        return next(
            (i for i, o in enumerate(self.options) if o.id and o.id != "end" and not o.disabled),
            None,
        )

    def _prompt(self, choice: Choice, unit: str, target: str) -> Content:
        number = len(self._numbered) + 1
        self._numbered.append(choice.id)
        plus = "+" * min(3, max(1, round(choice.gain / 0.06))) if choice.gain else ""
        return Content.assemble(
            (f"{number} " if number <= 9 else "  ", "bold"),
            (f"{_cost(choice.cost, unit):>4} ", "dim"),
            (f"{plus:<3} ", "green"),
            choice.label,  # a plain str in assemble is text, never markup
        )

    def _prompt_end(self, board: BoardView) -> Content:
        left = board.time_left
        unused = f"  ({left:g}{board.time_unit} unused)" if left else ""
        return Content.assemble(("e ", "bold"), ("End the turn", "bold"), (unused, "dim"))

    def action_pick(self, number: int) -> None:
        """Pick the choice numbered `number` in the list."""
        if 0 < number <= min(9, len(self._numbered)):
            self.post_message(self.Picked(self._numbered[number - 1]))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter or a click on an option picks it."""
        event.stop()
        if event.option.id:
            self.post_message(self.Picked(event.option.id))
