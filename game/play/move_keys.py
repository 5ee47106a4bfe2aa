"""The keys of the moves: a letter for each person (kept all game), a number for each move.

Every front end lists the moves the same way (the Textual app's move list and the
plain text mode): grouped by the person they concern, in reporting-line order, the
moves about the whole account last; a person's moves numbered in the scenario's
order of actions, introductions after. A move that cannot be played now keeps its
place (and so its number), with why. So the same keys mean the same move from turn
to turn, and within a turn a key never plays another move than the one it named.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from game.engine import BoardView, Choice

#: The group of moves that concern no one person.
ACCOUNT = ""
#: Letters the game uses for itself (end turn, debrief, story map, quit).
RESERVED = frozenset("edmq")


def assign_letters(names: Iterable[tuple[str, str]], taken: Mapping[str, str]) -> dict[str, str]:
    """A letter for each (id, name), kept from `taken`, else the first free letter of the name.

    A name whose letters are all taken gets the first free letter of the alphabet.
    """
    letters = dict(taken)
    used = set(letters.values()) | RESERVED
    for key, name in names:
        if key in letters:
            continue
        candidates = [c for c in name.lower() if c.isascii() and c.isalpha()]
        candidates += list("abcdefghijklmnopqrstuvwxyz")
        letter = next((c for c in candidates if c not in used), None)
        if letter is not None:
            letters[key] = letter
            used.add(letter)
    return letters


@dataclass(frozen=True, slots=True)
class Group:
    """The moves about one person (or the whole account), in the list's order."""

    key: str
    """The target's id, or `ACCOUNT`."""
    letter: str
    heading: str
    moves: tuple[Choice, ...]


class MoveKeys:
    """The groups of moves and their letters for one game (the letters are remembered)."""

    def __init__(self, order: Mapping[str, int]) -> None:
        self.order = order
        """The scenario's actions by id, in the order it lists them."""
        self.letters: dict[str, str] = {}
        self.closed_why: dict[str, str] = {}
        """Why each listed move that cannot be played now is closed, by choice id."""

    def groups(self, board: BoardView) -> list[Group]:
        """The open and closed moves by person, people in reporting-line order, the
        whole account's moves last."""
        by_target: dict[str, list[Choice]] = {}
        self.closed_why = {choice.id: why for choice, why in board.closed}
        listed = [*board.choices, *(choice for choice, _why in board.closed)]
        for choice in listed:
            if choice.kind not in ("event", "end"):
                by_target.setdefault(choice.target or ACCOUNT, []).append(choice)
        rows = {row.id: row for row in board.people}
        people = [row.id for row in board.people if row.id in by_target]
        people += sorted(k for k in by_target if k not in rows and k != ACCOUNT)
        keys = people + ([ACCOUNT] if ACCOUNT in by_target else [])
        # People first, so each gets a letter of their own name; the account takes what is left.
        self.letters = assign_letters(
            [(row.id, row.name) for row in board.people] + [(ACCOUNT, "account")],
            self.letters,
        )
        self.letters = assign_letters([(k, board.names.get(k, k)) for k in keys], self.letters)
        order = self.order

        def rank(choice: Choice) -> tuple[int, int, str]:
            introduction = choice.kind == "introduction"
            return (int(introduction), order.get(choice.source or "", len(order)), choice.id)

        groups = []
        for key in keys:
            if key == ACCOUNT:
                heading = "The whole account"
            else:
                row = rows.get(key)
                heading = f"{row.name} · {row.role}" if row else board.names.get(key, key)
            moves = tuple(sorted(by_target[key], key=rank))
            groups.append(Group(key, self.letters.get(key, ""), heading, moves))
        return groups
