"""The board as plain lines of text: for the plain mode (`rapport play --plain`).

No escape sequences, no box drawing, no colour, no symbols a screen reader would
spell out: words and numbers only, one fact per line where it can be, so a braille
display or a speech synthesiser reads the game as a sighted player sees it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from game.common.names import first_name
from game.play.move_keys import Group

if TYPE_CHECKING:
    from game.engine import BoardView, Choice, LogEntry
    from game.engine.board_view import PersonRow


def pct(value: float) -> str:
    return f"{value * 100:.0f}%"


def hours(cost: float, unit: str) -> str:
    return f"{cost:g}{unit}" if cost else "no time"


def money(currency: str, value: float) -> str:
    if value >= 1_000_000:
        return f"{currency}{value / 1_000_000:.1f} million"
    if value >= 1_000:
        return f"{currency}{value / 1_000:.0f} thousand"
    return f"{currency}{value:.0f}"


def status_line(board: BoardView, *, workshop: str | None = None) -> str:
    """Where the game is: the turn, the date, the time left, the score so far."""
    parts = [
        f"{board.turn_name} {board.turn} of {board.turns}",
        f"{board.date:%d %B %Y}",
        f"time left {board.time_left:g} of {board.time_budget:g}{board.time_unit}",
    ]
    parts.append(
        f"score so far {board.score} of 1000"
        if board.started
        else "no score yet: it starts with your first move"
    )
    parts.append(f"workshop {workshop}" if workshop else f"seed {board.seed}")
    return ". ".join(part[:1].upper() + part[1:] for part in parts) + "."


def metrics_lines(board: BoardView) -> list[str]:
    """The headline numbers in words."""
    m = board.metrics
    surviving = m["company_loyalty"] * m["resilience"]
    lines = [
        f"Company loyalty {pct(m['company_loyalty'])}. Satisfaction of the people still "
        f"buying {pct(m['satisfaction'])}. Loyalty that survives a walk {pct(surviving)}. "
        f"Revenue {money(board.currency, m['revenue'])}."
    ]
    if board.provisional is not None:
        lines.append(
            f"The customer has not bought twice yet: loyalty counts {pct(board.provisional)} "
            "until the second sale."
        )
    if board.weakest is not None:
        name, kept = board.weakest
        lines.append(f"If {name} left today, {pct(kept)} of company loyalty would remain.")
    return lines


def person_line(row: PersonRow, board: BoardView) -> str:
    """One of the customer's people: who, and what ties them to you."""
    head = f"{row.name}, {row.role}"
    if row.gone:
        where = "has left the company" if row.gone == "left" else f"buys from {row.gone} now"
        return f"{head}: {where}."
    if not row.met:
        return f"{head}: not met yet."
    columns = [c for c in board.columns if row.trust.get(c.id, 0.0) >= 0.005]
    trust = ", ".join(
        f"{'you' if c.player else first_name(c.name) if c.id != 'firm' else 'your firm'} "
        f"{pct(row.trust.get(c.id, 0.0))}"
        for c in columns
    )
    text = f"{head}: loyalty {pct(row.loyalty)}, satisfaction {pct(row.satisfaction)}"
    text += f"; trusts {trust}" if trust else "; trusts no one on your side yet"
    if row.cooling:
        text += "; trust cools at the end of the turn unless someone gets in touch"
    return text + "."


def in_play_lines(board: BoardView) -> list[str]:
    """Who is weighing a rival's offer, on what terms, and what would keep them."""
    lines = []
    for p in board.in_play:
        cheaper = f"{pct(p.price_gap)} cheaper" if p.price_gap > 0 else "no cheaper than you"
        colleagues = (
            "" if p.colleagues is None else f", their colleagues' loyalty {pct(p.colleagues)}"
        )
        keep = (
            " They have never met you, so they go by their colleagues' loyalty alone:"
            " meet them to let their own trust count."
            if not p.met
            else f" They would surely stay at a loyalty of {pct(p.stay_at)}."
            if p.stay_at is not None
            else " No loyalty of theirs alone would keep them: the price or their "
            "colleagues outweigh it."
        )
        lines.append(
            f"At risk: {p.name} is weighing {p.competitor}'s offer ({cheaper}) and decides at "
            f"the end of {board.turn_name.lower()} {p.decides}. Their loyalty "
            f"{pct(p.own_loyalty)}{colleagues}, satisfaction {pct(p.satisfaction)}: a "
            f"{pct(p.chance)} chance to leave if they decided now.{keep}"
        )
    return lines


def move_lines(groups: Iterable[Group], closed: dict[str, str], board: BoardView) -> list[str]:
    """The moves by person with their keys; closed ones in place, with why."""
    lines = []
    rows = {row.id: row for row in board.people}
    for group in groups:
        lines.append(f"{group.letter}: {group.heading}")
        row = rows.get(group.key)
        for number, choice in enumerate(group.moves, 1):
            label = choice.label
            if row is not None:
                label = label.replace(row.name, first_name(row.name))
            key = f"{group.letter}{number}"
            why = closed.get(choice.id)
            cost = hours(choice.cost, board.time_unit)
            if why is None:
                lines.append(f"  {key}, {cost}: {label}")
            else:
                lines.append(f"  {key}, not now ({why}): {label}")
    left = board.time_left
    lines.append(
        f"e: end the {board.turn_name.lower()}"
        + (f" ({left:g}{board.time_unit} unused)" if left else "")
    )
    return lines


def event_lines(board: BoardView, text: str) -> list[str]:
    """An event waiting for an answer: what happened, and the numbered answers."""
    pending = board.pending
    if pending is None:
        return []
    lines = [f"Event: {pending.title}.", text]
    for number, answer in enumerate(pending.answers, 1):
        lines.append(f"  {number}, {hours(answer.cost, board.time_unit)}: {answer.label}")
    lines.append("Answer with its number.")
    return lines


def log_lines(entries: Iterable[LogEntry]) -> list[str]:
    """New lines of the game's log, as they happened."""
    return [entry.text for entry in entries if entry.text]


def answer_words(choice: Choice, unit: str) -> str:
    return f"{choice.label} ({hours(choice.cost, unit)})"
