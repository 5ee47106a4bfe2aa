"""Bugs a trainee playtest found, each driven through the real app with Pilot."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from game.app.app import RapportApp
from game.app.screens.briefing import BriefingScreen
from game.app.screens.debrief import DebriefScreen
from game.app.screens.dialogs import ConfirmScreen, ProblemScreen
from game.app.screens.help import HelpScreen
from game.app.screens.picker import PickerScreen
from game.app.screens.play import EventModal, PlayScreen
from game.app.widgets.choice_list import ChoiceList
from tests.app.conftest import (
    footer_keys,
    map_text,
    open_game,
    screen_text,
    settle,
    slot,
)
from tests.conftest import MINI

# ---------------------------------------------------------------- 1. cursor after an event


async def test_a_stray_enter_after_answering_an_event_plays_nothing() -> None:
    """Enter plays no move after an event's answer until the player moves the cursor."""
    app = RapportApp("sand-supplier", seed=3, player="Ada")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_game(pilot, app)
        await pilot.press("e", "e")
        await settle(pilot, app)
        assert isinstance(app.screen, EventModal)  # the damp load, turn 3
        await pilot.press("2")
        await settle(pilot, app)
        assert isinstance(app.screen, PlayScreen)
        choices = app.screen.query_one(ChoiceList)
        first_move = next(o.id for o in choices.options if o.id and not o.disabled)
        assert choices.highlighted_option is not None
        assert choices.highlighted_option.id == first_move != "end"
        turn, left = app.session.game.turn, app.session.game.time_left
        made = len(app.session.game.choices_made)
        await pilot.press("enter", "enter", "enter")
        await settle(pilot, app)
        assert app.session.game.turn == turn and app.session.game.time_left == left
        assert len(app.session.game.choices_made) == made  # the stray Enters played nothing
        await pilot.press("down", "up", "enter")
        await settle(pilot, app)
        assert app.session.game.turn == turn
        assert app.session.game.time_left < left  # once the cursor moved, Enter plays


async def test_a_second_enter_typed_with_the_answer_does_not_end_the_turn() -> None:
    app = RapportApp("sand-supplier", seed=3, player="Ada")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_game(pilot, app)
        await pilot.press("e", "e")
        await settle(pilot, app)
        assert isinstance(app.screen, EventModal)
        turn, made = app.session.game.turn, len(app.session.game.choices_made)
        app.simulate_key("enter")  # both queued before the first is handled
        app.simulate_key("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, PlayScreen)
        assert app.session.game.turn == turn
        assert "end" not in app.session.game.choices_made[made:]


# ---------------------------------------------------------------- 2. restart asks first


async def test_restart_on_the_debrief_so_far_asks_and_no_keeps_the_save(
    rapport_home: Path,
) -> None:
    app = RapportApp("sand-supplier", seed=2, player="Ada")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_game(pilot, app)
        await pilot.press("1", "e", "1")
        await settle(pilot, app)
        made = list(app.session.game.choices_made)
        await pilot.press("d")
        await settle(pilot, app)
        assert isinstance(app.screen, DebriefScreen)
        saved = slot(rapport_home, "sand-supplier").read_text()
        for no in ("n", "escape"):
            await pilot.press("r")
            await settle(pilot, app)
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press(no)
            await settle(pilot, app)
            assert isinstance(app.screen, DebriefScreen)
            assert app.session.game.choices_made == made
            assert slot(rapport_home, "sand-supplier").read_text() == saved
        await pilot.press("r", "y")
        await settle(pilot, app)
        assert isinstance(app.screen, PlayScreen)
        assert app.session.game.choices_made == []


async def test_restart_from_the_command_palette_asks_too() -> None:
    app = RapportApp("sand-supplier", seed=2, player="Ada")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_game(pilot, app)
        await pilot.press("1")
        await settle(pilot, app)
        app.action_restart()
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await settle(pilot, app)
        assert len(app.session.game.choices_made) == 1


# ---------------------------------------------------------------- 4. keys on every screen


async def test_question_mark_on_the_briefing_opens_help_even_in_the_name_field() -> None:
    app = RapportApp("sand-supplier", seed=3)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, BriefingScreen)
        name = app.screen.query_one("#player-name")
        assert name.has_focus
        await pilot.press("A", "n", "a", "question_mark")
        await settle(pilot, app)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, BriefingScreen)
        assert name.value == "Ana"


