"""The app's start: the scenario named on the command line (its briefing at once,
from facts read straight from its YAML, while the rest loads), or the picker of
scenarios and unfinished games; the player's settings and saves.

A part of :class:`~game.app.app.RapportApp` (a base class of it); the loading runs
in a worker thread after the first frame is painted.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work

from game.app.screens.dialogs import ProblemScreen
from game.app.screens.picker import PickerScreen
from game.app.watch_mode import WatchMode
from game.play.listing import Listing, continue_listing, continued_scenario, scenario_listings

if TYPE_CHECKING:
    from textual.screen import Screen

    from game.app.screens.briefing import BriefingScreen
    from game.app.settings import Settings
    from game.play.briefing_facts import BriefingFacts
    from game.play.saves import SaveError, SaveStore
    from game.play.session import PlaySession
    from game.scenario import LoadedScenario
    from game.workshop.leaderboard import Workshop


class StartUp(WatchMode):
    """How the app starts (a base class of `RapportApp`)."""

    workshop_record: Workshop | None
    exit_after_first_frame: bool
    exit_when_playable: bool
    settings: Settings | None
    _saves: SaveStore | None
    _picker_items: list[Listing]
    _resumable: dict[str, PlaySession]
    _start_when_loaded: BriefingScreen.Start | None

    if TYPE_CHECKING:  # the app's own, which this part calls

        def preload_engine(self) -> Any: ...

        def _exit_if_playable(self, screen: Screen[Any]) -> None: ...

        def on_briefing_screen_start(self, message: BriefingScreen.Start) -> None: ...

        def _replace_all(self, screen: Screen[Any]) -> None: ...

        def _use_settings(self, settings: Settings, problem: str | None) -> None: ...

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        """Import the engine and read scenarios without blocking the first frame."""
        if self.scenario_arg:
            self._load_scenario(self.scenario_arg)
            return
        self._read_player_files()
        items, problems = self._picker_list()
        for problem in problems:
            self.call_from_thread(
                self.notify,
                str(problem),
                title="Saved game not resumed",
                severity="warning",
                timeout=15,
                markup=False,
            )
        self.call_from_thread(self._show_picker, items)

    def _load_scenario(self, argument: str) -> None:
        """(In the load worker.) The briefing of the scenario named on the command line.

        A bundled scenario's briefing shows at once, from facts read straight from its
        YAML; the scenario is then loaded in full (models, validation, checks) while the
        player reads it. Any other scenario is loaded in full first.
        """
        import threading

        from textual.worker import get_current_worker

        from game.common.language import current_language
        from game.play.briefing_facts import bundled_text, quick_facts

        text = bundled_text(argument)
        # A translated scenario's briefing needs its translation: no quick facts then.
        facts = None if text is None or current_language() else quick_facts(text)
        # Saved settings (a theme) apply before the first screen the player reads; they
        # load pydantic, so without any the briefing goes first.
        settings_first = facts is None or self._has_saved_settings()
        if settings_first:
            self._read_player_files()
        if facts is None:
            loaded = self._full_load(argument)
            if isinstance(loaded, list):
                self.call_from_thread(
                    self._show_problems, "This scenario cannot be played", loaded, False
                )
            else:
                self.call_from_thread(self.show_briefing, loaded, False)
            return
        painted = threading.Event()
        screen = self.call_from_thread(self._show_quick_briefing, facts, painted)
        if self.exit_when_playable:
            return  # the benchmark exits once the briefing is painted
        # What follows holds the GIL for much of its time: let the briefing paint first.
        worker = get_current_worker()
        for _ in range(40):
            if painted.wait(0.05) or worker.is_cancelled:
                break
        self._finish_behind_briefing(argument, screen, read_files=not settings_first)

    def quick_briefing_now(self) -> BriefingScreen | None:
        """(Before the first frame.) The briefing of the bundled scenario named on the
        command line, shown at once from its quick facts, when nothing has to come first
        (saved settings, a translation); else None, and the loading screen shows."""
        from game.common.language import current_language

        if not self.scenario_arg or current_language() or self._has_saved_settings():
            return None
        from game.play.briefing_facts import bundled_text, quick_facts

        text = bundled_text(self.scenario_arg)
        facts = None if text is None else quick_facts(text)
        if facts is None:
            return None
        screen = self.show_briefing(facts, False)
        if not self.exit_when_playable:
            self.call_after_refresh(self.load_behind_briefing, screen)
        return screen

    @work(thread=True, exclusive=True, group="load")
    def load_behind_briefing(self, screen: BriefingScreen) -> None:
        """The rest of the start, behind a briefing shown first: the player's files and
        the scenario loaded in full."""
        assert self.scenario_arg is not None
        self._finish_behind_briefing(self.scenario_arg, screen, read_files=True)

    def _finish_behind_briefing(
        self, argument: str, screen: BriefingScreen, *, read_files: bool
    ) -> None:
        """(In the load worker.) Read the player's files if still to do, load the scenario
        in full, and hand it to the briefing `screen`."""
        from textual.worker import get_current_worker

        worker = get_current_worker()
        if worker.is_cancelled:  # the player has left the briefing, or the app
            return
        if read_files:
            self._read_player_files()
        loaded = self._full_load(argument)
        if not worker.is_cancelled:
            self.call_from_thread(self._loaded_behind_briefing, screen, loaded)

    def _read_player_files(self) -> None:
        """(In the load worker.) The player's settings (applied) and saves."""
        from game.app.settings import load_settings
        from game.play.saves import default_saves

        if self.settings is None:
            self.call_from_thread(self._use_settings, *load_settings())
        self._saves = default_saves() if self.workshop is None else self._workshop_saves()

    def _has_saved_settings(self) -> bool:
        """Whether there are settings still to read: the player's settings file exists (as
        `game.app.settings` names it; checked without importing that, which loads pydantic)."""
        from game.common.paths import player_dir

        return self.settings is None and (player_dir() / "settings.json").exists()

    def _full_load(self, argument: str) -> LoadedScenario | list[str]:
        """(In the load worker.) The scenario `argument` names, validated and checked (and
        in a workshop, checked to be the workshop's version); or why it cannot be played."""
        from game.common.errors import UserError
        from game.scenario import ScenarioError
        from game.scenario.catalog import ScenarioNotFound, resolve_scenario

        try:
            loaded = resolve_scenario(argument)
            if self.workshop_record is not None:
                from game.workshop.leaderboard import workshop_scenario

                path = argument if argument != loaded.scenario.id else None
                loaded = workshop_scenario(self.workshop_record, path)
        except (ScenarioError, ScenarioNotFound, UserError) as error:
            return [str(p) for p in getattr(error, "problems", [])] or [str(error)]
        return loaded

    def _show_quick_briefing(self, facts: BriefingFacts, painted: Any) -> BriefingScreen:
        """The briefing from its quick facts; `painted` is set once it is on the screen."""
        screen = self.show_briefing(facts, False)
        self.call_later(screen.call_after_refresh, painted.set)
        return screen

    def _loaded_behind_briefing(
        self, screen: BriefingScreen, loaded: LoadedScenario | list[str]
    ) -> None:
        """The scenario of the quick briefing `screen`, loaded in full (or the problems that
        stop it being played, which then replace the briefing). A Start pressed meanwhile
        goes ahead now."""
        start, self._start_when_loaded = self._start_when_loaded, None
        if screen not in self.screen_stack:
            return  # the player has left that briefing
        if isinstance(loaded, list):
            self._replace_all(ProblemScreen("This scenario cannot be played", loaded, False))
            return
        self.loaded = loaded
        screen.use_loaded(loaded)
        if start is not None:
            self.on_briefing_screen_start(start)
        else:
            self.preload_engine()

    def _picker_list(self) -> tuple[list[Listing], list[SaveError]]:
        """Every unfinished game, then every scenario; and the saves that could not be used."""
        from game.play.session import PlaySession

        sessions: list[PlaySession] = []
        problems: list[SaveError] = []
        if self._saves is not None:
            sessions, problems = PlaySession.resume_all(self._saves)
        self._resumable = {session.game.scenario.id: session for session in sessions}
        return [self._continue_item(s) for s in sessions] + scenario_listings(), problems

    def _continue_item(self, session: PlaySession) -> Listing:
        """The picker line that continues `session` (no seed in a workshop)."""
        game = session.game
        return continue_listing(
            game.scenario.id,
            game.scenario.title,
            player=session.player,
            turn=game.turn,
            turns=game.turns,
            saved_at=session.saved_at,
            seed=game.seed if self.workshop is None else None,
        )

    def _show_picker(self, items: list[Listing]) -> None:
        self._picker_items = items
        picker = PickerScreen(items)
        self.switch_screen(picker)
        self._exit_if_playable(picker)

    def _show_problems(self, title: str, lines: list[str], can_go_back: bool) -> None:
        if can_go_back:
            self.push_screen(ProblemScreen(title, lines, True))
        else:
            self.switch_screen(ProblemScreen(title, lines, False))

    def on_picker_screen_chosen(self, message: PickerScreen.Chosen) -> None:
        """A scenario, or an unfinished game to continue, was chosen in the picker."""
        resumed = self._resumable.get(continued_scenario(message.key) or "")
        if resumed is not None:
            self.show_play(resumed)
            return
        from game.scenario import ScenarioError
        from game.scenario.catalog import ScenarioEntry, load_entry

        origin, path = message.key.split(":", 1)
        entry = ScenarioEntry(Path(path).stem, origin, path)
        try:
            loaded = load_entry(entry)
        except ScenarioError as error:
            self._show_problems(
                f"{entry.id} cannot be played", [str(p) for p in error.problems], True
            )
            return
        self.show_briefing(loaded, True)
