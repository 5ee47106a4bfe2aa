"""What the move under the cursor is: its description, who it reaches, its time and
its likely effect, so a player can weigh a move before spending time on it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.reactive import reactive
from textual.visual import visualize
from textual.widgets import Static

from game.app.widgets.choice_list import cost_text, locked_text, strength
from game.common.names import first_name

if TYPE_CHECKING:
    from game.engine import BoardView, Choice
    from game.engine.board_view import PersonRow

#: How each kind of move reads to a player.
BEHAVIOURS = {
    "contact": "keeping in touch",
    "special_needs": "help with a problem of theirs",
    "training": "training their people",
    "industry_info": "sharing industry knowledge",
    "business_review": "a business review",
    "product_ideas": "asking for their ideas",
    "networking": "widening your network",
    "company_communication": "news from your company (builds trust in the firm)",
    "account_plan": "planning the account together",
    "innovation": "something new for them",
    "delivery": "getting the deliveries right",
    "service": "service",
    "discount": "a price cut: pleases now, builds no trust",
    "loyalty_program": "a rewards programme: pleases now, builds no trust",
    "selling": "selling",
    "other": "something else",
    "decline": "saying no",
}


def preview_text(choice: Choice | None, board: BoardView) -> Text:
    """The preview of `choice` on `board` (a hint when the cursor is on no move)."""
    if choice is None:
        return Text(
            "Letters jump to a person's moves, numbers pick one; e ends the turn.", style="dim"
        )
    if choice.id == "end":
        return _end_turn_text(board)
    target = next((row for row in board.people if row.id == choice.target), None)
    player = next((c.id for c in board.columns if c.player), "")
    actor = choice.actor or player
    with_you = board.names.get(actor, actor) if actor != player else "you"
    text = Text(choice.label, style="bold")
    text.append(f"  {cost_text(choice.cost, board.time_unit)}", style="dim")
    if choice.gain:
        text.append(f"  {strength(choice.gain)}", style="green")
    if choice.gain and target is not None and choice.kind != "introduction":
        # The likely effect first: on a small screen it is the line that must show.
        trust = target.trust.get(actor, 0.0)
        likely = choice.gain * (1.0 - trust) * 100
        text.append(
            f"\nLikely: {first_name(target.name)}'s trust in {with_you} {trust * 100:.0f}% → "
            f"about {trust * 100 + likely:.0f}%",
            style="green",
        )
    if choice.description:
        text.append("\n" + choice.description)
    if choice.kind == "introduction" and target is not None:
        text.append("\n")
        text.append_text(locked_text(target, board))
        if target.about:
            text.append(f"\n{first_name(target.name)}: {target.about}", style="dim")
        return text
    _append_reach(text, choice, target, with_you if actor != player else None)
    return text


def _end_turn_text(board: BoardView) -> Text:
    """What ending the turn does, and the hours it leaves unused."""
    text = Text("End the turn", style="bold")
    if board.time_left:
        text.append(f" — {board.time_left:g}{board.time_unit} go unused.", style="dim")
    text.append(
        "\nThe order is delivered, idle trust cools, managers' trust spreads, and rivals may call.",
        style="dim",
    )
    return text


def _append_reach(
    text: Text, choice: Choice, target: PersonRow | None, teammate: str | None
) -> None:
    """Whom the move reaches (with which teammate), and what kind of move it is."""
    if target is not None:
        text.append("\nReaches ", style="dim")
        text.append(f"{target.name}, {target.role}")
        if teammate is not None:
            text.append(f", with {teammate}", style="dim")
        text.append(".", style="dim")
    elif choice.target is None:
        text.append("\nReaches the whole account.", style="dim")
    kind = BEHAVIOURS.get(choice.behaviour, choice.behaviour.replace("_", " "))
    text.append(f"\nKind: {kind}.", style="dim")
    if choice.gain and target is not None:
        text.append(" Gains shrink as trust grows, and on a repeat in the same turn.", style="dim")


class MovePreview(Static):
    """The preview pane under the move list."""

    move: reactive[tuple[Choice | None, BoardView] | None] = reactive(
        None, always_update=True, repaint=False, init=False
    )
    """The move under the list's cursor and the board it is on: setting it describes it."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__("", markup=False, **kwargs)  # type: ignore[arg-type]
        self.border_title = "About this move"
        self._shown: tuple[str | None, int, float] | None = None
        self._height = 0  # lines the shown text takes at the pane's width

    def watch_move(self, move: tuple[Choice | None, BoardView] | None) -> None:
        if move is not None:
            self.show(*move)

    def show(self, choice: Choice | None, board: BoardView) -> None:
        """Describe `choice` (only redraw if it or the board's turn changed)."""
        shown = (choice.id if choice else None, board.turn, board.time_left)
        if shown == self._shown:
            return
        self._shown = shown
        text = preview_text(choice, board)
        # A layout (of the whole screen) only when the pane's height changes: most moves
        # describe in as many lines as the last one, and then a repaint is enough.
        width = self.size.width
        # (Measured as Textual measures a widget's content: `Widget.get_content_height`.)
        visual = visualize(self, text, markup=False)
        height = visual.get_height(self.styles, width) if width else 0  # type: ignore[arg-type]
        self.update(text, layout=not height or height != self._height)
        self._height = height
