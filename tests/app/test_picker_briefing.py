"""The picker (each scenario once, a suggested order, the player's best scores) and the
briefing (the people's about lines, every part reachable from the keyboard), with Pilot."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from textual.containers import VerticalScroll

from game.app.app import RapportApp
from game.app.screens.briefing import BriefingScreen, customer_people
from game.app.screens.help import HelpScreen
from game.app.screens.picker import PickerScreen
from game.bots import make_bot, play
from game.engine import Game
from game.play.best_scores import SCORES_FILE
from game.play.listing import SUGGESTED_ORDER
from game.play.saves import SaveStore
from game.scenario.catalog import bundled_ids, bundled_text, load_bundled
from tests.app.conftest import screen_text, settle


def finish_a_game(home: Path, scenario_id: str, seed: int) -> int:
    """A finished game in the player's saves, as the app keeps it; its score."""
    loaded = load_bundled(scenario_id)
    game = Game(loaded.scenario, seed, scenario_hash=loaded.content_hash)
    game = play(game, make_bot("relationship-builder"))
    SaveStore(home / "saves").finish(game.run_log(player="Ada"))
    return game.score().total


# ---------------------------------------------------------------- the picker


async def test_the_picker_lists_each_scenario_once_from_a_folder_with_its_own_copies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    local = tmp_path / "scenarios"
    local.mkdir()
    for scenario_id in bundled_ids():  # as when Rapport runs from its own repository
        (local / f"{scenario_id}.yaml").write_bytes(bundled_text(scenario_id))
    monkeypatch.chdir(tmp_path)
    app = RapportApp(None)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, PickerScreen)
        keys = [item.key for item in app.screen.items]
        assert keys == [f"bundled:{scenario_id}.yaml" for scenario_id in SUGGESTED_ORDER]
        titles = [item.title for item in app.screen.items]
        assert len(titles) == len(set(titles))
        assert "./scenarios" not in screen_text(app)


async def test_the_tutorial_comes_first_and_enter_opens_its_briefing() -> None:
    app = RapportApp(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, PickerScreen)
        assert app.screen.items[0].title.startswith("Tutorial")
        assert "Start with the tutorial" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, BriefingScreen)
        assert app.screen.loaded.scenario.id == "tutorial"


async def test_the_picker_shows_the_best_score_of_finished_games(rapport_home: Path) -> None:
    scores = [finish_a_game(rapport_home, "tutorial", seed) for seed in (1, 2)]
    app = RapportApp(None)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, PickerScreen)
        items = {item.key: item for item in app.screen.items}
        assert items["bundled:tutorial.yaml"].best == max(scores)
        assert items["bundled:sand-supplier.yaml"].best is None
        assert f"your best {max(scores)} (2 games)" in screen_text(app)


@pytest.mark.parametrize(
    "scores",
    [b"{not json", b"\x00\xff", b'{"format": "rapport-run-scores", "version": 1, "runs": 7}'],
)
async def test_corrupt_score_data_never_stops_the_picker(rapport_home: Path, scores: bytes) -> None:
    score = finish_a_game(rapport_home, "tutorial", 3)
    runs = rapport_home / "saves" / "runs"
    (runs / "broken.json").write_bytes(b"\x00\xff not a run log")
    (runs / "truncated.json").write_text('{"format": "rapport-runlog", "version": 1, "scen')
    (rapport_home / "saves" / SCORES_FILE).write_bytes(scores)
    app = RapportApp(None)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, PickerScreen)
        assert app.screen.items[0].best == score
        assert f"your best {score} (1 game)" in screen_text(app)
    assert (runs / "broken.json").read_bytes() == b"\x00\xff not a run log"  # left alone


# ---------------------------------------------------------------- the briefing


async def test_the_briefing_shows_who_everyone_is() -> None:
    app = RapportApp("sand-supplier", seed=3, player="Ada")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, BriefingScreen)
        app.screen.query_one("#briefing-body", VerticalScroll).scroll_end(animate=False)
        await settle(pilot, app)
        text = screen_text(app)
    for person in load_bundled("sand-supplier").scenario.customer.people:
        assert person.name in text and person.role in text
        assert person.about[:40] in text, person.about
    assert "Jonas Weber · Technical service engineer" in text
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(customer_people(load_bundled("sand-supplier")))
    lines = [line.rstrip() for line in console.export_text().splitlines()]
    assert "Grace Moyo · General manager — not met yet: Tom Lindqvist can introduce you" in lines
    assert "  Signs the annual supply contract." in lines  # under the person it is about


async def test_a_successor_who_arrives_later_is_not_on_the_briefing() -> None:
    app = RapportApp("director-to-ceo", seed=3, player="Ada")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, app)
        app.screen.query_one("#briefing-body", VerticalScroll).scroll_end(animate=False)
        await settle(pilot, app)
        text = screen_text(app)
    assert "Dana Whitfield" in text and "Ines Carvalho" not in text


@pytest.mark.parametrize("player", ["", "Ada"])
async def test_the_briefing_scrolls_from_the_keyboard_wherever_the_focus_is(player: str) -> None:
    app = RapportApp("tutorial", seed=3, player=player or None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, BriefingScreen)
        body = screen.query_one("#briefing-body", VerticalScroll)
        name, start = screen.query_one("#player-name"), screen.query_one("#start")
        assert (name if not player else start).has_focus
        assert body.max_scroll_y > 0  # the tutorial's briefing is longer than the screen
        await pilot.press("pagedown")
        await settle(pilot, app)
        assert body.scroll_y > 0
        await pilot.press("pageup")
        await settle(pilot, app)
        assert body.scroll_y == 0
        await pilot.press("down", "down")
        await settle(pilot, app)
        assert body.scroll_y == 2
        if player:  # Home and End scroll too, unless they move the name field's cursor
            await pilot.press("end")
            await settle(pilot, app)
            assert body.scroll_y == body.max_scroll_y
            await pilot.press("home")
            await settle(pilot, app)
            assert body.scroll_y == 0


async def test_tab_goes_from_the_name_to_start_to_the_briefing_and_esc_and_help_work() -> None:
    app = RapportApp("tutorial", seed=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, BriefingScreen)
        order = []
        for _ in range(4):
            assert app.focused is not None
            order.append(app.focused.id)
            await pilot.press("tab")
        assert order == ["player-name", "practice", "start", "briefing-body"]
        assert app.focused is not None and app.focused.id == "player-name"  # round again
        await pilot.press("shift+tab")  # back to the briefing: it scrolls with its own keys
        body = screen.query_one("#briefing-body", VerticalScroll)
        assert app.focused is body
        await pilot.press("end")
        await settle(pilot, app)
        assert body.scroll_y == body.max_scroll_y > 0
        await pilot.press("question_mark")
        await settle(pilot, app)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.screen is screen
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, PickerScreen)
