"""The help screen: how to play, what the numbers mean, every key.

Its own module because the Markdown widget is slow to import: it loads only
when the player first asks for help.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from game.app.screens.closing import dismiss_once
from game.common.i18n import _


def help_markdown() -> str:
    """How to play, in the interface's language."""
    return _("""\
# How to play

You manage a customer account for a number of **turns** (a fortnight each in
most scenarios). Each turn you have a **time budget**; every move costs time.

- Moves are grouped by the person they concern, and each group has a
  letter. Press the **letter** to jump to that person's moves, then a number
  **1–9** to pick one (or use the arrows and **Enter**). The letters stay the
  same all game, and a person's moves keep their numbers: `r` `1` calls Rosa
  every turn. A move you cannot play right now stays in its place, dimmed,
  with why (done this turn, cooling down until a later turn, more hours than
  you have left); its keys tell you so and play nothing. **+** marks how much
  trust a move can build.
- After you answer an event, **Enter** plays nothing until you move the
  cursor, so a key typed twice never spends your hours.
- The pane under the list describes the move under the cursor: what it is,
  who it reaches, its time and what it is likely to do to trust.
- People you have not met are listed last, with who could introduce you and
  how much they must trust you first.
- End the turn with **e** (or the *End the turn* line). Then deliveries
  arrive, idle relationships cool, managers vouch for you to their teams, and
  competitors make offers.
- When something happens that needs your decision, a window opens: answer it
  with **1–9** or **Enter**. Under each answer, ⚠ says what it risks (a promise
  that may break, a rival invited in, a price cut). What your answer led to
  shows in a card in the corner, and in the log.
- People you have not met are greyed out on the map. Someone who trusts you
  can introduce you: look for *Ask … to introduce you*.

## What the numbers mean

- **Trust** (the map): how much each person at the customer trusts each
  person on your side, and your firm, from 0 to 100.
- **Company loyalty**: how firmly the customer is tied to your company,
  weighted by each person's say in buying. It is what keeps them when a
  cheaper offer comes. A new customer is not loyal yet: until it has
  bought from you twice, only half of it counts (the panel says so), for
  loyalty starts after the second sale.
- **Satisfaction**: how happy they are with product and service. A satisfied
  customer can still leave: watch the gap between the two lines.
- **Survives a walk**: the company loyalty that would remain if the person it
  depends on most walked out today (the map says who, and how far loyalty
  would fall). Trust held by only one rep leaves with that rep. It turns red
  when little would be left.
- **↓** after a trust figure: no one has been in touch for a while, so that
  trust cools at the end of the turn. The log names each pair that cooled.
- **⚠** before a name: a competitor has made them an offer and they are
  weighing it. Below the map: how much cheaper it is, how likely they are to
  leave if they decided now, the loyalty at which they would surely stay, and
  when they decide (at the end of the next turn). Their own loyalty counts,
  and so does their colleagues': call them, help them, and win back the
  people around them before then.
- **Concentration**: 1.0 means all trust sits with one person.
- **Score**: out of 1000, made of company loyalty, loyalty that survives a
  walk, share of the business, margin, satisfaction and (in some scenarios)
  sales. The debrief shows each part. Before your first move there is no
  score yet: the status line says so.
- **Satisfaction** on the panel is that of the people still buying from you;
  the debrief lists those who left with their satisfaction as they went.
- **Debrief**: first two questions for you, then the expert's view beside
  your answers: its score on the same seed, the gap to yours and the
  decisions that built it, and why each person who left did.

## Keys

| key | does |
|---|---|
| a letter | jump to that person's moves |
| 1–9, ↑ ↓, Enter | pick a move (in the group under the cursor) or an answer |
| e | end the turn |
| d | debrief so far |
| r | on a debrief: restart from turn 1 (asks first) |
| Esc | back: briefing → scenarios, debrief so far → game |
| m | while writing a scenario (`--watch`): its story map |
| backspace | practice games: take back the last choice |
| < | practice games: go back to the start of a turn |
| ? | this help |
| ctrl+p | command palette: new game, restart, save, debrief, theme |
| q, ctrl+q | quit (your game is saved after every move) |
""")


class HelpScreen(ModalScreen[None]):
    """How to play and every key."""

    CSS_PATH = "help.tcss"

    BINDINGS = [Binding("escape,question_mark,q", "close", "Close", id="help-close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Markdown(help_markdown())

    def action_close(self) -> None:
        dismiss_once(self)