async def test_escape_on_the_briefing_goes_back_to_the_picker() -> None:
    app = RapportApp("sand-supplier", seed=3)  # started from the command line
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, BriefingScreen)
        assert footer_keys(app).get("escape") == "Back"
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("enter")  # chosen in the picker, then back again
        await settle(pilot, app)
        assert isinstance(app.screen, BriefingScreen)
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, PickerScreen)


async def test_escape_on_a_problem_screen_goes_back_to_the_picker(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(MINI.replace("turns: 6", "turns: lots"))
    app = RapportApp(str(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, ProblemScreen)
        assert footer_keys(app).get("escape") == "Back"
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, PickerScreen)
        assert app.is_running


async def test_the_debrief_footers_show_only_keys_that_work() -> None:
    app = RapportApp("sand-supplier", seed=3, player="Ada")
    async with app.run_test(size=(120, 32)) as pilot:
        await open_game(pilot, app)
        await pilot.press("1", "d")
        await settle(pilot, app)
        keys = footer_keys(app)
        assert keys.get("escape") == "Back"  # back to the game
        assert keys.get("r") == "Restart"
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, PlayScreen)
        app.show_debrief(final=True)  # what the final debrief shows
        await settle(pilot, app)
        keys = footer_keys(app)
        assert "escape" not in keys  # nothing to go back to
        assert keys.get("r") == "Play again"


async def test_a_first_attempt_only_workshop_hides_the_keys_that_cannot_act(
    tmp_path: Path,
) -> None:
    from game.scenario.catalog import load_bundled
    from game.workshop.board.store import Workshop

    loaded = load_bundled("director-to-ceo")
    record = Workshop("ONCE", "director-to-ceo", loaded.content_hash, 7, True, True)
    app = RapportApp(
        "director-to-ceo",
        seed=7,
        player="Ada",
        workshop="ONCE",
        db_path=tmp_path / "room.db",
        workshop_record=record,
    )
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, BriefingScreen)
        assert "escape" not in footer_keys(app)  # no list of scenarios to go back to
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, BriefingScreen)
        await pilot.press("enter", "d")
        await settle(pilot, app)
        assert isinstance(app.screen, DebriefScreen)
        keys = footer_keys(app)
        assert "r" not in keys and "n" not in keys and keys.get("escape") == "Back"


# ---------------------------------------------------------------- 5. honorifics


@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("Dr. Ana Ruiz", "Ana"),
        ("dr ana ruiz", "ana"),
        ("PROF. Lee", "Lee"),
        ("Sir Ian", "Ian"),
        ("Dame Judi Dench", "Judi"),
        ("Mx. Sam", "Sam"),
        ("Mrs Ms Kay", "Kay"),
        ("Drew Barry", "Drew"),
        ("Dr.", "Dr."),  # nothing but a title: keep it
        ("", ""),
    ],
)
def test_first_name_skips_honorifics(name: str, first: str) -> None:
    from game.common.names import first_name

    assert first_name(name) == first


