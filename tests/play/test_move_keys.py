"""Move keys: a letter per person kept all game, people before the whole account."""

from __future__ import annotations

from game.engine import Game
from game.play.move_keys import ACCOUNT, MoveKeys, assign_letters
from game.scenario.catalog import load_bundled


def test_letters_are_initials_kept_and_never_the_screen_keys() -> None:
    letters = assign_letters([("tom", "Tom"), ("tina", "Tina"), ("dan", "Dan"), ("ed", "Ed")], {})
    assert letters["tom"] == "t"
    assert letters["tina"] == "i"  # the next free letter of her name
    assert letters["dan"] == "a"  # d is the debrief key
    assert letters["ed"] not in "edmq"
    again = assign_letters([("amy", "Amy"), ("tom", "Tom")], letters)
    assert again["tom"] == "t"  # kept
    assert again["amy"] not in set(letters.values())


def test_a_person_whose_name_starts_like_account_keeps_their_initial() -> None:
    """People get their letters before the whole account does: Aiko is `a`, not `i`."""
    letters = assign_letters([("aiko", "Aiko Mori"), (ACCOUNT, "account")], {})
    assert letters["aiko"] == "a" and letters[ACCOUNT] == "c"


def test_a_move_keeps_its_letter_and_number_while_it_is_closed() -> None:
    scenario = load_bundled("sand-supplier").scenario
    game = Game(scenario, 1)
    keys = MoveKeys({action.id: i for i, action in enumerate(scenario.actions)})

    def numbered() -> dict[str, str]:
        return {
            choice.id: f"{group.letter}{number}"
            for group in keys.groups(game.view())
            for number, choice in enumerate(group.moves, 1)
        }

    before = numbered()
    call = next(c for c in before if c.startswith("call:you:"))
    game.step(call)
    after = numbered()
    assert after[call] == before[call] and call in keys.closed_why
    assert {k: v for k, v in after.items() if k in before} == before
