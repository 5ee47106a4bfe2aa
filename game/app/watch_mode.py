"""The app with --watch: the scenario file is looked at twice a second and, when it
changes, read again and the moves so far replayed onto it; its problems are shown
until they are fixed.

A part of :class:`~game.app.app.RapportApp` (a base class of it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from game.app.screens.dialogs import ProblemScreen
from game.app.workshop_mode import WorkshopMode

if TYPE_CHECKING:
    from game.app.screens.briefing import BriefingScreen
    from game.play.briefing_facts import BriefingFacts
    from game.play.session import Reloaded
    from game.scenario import LoadedScenario


class WatchMode(WorkshopMode):
    """What --watch adds to the app."""

    if TYPE_CHECKING:  # the app's own, which this part calls

        def show_briefing(
            self, source: LoadedScenario | BriefingFacts, can_go_back: bool
        ) -> BriefingScreen: ...

    def poll_scenario_file(self) -> None:
        """Reload the scenario when its file is saved."""
        if self.watcher is not None and self.watcher.changed():
            self.reload_scenario()

    @work(thread=True, exclusive=True, group="reload")
    def reload_scenario(self) -> None:
        """Read the edited scenario off the UI thread; replay the game so far onto it."""
        from game.play.session import reload_session
        from game.scenario import ScenarioError

        assert self.watcher is not None
        try:
            reloaded = reload_session(self.watcher.path, self.session)
        except ScenarioError as error:
            self.call_from_thread(self._reload_failed, [str(p) for p in error.problems])
            return
        self.call_from_thread(self._reloaded, reloaded)

    def _reload_failed(self, lines: list[str]) -> None:
        if isinstance(self.screen, ProblemScreen):
            self.pop_screen()
        self.push_screen(
            ProblemScreen("The edited scenario has problems: fix them and save", lines, True)
        )
        self.bell()

    def _reloaded(self, reloaded: Reloaded) -> None:
        if isinstance(self.screen, ProblemScreen):
            self.pop_screen()
        self.loaded = reloaded.loaded
        session = reloaded.session
        if session is None:
            if self.seed is not None:
                self.show_briefing(reloaded.loaded, False)
            self.notify("Scenario reloaded.", markup=False)
            self._show_warnings(reloaded.loaded)
            return
        session.save()
        self.show_play(session)
        applied, total = reloaded.applied, reloaded.total
        message = f"Scenario reloaded; replayed {applied} of {total} moves."
        if applied < total:
            message += (
                " The rest no longer fit the edited scenario; they are kept, and the next"
                " reload tries them again (a move you make now replaces them)."
            )
        self.notify(
            message, markup=False, severity="information" if applied == total else "warning"
        )
        self._show_warnings(reloaded.loaded)

    def _show_warnings(self, loaded: LoadedScenario) -> None:
        """The scenario's warnings (it plays, but something looks wrong), one card each."""
        for warning in loaded.warnings[:5]:
            self.notify(
                str(warning), title="Scenario warning", severity="warning", timeout=20, markup=False
            )
        if len(loaded.warnings) > 5:
            more = len(loaded.warnings) - 5
            self.notify(
                f"{more} more warnings: run rapport validate on the file to see them all.",
                title="Scenario warning",
                severity="warning",
                timeout=20,
                markup=False,
            )