async def test_the_relationship_map_shortens_names_without_their_titles(tmp_path: Path) -> None:
    path = tmp_path / "titles.yaml"
    text = (
        MINI.replace("name: Tess,", 'name: "Dr. Tess Ruiz",')
        .replace("name: Bo,", 'name: "Prof Bo Lind",')
        .replace(
            "  - { from: buyer, to: you, value: 0.3 }",
            "  - { from: buyer, to: you, value: 0.3 }\n  - { from: boss, to: tech, value: 0.3 }",
        )
    )
    path.write_text(text)
    app = RapportApp(str(path), seed=1, player="Dr. Ana Ruiz")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_game(pilot, app)
        shown = map_text(app)
        heading = shown.splitlines()[0].split()
        assert heading[-3:] == ["you", "Tess", "firm"]
        assert "Dr." not in shown
        assert "via Bo" in shown and "via Prof" not in shown


# ---------------------------------------------------------------- 7. no duplicates in the list


async def test_the_picker_lists_a_scenario_found_twice_once(tmp_path: Path, monkeypatch) -> None:
    import scenarios

    bundled = Path(scenarios.__file__).parent
    local = tmp_path / "scenarios"
    local.mkdir()
    shutil.copy(bundled / "sand-supplier.yaml", local)  # the same scenario, byte for byte
    changed = (bundled / "director-to-ceo.yaml").read_text().replace("turns: 20", "turns: 18")
    (local / "director-to-ceo.yaml").write_text(changed)  # same id, other content
    monkeypatch.chdir(tmp_path)
    app = RapportApp(None)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, PickerScreen)
        items = app.screen.items
        sand = [i for i in items if i.title == "Same Sand, Different Supplier"]
        assert len(sand) == 1 and sand[0].key.startswith("bundled:")
        director = [i for i in items if i.title.startswith("From the Director")]
        assert len(director) == 2
        assert "bundled" in director[0].detail and "(20 turns)" in director[0].detail
        assert "./scenarios" in director[1].detail and "(18 turns)" in director[1].detail


async def test_a_key_never_plays_a_different_move_within_a_turn() -> None:
    """A person's moves keep their numbers: a move used up, cooling down or too long for
    the hours left stays in its place, dimmed with why, and its key plays nothing."""
    refused: list[ChoiceList.Refused] = []

    def hook(message: object) -> None:
        if isinstance(message, ChoiceList.Refused):
            refused.append(message)

    app = RapportApp("sand-supplier", seed=3, player="Ada")
    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        await open_game(pilot, app)
        assert isinstance(app.screen, PlayScreen)
        screen = app.screen
        choices = screen.query_one(ChoiceList)
        game = app.session.game

        def toms_moves() -> list[str]:
            group = next(
                g
                for g in choices.grouped(screen.game.view(), screen.action_order())
                if g.letter == "t"
            )
            return [move.id for move in group.moves]

        keyed = toms_moves()
        for number in (1, 1, 2, 2, 3, 1, 4, 5, 2):
            made, turn = len(game.choices_made), game.turn
            await pilot.press("t", str(number))
            await settle(pilot, app)
            assert game.turn == turn
            assert toms_moves() == keyed  # nothing moved up
            played = game.choices_made[made:]
            assert played in ([], [keyed[number - 1]]), (number, played)
            if not played:
                closed = dict(screen.board.closed)
                why = next(w for c, w in closed.items() if c.id == keyed[number - 1])
                assert refused and refused[-1].why == why
        assert refused, "no key named a closed move"
        await pilot.press("t")  # Tom's moves in view: the ones done stay, saying so
        await settle(pilot, app)
        assert "done this turn" in screen_text(app)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_full_names_and_the_likely_line_fit_at_120x40_and_80x24(
    size: tuple[int, int],
) -> None:
    """Measured in play: 'Rafael Dunn via Kar', cut column heads, the seed cut from the
    status line and the preview's Likely line out of sight at 80x24."""
    app = RapportApp("loyalty-giveaway", seed=967136, player="Ada")
    async with app.run_test(size=size) as pilot:
        await open_game(pilot, app)
        text = screen_text(app)
        assert "via Karin" in text
        assert "seed 967136" in text and "no score yet" in text
        assert "Vince" in text and "firm" in text
        assert "Likely: Karin's trust in Vince" in text
