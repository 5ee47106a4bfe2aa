"""The choices open this turn, grouped by the person they concern, with time costs.

Number keys 1–9 pick the first nine; arrows and Enter reach the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from game.engine import Choice, Game


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
        self._turn = 0

    def show(self, game: Game) -> None:
        """List the open choices of `game` (not event answers: those go in a modal)."""
        unit = game.scenario.time_unit
        choices = [c for c in game.choices() if c.kind != "event"]
        groups: dict[str, list[Choice]] = {}
        for choice in choices:
            if choice.kind == "end":
                continue
            key = choice.target or ""
            groups.setdefault(key, []).append(choice)
        options: list[Option | None] = []
        self._numbered = []
        for target, members in sorted(groups.items(), key=lambda item: item[0] == ""):
            heading = game.full_name(target) if target else "The whole account"
            options.append(Option(Content.styled(heading, "bold"), disabled=True))
            for choice in members:
                options.append(Option(self._prompt(choice, unit, target), id=choice.id))
        options.append(Option(self._prompt_end(game), id="end"))
        # Keep the cursor on the same move within a turn; a new turn starts at the top.
        same_turn = self._turn == game.turn
        self._turn = game.turn
        highlighted = self.highlighted_option.id if self.highlighted_option and same_turn else None
        self.set_options(options)
        ids = [o.id for o in options if o is not None and o.id]
        if highlighted in ids:
            self.highlighted = self.get_option_index(highlighted)
        else:
            self.highlighted = self.get_option_index(ids[0]) if ids else None

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

    def _prompt_end(self, game: Game) -> Content:
        left = game.time_left
        unused = f"  ({left:g}{game.scenario.time_unit} unused)" if left else ""
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
