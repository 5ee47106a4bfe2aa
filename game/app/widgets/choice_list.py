"""The moves open this turn, grouped by the person they concern.

Each group has a letter and each move in it a number, so two keys pick any
move: the letter moves the cursor to that person's moves, a number picks one
of the moves in the group the cursor is in. The letters are kept for the
whole game and the numbers follow the scenario's order of actions, so the
same keys mean the same move from turn to turn. A move that cannot be played
right now (done this turn, cooling down, longer than the time left) stays in
its place, dimmed, with why; its keys say why and do nothing else. People not
met yet are listed last, with who could introduce you and how much trust that
takes.
"""

from __future__ import annotations

import contextlib
import textwrap
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from game.app.widgets.quiet_scroll import QuietScroll
from game.common.names import first_name
from game.play.move_keys import RESERVED, Group, MoveKeys

if TYPE_CHECKING:
    from game.engine import BoardView, Choice
    from game.engine.board_view import PersonRow


#: What the list says while an event waits for an answer.
WAITING = "Answer the event first."
#: Option ids of the headings start with this; they cannot be picked.
HEADING = "group:"
#: Keys that move the cursor: after an event's answer, Enter picks again once one is used.
CURSOR_KEYS = frozenset({"up", "down", "pageup", "pagedown", "home", "end"})
#: The width of a move's number, time and strength: its label is indented by this.
PREFIX = 11


def hanging(label: str, width: int, indent: int) -> str:
    """`label` wrapped to fit `width` after an `indent`, later lines indented to match."""
    lines = textwrap.wrap(label, max(10, width - indent), break_on_hyphens=False) or [""]
    return ("\n" + "\u00a0" * indent).join(lines)  # no-break spaces: kept when drawn


def cost_text(cost: float, unit: str) -> str:
    """A move's time, or "free"."""
    return f"{cost:g}{unit}" if cost else "free"


def strength(gain: float) -> str:
    """A move's nominal trust gain as one to three plus signs."""
    return "+" * min(3, max(1, round(gain / 0.06))) if gain else ""


