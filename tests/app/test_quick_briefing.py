"""The briefing of a bundled scenario shows from facts read straight from its YAML, and
the scenario loads in full while the player reads it (game.play.briefing_facts)."""

from __future__ import annotations

import copy
import dataclasses
import threading
from pathlib import Path
from typing import Any

import pytest
import yaml
from textual.app import App, ComposeResult
from textual.widgets import Label

import game.app.app as app_module
from game.app.app import RapportApp
from game.app.screens.briefing import BriefingScreen
from game.app.screens.dialogs import ConfirmScreen, ProblemScreen
from game.app.screens.play import PlayScreen
from game.play.briefing_facts import BriefingFacts, bundled_text, facts_from_scenario, quick_facts
from game.scenario import LoadedScenario, catalog
from tests.app.conftest import screen_text, settle

BUNDLED = catalog.bundled_ids()


def sand_data() -> dict[str, Any]:
    data = yaml.safe_load(catalog.bundled_text("sand-supplier"))
    assert isinstance(data, dict)
    return data


def dumped(data: object) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()


# ---------------------------------------------------------------- the facts


@pytest.mark.parametrize("scenario_id", BUNDLED)
def test_quick_facts_are_the_facts_of_the_full_load(scenario_id: str) -> None:
    text = catalog.bundled_text(scenario_id)
    assert bundled_text(scenario_id) == text  # the same file as the catalog's
    quick = quick_facts(text)
    assert quick is not None
    assert quick == facts_from_scenario(catalog.load_bundled(scenario_id).scenario)


def test_only_bundled_scenarios_take_the_quick_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert bundled_text("sand-supplier") is not None
    for argument in ("sand-supplier.yaml", "scenarios/sand-supplier", "./tutorial", "nope", ""):
        assert bundled_text(argument) is None, argument
    (tmp_path / "sand-supplier").write_text("a file here, which `rapport play` would open")
    assert bundled_text("sand-supplier") is None


class Edit:
    """A change to the sand-supplier scenario's data that quick_facts must refuse."""

    def __init__(self, name: str, change: Any) -> None:
        self.name, self.change = name, change

    def __repr__(self) -> str:
        return self.name


def _set(path: tuple[Any, ...], value: object) -> Any:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path
        for key in parents:
            data = data[key]
        if value is KeyError:
            del data[last]
        else:
            data[last] = value

    return change


BROKEN_DATA = [
    Edit("no customer people", _set(("customer", "people"), KeyError)),
    Edit("empty customer people", _set(("customer", "people"), [])),
    Edit("no supplier people", _set(("supplier", "people"), KeyError)),
    Edit("no title", _set(("title",), KeyError)),
    Edit("empty title", _set(("title",), "")),
    Edit("title a number", _set(("title",), 5)),
    Edit("turns as text", _set(("turns",), "24")),
    Edit("turns a boolean", _set(("turns",), True)),
    Edit("turns a fraction", _set(("turns",), 24.5)),
    Edit("turns huge", _set(("turns",), 10**30)),
    Edit("time budget as text", _set(("time_budget",), "6h")),
    Edit("time budget not a number", _set(("time_budget",), float("nan"))),
    Edit("time budget infinite", _set(("time_budget",), float("inf"))),
    Edit("time budget zero", _set(("time_budget",), 0)),
    Edit("calendar a list", _set(("calendar",), [14])),
    Edit("days per turn zero", _set(("calendar", "days_per_turn"), 0)),
    Edit("format version 2", _set(("rapport",), 2)),
    Edit("format version true", _set(("rapport",), True)),
    Edit("customer a list", _set(("customer",), ["Brightwater"])),
    Edit("a person as text", _set(("customer", "people", 0), "Grace Moyo")),
    Edit("a name missing", _set(("customer", "people", 0, "name"), None)),
    Edit("met as text", _set(("customer", "people", 1, "met"), "yes")),
    Edit("an unknown manager", _set(("customer", "people", 1, "reports_to"), "nobody")),
    Edit("introducers as text", _set(("customer", "people", 0, "introduced_by"), "gm")),
    Edit("a huge about", _set(("customer", "people", 0, "about"), "x" * 5000)),
    Edit("a long name", _set(("supplier", "people", 0, "name"), "x" * 200)),
    Edit("no player", _set(("supplier", "people", 0, "player"), False)),
    Edit("two players", _set(("supplier", "people", 1, "player"), True)),
    Edit("competitors a mapping", _set(("competitors",), {"name": "Coastal"})),
    Edit("a competitor without a name", _set(("competitors", 0, "name"), KeyError)),
    Edit(
        "thousands of people",
        _set(("customer", "people"), [{"id": f"p{i}", "name": "P"} for i in range(5000)]),
    ),
]


