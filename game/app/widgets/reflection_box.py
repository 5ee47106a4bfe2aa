"""Reflection first: two questions the trainee answers before the expert's view shows."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Label, Static

from game.play.reflection import MAX_ANSWER, QUESTIONS, Reflection


class ReflectionBox(Vertical):
    """The two questions; posts :class:`ReflectionBox.Done` once answered or skipped, then
    shows the answers in their place."""

    DEFAULT_CSS = """
    ReflectionBox { height: auto; margin: 0 0 1 0; }
    ReflectionBox Input { margin: 0 0 1 0; }
    ReflectionBox #reflect-buttons { height: auto; }
    ReflectionBox Button { margin: 0 2 0 0; }
    ReflectionBox #reflect-given { display: none; }
    ReflectionBox.-done #reflect-given { display: block; }
    ReflectionBox.-done .asking { display: none; }
    """

    class Done(Message):
        """The trainee answered (or skipped) the questions."""

        def __init__(self, reflection: Reflection) -> None:
            super().__init__()
            self.reflection = reflection

    def compose(self) -> ComposeResult:
        yield Static(
            "Before the expert's view, look back yourself: it is what makes a debrief work. "
            "Your answers are kept with the game and in the exported debrief, never in the "
            "score.",
            classes="asking muted",
            markup=False,
        )
        for number, question in enumerate(QUESTIONS):
            yield Label(question, classes="asking", markup=False)
            yield Input(
                placeholder="Your answer (Enter for the next)",
                id=f"reflect-{number}",
                classes="asking",
                max_length=MAX_ANSWER,
            )
        with Horizontal(id="reflect-buttons", classes="asking"):
            yield Button("Show the expert's view", id="reflect-done", variant="primary")
            yield Button("Skip", id="reflect-skip")
        yield Static("", id="reflect-given", markup=False)

    @on(Input.Submitted)
    def next_question(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "reflect-0":
            self.query_one("#reflect-1", Input).focus()
        else:
            self.finish()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.finish(skipped=event.button.id == "reflect-skip")

    def finish(self, *, skipped: bool = False) -> None:
        """Close the questions and say what was answered."""
        if self.has_class("-done"):
            return
        answers = ["", ""] if skipped else [i.value for i in self.query(Input)]
        reflection = Reflection.from_answers(*answers)
        self.show_given(reflection)
        self.post_message(self.Done(reflection))

    def show_given(self, reflection: Reflection) -> None:
        """Show the answers (given now or earlier) in place of the questions."""
        lines = [
            f"You would play differently: {reflection.differently or '(no answer)'}",
            f"You expected: {reflection.expected or '(no answer)'}",
        ]
        self.query_one("#reflect-given", Static).update("\n".join(lines))
        self.add_class("-done")