class ChoiceList(QuietScroll, OptionList):
    """An option list of moves whose option ids are the choice ids."""

    BINDINGS = [
        Binding(str(n), f"pick({n})", f"Move {n}", show=False, id=f"choice-{n}")
        for n in range(1, 10)
    ]

    class Picked(Message):
        """The player picked a choice."""

        def __init__(self, choice_id: str) -> None:
            super().__init__()
            self.choice_id = choice_id

    class Refused(Message):
        """The player's keys named a move that cannot be played now."""

        def __init__(self, label: str, why: str) -> None:
            super().__init__()
            self.label = label
            self.why = why

    board: reactive[BoardView | None] = reactive(
        None, always_update=True, repaint=False, init=False
    )
    """The board this widget shows: setting it redraws what changed."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(markup=False, **kwargs)  # type: ignore[arg-type]
        self.border_title = "Your moves"
        self.order: dict[str, int] = {}
        """The scenario's actions in the order it lists them: how moves are numbered."""
        self._groups: list[Group] = []
        self._keys: MoveKeys | None = None
        self._turn: int | None = None
        self._scenario: str | None = None
        self.armed = True
        """Whether Enter picks the move under the cursor: not right after an event's
        answer, until the player moves the cursor (a stray Enter plays nothing)."""

    # ------------------------------------------------------------------ drawing

    def watch_board(self, board: BoardView | None) -> None:
        if board is not None and not board.finished:
            self.show(board, self.order)

    def show(self, board: BoardView, order: dict[str, int] | None = None) -> None:
        """List the open moves on the board (not event answers: those go in a modal).

        `order` ranks the scenario's actions by `source`, so a person's moves
        keep their numbers from turn to turn.
        """
        if board.pending is not None:
            self._show_waiting()
            return
        self._groups = self.grouped(board, order or {})
        rows = {row.id: row for row in board.people}
        options: list[Option | None] = []
        for group in self._groups:
            options.append(self._heading(group))
            row = rows.get(group.key)
            for number, choice in enumerate(group.moves, 1):
                label = choice.label
                if row is not None:  # the heading names them: "Call Tom", not "Call Tom Lindqvist"
                    label = label.replace(row.name, first_name(row.name))
                why = self._closed_why.get(choice.id)
                if why is None:
                    prompt = self._prompt(number, choice, label, board.time_unit)
                    options.append(Option(prompt, id=choice.id))
                else:
                    prompt = self._prompt_closed(number, choice, label, why, board.time_unit)
                    options.append(Option(prompt, id=choice.id, disabled=True))
        options.append(Option(self._prompt_end(board), id="end"))
        locked = [row for row in board.people if not row.met and not row.gone]
        if locked:
            options.append(None)
            heading = Content.styled("Not met yet", "bold dim")
            options.append(Option(heading, id=f"{HEADING}locked", disabled=True))
            for row in locked:
                prompt = self._locked(row, board)
                options.append(Option(prompt, id=f"locked:{row.id}", disabled=True))
        kept = self._kept_cursor(board.turn)
        self.set_options(options)
        self.highlighted = self._cursor_index(kept)

    def grouped(self, board: BoardView, order: dict[str, int]) -> list[Group]:
        """The open moves by person, people in reporting-line order, account-wide moves last
        (see `game.play.move_keys`)."""
        if self._keys is None:
            self._keys = MoveKeys(order)
        return self._keys.groups(board)

    @property
    def _closed_why(self) -> dict[str, str]:
        return self._keys.closed_why if self._keys is not None else {}

    def _heading(self, group: Group) -> Option:
        """A group's letter and whom it concerns, on one line (cut short if it must be)."""
        room = max(4, self._text_width() - 4)
        heading = group.heading if len(group.heading) <= room else group.heading[: room - 1] + "…"
        prompt = Content.assemble(
            (f" {group.letter} " if group.letter else "   ", "bold reverse"), " ", (heading, "bold")
        )
        return Option(prompt, id=f"{HEADING}{group.key}", disabled=True)

    def _prompt(self, number: int, choice: Choice, label: str, unit: str) -> Content:
        """One move: its number, time and strength, then the label with a hanging indent."""
        return Content.assemble(
            (f"{number} " if number <= 9 else "  ", "bold"),
            (f"{cost_text(choice.cost, unit):>4} ", "dim"),
            (f"{strength(choice.gain):<3} ", "green"),
            hanging(label, self._text_width(), PREFIX),  # plain text, never markup
        )

    def _prompt_closed(
        self, number: int, choice: Choice, label: str, why: str, unit: str
    ) -> Content:
        """A move that cannot be played now, in its place: dimmed, with why."""
        lines = hanging(f"{label} · {why}", self._text_width(), PREFIX)
        return Content.assemble(
            (f"{number} " if number <= 9 else "  ", "dim"),
            (f"{cost_text(choice.cost, unit):>4} ", "dim"),
            ("    ", "dim"),
            (lines, "dim italic"),
        )

    def _text_width(self) -> int:
        """The width options are drawn in (the list's, less its scroll bar)."""
        width = self.scrollable_content_region.width or self.size.width or 40
        return max(20, width - 1)

    def _prompt_end(self, board: BoardView) -> Content:
        left = board.time_left
        unused = f"  ({left:g}{board.time_unit} unused)" if left else ""
        return Content.assemble(("e ", "bold"), ("End the turn", "bold"), (unused, "dim"))

    def _locked(self, row: PersonRow, board: BoardView) -> Content:
        """A person not met yet: who could introduce you, and how far off that is."""
        text = locked_text(row, board).plain
        return Content.assemble(("· ", "dim"), (hanging(text, self._text_width(), 2), "dim italic"))

    def _show_waiting(self) -> None:
        """While an event waits for its answer, no move can be picked: say so, with no cursor."""
        self._groups = []
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
        """The cursor: on the move it was on this turn, else the first move of that
        person, else the first move (never "End": Enter cannot end a turn by accident).

        With no move left at all the list has no cursor; `e` ends the turn.
        """
        if kept is not None:
            with contextlib.suppress(OptionDoesNotExist):
                index = self.get_option_index(kept)
                if not self.options[index].disabled:
                    return index
            target = next((g for g in self._groups if kept in _ids(g)), None)
            if target is None:
                target = self._group_of_closed(kept)
            if target is not None:
                first = self._first_open(target)
                if first is not None:
                    return self.get_option_index(first)
        return self._first_move()

    def _first_open(self, group: Group) -> str | None:
        """The id of the group's first move that can be played now."""
        return next((c.id for c in group.moves if c.id not in self._closed_why), None)

    def _group_of_closed(self, kept: str) -> Group | None:
        """The group a move that has just closed belonged to (by the person in its id)."""
        parts = kept.split(":")
        return next((g for g in self._groups if g.key and g.key in parts[1:]), None)

    def _first_move(self) -> int | None:
        return next(
            (
                i
                for i, o in enumerate(self.options)
                if o.id and o.id != "end" and not o.disabled and ":" in o.id
            ),
            None,
        )

    # ------------------------------------------------------------------ keys

    @property
    def current_group(self) -> Group | None:
        """The group of the move (or heading) under the cursor; the first group if none."""
        option = self.highlighted_option
        if option is not None and option.id:
            for group in self._groups:
                if option.id == f"{HEADING}{group.key}" or option.id in _ids(group):
                    return group
        return self._groups[0] if self._groups else None

    def highlighted_choice(self, board: BoardView) -> Choice | None:
        """The move under the cursor, if any."""
        option = self.highlighted_option
        if option is None or not option.id:
            return None
        return next((c for c in board.choices if c.id == option.id), None)

    def action_pick(self, number: int) -> None:
        """Pick move `number` of the group the cursor is in (or say why it is closed)."""
        group = self.current_group
        if group is not None and 0 < number <= min(9, len(group.moves)):
            choice = group.moves[number - 1]
            why = self._closed_why.get(choice.id)
            if why is None:
                self.post_message(self.Picked(choice.id))
            else:
                self.post_message(self.Refused(choice.label, why))

    def on_key(self, event: events.Key) -> None:
        """A group's letter moves the cursor to that person's first move; moving the
        cursor arms Enter again after an event's answer."""
        if event.key in CURSOR_KEYS:
            self.armed = True
        letter = event.character
        if not letter or len(letter) != 1 or letter in RESERVED:
            return
        group = next((g for g in self._groups if g.letter == letter), None)
        if group is not None:
            event.stop()
            event.prevent_default()
            self.armed = True  # the player moved the cursor, on purpose
            first = self._first_open(group)
            target = first if first is not None else f"{HEADING}{group.key}"
            self.highlighted = self.get_option_index(target)
            if first is None:  # nothing open: show the group, each move with why
                self.scroll_to_highlight(top=True)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """A click is a deliberate pick: it arms Enter and picks what it lands on."""
        self.armed = True

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter or a click on an option picks it (Enter only once armed: see `armed`)."""
        event.stop()
        option_id = event.option.id
        if not self.armed:  # after an event: every Enter is stray until the cursor moves
            return
        if option_id and not option_id.startswith((HEADING, "locked:")):
            self.post_message(self.Picked(option_id))


def _ids(group: Group) -> set[str]:
    return {choice.id for choice in group.moves}


def locked_text(row: PersonRow, board: BoardView) -> Text:
    """'Grace Moyo — via Tom, who trusts you 40% of the 55% it takes'."""
    text = Text(row.name, style="italic")
    if not row.introducers:
        text.append(" — no one you know can introduce you yet", style="dim")
        return text
    player = next((c.id for c in board.columns if c.player), None)
    rows = {r.name: r for r in board.people}
    best = max(
        row.introducers,
        key=lambda name: rows[name].trust.get(player or "", 0.0) if name in rows else 0.0,
    )
    now = rows[best].trust.get(player or "", 0.0) if best in rows else 0.0
    need = row.intro_trust
    text.append(f" — via {best}", style="dim")
    if now + 1e-9 >= need:
        text.append(", who can introduce you now", style="green")
    else:
        text.append(
            f": trust in you {now * 100:.0f}% of the {need * 100:.0f}% it takes", style="dim"
        )
    return text