@pytest.mark.parametrize("edit", BROKEN_DATA, ids=repr)
def test_quick_facts_refuse_what_they_do_not_expect(edit: Edit) -> None:
    data = sand_data()
    assert quick_facts(dumped(copy.deepcopy(data))) is not None  # the edit alone breaks it
    edit.change(data)
    assert quick_facts(dumped(data)) is None


LAUGHS = "\n".join(
    ["rapport: 1", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    + ["customer: {name: C, people: *a9}"]
)

BROKEN_TEXT = {
    "empty": b"",
    "null": b"null\n",
    "a list": b"- rapport: 1\n- title: Two\n",
    "text": b"just some words\n",
    "not UTF-8": b"rapport: 1\ntitle: \xff\xfe\n",
    "a python tag": b"rapport: 1\ntitle: !!python/object/apply:os.system [echo hi]\n",
    "binary": b"rapport: 1\ntitle: !!binary aGVsbG8=\n",
    "two documents": b"rapport: 1\n---\nrapport: 1\n",
    "bad YAML": b"rapport: 1\ntitle: [unclosed\n",
    "deep nesting": b"rapport: 1\ntitle: " + b"[" * 20_000 + b"]" * 20_000 + b"\n",
    "billion laughs": LAUGHS.encode(),
    "over a megabyte": b"rapport: 1\n# " + b"x" * (1024 * 1024) + b"\n",
}


@pytest.mark.parametrize("name", BROKEN_TEXT)
def test_quick_facts_return_none_for_odd_text(name: str) -> None:
    assert quick_facts(BROKEN_TEXT[name]) is None


def test_quick_facts_never_raise_on_a_truncated_scenario() -> None:
    text = catalog.bundled_text("sand-supplier")
    for end in range(0, len(text), max(1, len(text) // 150)):
        facts = quick_facts(text[:end])
        assert facts is None or isinstance(facts, BriefingFacts)


# ---------------------------------------------------------------- the screen


class ShowBriefing(App[None]):
    """Only the briefing, from the facts or from the loaded scenario."""

    CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))

    def __init__(self, source: BriefingFacts | LoadedScenario) -> None:
        super().__init__()
        self.source = source

    def compose(self) -> ComposeResult:
        yield Label("")

    def on_mount(self) -> None:
        self.push_screen(BriefingScreen(self.source, 3, "Ada", False))


async def shown(source: BriefingFacts | LoadedScenario) -> str:
    app = ShowBriefing(source)
    async with app.run_test(size=(130, 120)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)
        return screen_text(app)


@pytest.mark.parametrize("scenario_id", BUNDLED)
async def test_the_briefing_reads_the_same_from_quick_facts(scenario_id: str) -> None:
    loaded = catalog.load_bundled(scenario_id)
    facts = quick_facts(catalog.bundled_text(scenario_id))
    assert facts is not None
    text = await shown(facts)
    assert loaded.scenario.title in text
    assert text == await shown(loaded)


async def test_a_full_load_that_reads_otherwise_redraws_the_briefing() -> None:
    loaded = catalog.load_bundled("sand-supplier")
    facts = quick_facts(catalog.bundled_text("sand-supplier"))
    assert facts is not None
    app = ShowBriefing(dataclasses.replace(facts, title="Not the Title", turns=99))
    async with app.run_test(size=(130, 60)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BriefingScreen)
        assert "Not the Title" in screen_text(app) and "99 turns" in screen_text(app)
        screen.use_loaded(loaded)
        await pilot.pause()
        await pilot.pause()
        text = screen_text(app)
        assert "Not the Title" not in text and loaded.scenario.title in text
        assert "24 turns" in text and screen.loaded is loaded


# ---------------------------------------------------------------- the app


@pytest.fixture
def slow_full_load(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """The full load waits until the returned event is set."""
    gate = threading.Event()
    full_load = RapportApp._full_load

    def waiting(self: RapportApp, argument: str) -> Any:
        assert gate.wait(10)
        return full_load(self, argument)

    monkeypatch.setattr(RapportApp, "_full_load", waiting)
    return gate


async def wait_for_briefing(pilot: Any, app: RapportApp) -> BriefingScreen:
    """The briefing, once it is on the screen (without waiting for the load worker)."""
    for _ in range(250):
        await pilot.pause(0.02)
        screen = app.screen
        if isinstance(screen, BriefingScreen) and screen.query("#start"):
            await pilot.pause(0.05)
            if screen.facts.title in screen_text(app):
                return screen
    raise AssertionError("no briefing")


async def test_start_pressed_before_the_full_load_starts_the_game_once_loaded(
    slow_full_load: threading.Event,
) -> None:
    app = RapportApp("sand-supplier", seed=3, player="Ada")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await wait_for_briefing(pilot, app)
        assert screen.loaded is None and app.loaded is None  # shown from the quick facts
        assert "Same Sand, Different Supplier" in screen_text(app)
        await pilot.press("enter")  # Start has the focus: the name was given
        await pilot.pause(0.05)
        assert app.screen is screen  # waiting for the scenario
        slow_full_load.set()
        await settle(pilot, app)
        assert isinstance(app.screen, PlayScreen)
        assert app.session is not None
        assert app.session.game.seed == 3 and app.session.player == "Ada"
        assert screen.loaded is app.loaded


async def test_start_at_once_starts_the_game() -> None:
    app = RapportApp("tutorial", seed=5, player="Bo")
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for_briefing(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, PlayScreen)
        assert app.session is not None and app.session.game.scenario.id == "tutorial"


async def test_a_waiting_start_still_asks_before_replacing_an_unfinished_game(
    slow_full_load: threading.Event,
) -> None:
    slow_full_load.set()
    first = RapportApp("sand-supplier", seed=3, player="Ada")
    async with first.run_test(size=(100, 32)) as pilot:
        await settle(pilot, first)
        await pilot.press("enter")
        await settle(pilot, first)
        await pilot.press("1", "e", "ctrl+q", "y")
        await pilot.pause()
    slow_full_load.clear()
    app = RapportApp("sand-supplier", seed=4, player="Ada")
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for_briefing(pilot, app)
        await pilot.press("enter")
        slow_full_load.set()
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmScreen)
        assert "replace" in screen_text(app).lower()
        await pilot.press("y")
        await settle(pilot, app)
        assert isinstance(app.screen, PlayScreen)
        assert app.session is not None and app.session.game.seed == 4


async def test_a_full_load_that_fails_replaces_the_quick_briefing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(RapportApp, "_full_load", lambda self, argument: ["it is broken"])
    app = RapportApp("sand-supplier", seed=3, player="Ada")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, ProblemScreen)
        assert not any(isinstance(s, BriefingScreen) for s in app.screen_stack)
        assert "it is broken" in screen_text(app)
        assert app.loaded is None


async def test_the_full_load_is_handed_to_the_app() -> None:
    app = RapportApp("director-to-ceo", seed=3)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, BriefingScreen)
        assert app.loaded is not None and screen.loaded is app.loaded
        assert app.loaded.scenario.id == "director-to-ceo"
        assert screen.facts == facts_from_scenario(app.loaded.scenario)


async def test_saved_settings_apply_before_the_quick_briefing_shows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from game.app.settings import Settings, save_settings

    save_settings(Settings(theme="textual-light"))
    shown: list[tuple[str, bool]] = []
    show_briefing = RapportApp.show_briefing

    def spy(self: RapportApp, source: Any, can_go_back: bool) -> BriefingScreen:
        shown.append((self.theme, isinstance(source, BriefingFacts)))
        return show_briefing(self, source, can_go_back)

    monkeypatch.setattr(RapportApp, "show_briefing", spy)
    app = RapportApp("sand-supplier", seed=3)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot, app)
    assert shown == [("textual-light", True)]


async def test_exit_when_playable_exits_on_the_quick_briefing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    full_loads: list[str] = []

    def full_load(self: RapportApp, argument: str) -> list[str]:
        full_loads.append(argument)
        return ["not wanted"]

    monkeypatch.setattr(RapportApp, "_full_load", full_load)
    app = RapportApp("sand-supplier", seed=1, exit_when_playable=True)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(200):
            if not app.is_running:
                break
            await pilot.pause(0.02)
        assert not app.is_running
    assert full_loads == []  # it exits on the quick briefing, before any full load


async def test_the_briefing_is_the_first_screen_when_nothing_must_come_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No saved settings, no translation: the app opens on the briefing itself (no
    loading screen first), and loads the scenario in full behind it."""
    from game.app.screens.dialogs import LoadingScreen

    pushed: list[str] = []
    push_screen = RapportApp.push_screen

    def spy(self: RapportApp, screen: Any, *args: Any, **kwargs: Any) -> Any:
        pushed.append(type(screen).__name__)
        return push_screen(self, screen, *args, **kwargs)

    monkeypatch.setattr(RapportApp, "push_screen", spy)
    app = RapportApp("sand-supplier", seed=3, player="Ada")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot, app)
        assert pushed[0] == "BriefingScreen" and LoadingScreen.__name__ not in pushed
        screen = app.screen
        assert isinstance(screen, BriefingScreen) and screen.loaded is app.loaded
        assert app.loaded is not None  # loaded in full behind the briefing
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, PlayScreen)
