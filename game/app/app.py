"""The Rapport Textual app: screens, keys, commands, autosave and export.

The first frame is a light loading screen; the engine, networkx, pydantic and
the scenarios load in a worker thread after it is painted.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from game.app.screens.dialogs import ConfirmScreen, LoadingScreen, ProblemScreen
from game.app.screens.picker import PickerScreen
from game.app.watch import FileWatcher
from game.app.workshop_mode import WorkshopMode
from game.play.listing import Listing, continue_listing, continued_scenario, scenario_listings

if TYPE_CHECKING:
    from textual.theme import Theme

    from game.app.screens.briefing import BriefingScreen
    from game.app.settings import Settings
    from game.play.briefing_facts import BriefingFacts
    from game.play.saves import SaveError, SaveStore
    from game.play.session import PlaySession, Reloaded
    from game.scenario import LoadedScenario
    from game.workshop.leaderboard import Workshop

#: Where a scenario was found, as the picker says it.


class RapportApp(WorkshopMode):
    """Play Rapport scenarios in the terminal."""

    CSS_PATH = "app.tcss"
    TITLE = "Rapport"
    BINDINGS = [
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            show=False,
            priority=True,
            id="app-quit",
            tooltip="Quit Rapport (your game is saved)",
        ),
        Binding("question_mark", "help", "Help", show=False, id="app-help"),
    ]

    def __init__(
        self,
        scenario: str | None = None,
        *,
        seed: int | None = None,
        player: str | None = None,
        watch: bool = False,
        workshop: str | None = None,
        db_path: Path | str | None = None,
        workshop_record: Workshop | None = None,
        exit_after_first_frame: bool = False,
        exit_when_playable: bool = False,
        practice: bool = False,
        lrs: Any = None,
        team: str | None = None,
        team_size: int = 2,
    ) -> None:
        super().__init__()
        self.team = team
        """Play as one seat of an account team: the team's name, or "auto" for the first
        team of this workshop with a free seat (None: play alone)."""
        self.team_size = team_size
        self._team_link: Any = None
        self.practice = practice
        self.lrs = lrs
        """Where to send learning records (a `game.workshop.lrs.Lrs`), or None."""
        self._recorder: Any = None
        """New games are practice games (undo and rewind; never ranked)."""
        self.scenario_arg = scenario
        self.workshop = workshop
        self.db_path = db_path
        # A workshop the trainer created: its scenario version is checked on loading.
        self.workshop_record = workshop_record
        self._live_room: Any = None
        self.watcher = FileWatcher(Path(scenario)) if watch and scenario else None
        self.seed = seed
        self.player = player or ""
        self.exit_after_first_frame = exit_after_first_frame
        # For the start-up benchmark: exit once the first screen that takes keys is painted.
        self.exit_when_playable = exit_when_playable
        self.session: PlaySession | None = None
        self.loaded: LoadedScenario | None = None
        self._saves: SaveStore | None = None
        self._picker_items: list[Listing] = []
        # The unfinished games the picker offers, by scenario id.
        self._resumable: dict[str, PlaySession] = {}
        self.settings: Settings | None = None  # None until read, after the first frame
        # Start pressed on a briefing shown before its scenario was loaded in full.
        self._start_when_loaded: BriefingScreen.Start | None = None

    # ------------------------------------------------------------------ start-up

    def on_mount(self) -> None:
        self.push_screen(LoadingScreen("Loading scenarios…"))
        if self.exit_after_first_frame:
            self.call_after_refresh(self.exit)
            return
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.load()
        if self.watcher is not None:
            self.set_interval(0.5, self.poll_scenario_file, name="watch scenario")

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

        from game.play.briefing_facts import bundled_text, quick_facts
        from game.scenario.language import current_language

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
        if worker.is_cancelled:  # the player has left the briefing, or the app
            return
        if not settings_first:
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

    # ------------------------------------------------------------------ screens

    def show_briefing(
        self, source: LoadedScenario | BriefingFacts, can_go_back: bool
    ) -> BriefingScreen:
        """The briefing of a loaded scenario, or of one still loading from its quick facts
        (`self.loaded` is None until it is loaded)."""
        from game.app.screens.briefing import BriefingScreen
        from game.play.briefing_facts import BriefingFacts

        self.loaded = None if isinstance(source, BriefingFacts) else source
        self._start_when_loaded = None
        if self.seed is None:
            import secrets

            self.seed = secrets.randbelow(1_000_000)
        screen = BriefingScreen(
            source, self.seed, self.player, can_go_back, self.workshop, practice=self.practice
        )
        if can_go_back:
            self.push_screen(screen)
        else:
            self.switch_screen(screen)
        self._exit_if_playable(screen)
        if self.loaded is not None and not self.exit_when_playable:
            self.preload_engine()
        return screen

    @work(thread=True, exclusive=True, group="preload")
    def preload_engine(self) -> None:
        """Import the engine (networkx, the rules) while the player reads the briefing,
        so Start answers at once."""
        import game.engine.game
        import game.play.session  # noqa: F401

    def _exit_if_playable(self, screen: Screen[Any]) -> None:
        """With --exit-when-playable, exit as soon as `screen` has been painted."""
        if self.exit_when_playable:
            self.call_later(screen.call_after_refresh, self.exit)

    def on_briefing_screen_start(self, message: BriefingScreen.Start) -> None:
        """The player pressed Start: ask first if it would replace an unfinished game.
        On a briefing shown before its scenario was loaded in full, once it is."""
        if self.loaded is None:
            self._start_when_loaded = message
            return
        self.practice = message.practice
        scenario = self.loaded.scenario
        unfinished = self._unfinished_game(scenario.id, scenario.turns)
        if unfinished is None:
            self._start_game(message.player)
            return
        question = (
            f"You have an unfinished game of {scenario.title} ({unfinished}). "
            "Start a new game and replace it?"
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._start_game(message.player)

        self.push_screen(ConfirmScreen(question, safe_default=True), answered)

    def _unfinished_game(self, scenario_id: str, turns: int) -> str | None:
        """Who played the saved game of `scenario_id`, how far and when; None if there is none."""
        from game.play.saves import SaveError, unfinished_summary

        if self._saves is None:
            return None
        try:
            return unfinished_summary(self._saves, scenario_id, turns)
        except SaveError as error:  # moved aside, kept: nothing left to replace
            self.notify(str(error), title="Saved game", severity="warning", markup=False)
            return None

    def _start_game(self, player: str) -> None:
        """A new game of the scenario on the briefing (it replaces that scenario's save)."""
        from game.play.session import PlaySession

        assert self.loaded is not None and self.seed is not None
        if self.team is not None:
            self._join_team(player)
            return
        session = PlaySession.start(
            self.loaded, self.seed, player, saves=self._saves, practice=self.practice
        )
        self._resumable.pop(self.loaded.scenario.id, None)
        self.player = session.player
        self.show_play(session)

    def show_play(self, session: PlaySession) -> None:
        from game.app.screens.play import PlayScreen

        self.session = session
        if isinstance(self.screen, PlayScreen):
            self.screen.use_session(session)  # no screen churn on restart or reload
        else:
            authoring = self.watcher is not None
            if self._team_link is not None:
                from game.app.screens.team_play import TeamPlayScreen

                screen: PlayScreen = TeamPlayScreen(
                    session, self.workshop, team=self._team_link, room=self.room_hook()
                )
            else:
                screen = PlayScreen(
                    session, self.workshop, authoring=authoring, room=self.room_hook()
                )
            self._replace_all(screen)
        self.call_after_refresh(_freeze_long_lived_objects)

    # ------------------------------------------------------------------ --watch

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

    def _replace_all(self, screen: Screen[Any]) -> None:
        """Make `screen` the only screen on the stack (over the default one)."""
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(screen)

    def show_debrief(self, *, final: bool) -> Any:
        """Show the debrief (final: of the finished game); the screen, or None."""
        from game.app.screens.debrief import DebriefScreen
        from game.play.debrief import make_debrief

        if self.session is None:
            return None
        self.clear_notifications()  # a move's story card would cover the debrief
        game = self.session.game
        link = self._team_link
        players = link.refresh().players if link is not None else ()
        player = link.name if link is not None else self.session.player
        debrief = make_debrief(game, player, players)
        debrief.seed_hidden = self.workshop is not None
        run_log = self.session.archived if final else None
        screen = DebriefScreen(game, debrief, final=final, run_log=run_log)
        if final:
            self._replace_all(screen)
        else:
            self.push_screen(screen)
        return screen

    def on_unmount(self) -> None:
        """Save the game in progress whenever the app ends (a closed browser tab too)."""
        if self.session is not None and not self.session.game.finished:
            # If it fails, the autosave of the last move stays whole.
            with contextlib.suppress(OSError):
                self.session.save()
        if self._live_room is not None:
            self._live_room.close()
        if self._recorder is not None:  # one more try; what is left waits in the queue
            self._recorder.close()
        if self._team_link is not None:
            self._team_link.close()

    # ------------------------------------------------------------------ actions

    def action_help(self) -> None:
        from game.app.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        """Quit, after asking (the game so far is saved first)."""
        if self.session is not None and not self.session.game.finished:
            self.session.save()
            question = "Quit Rapport? Your game is saved; choose Continue next time to resume."
        else:
            question = "Quit Rapport?"
        if isinstance(self.screen, ConfirmScreen):
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(ConfirmScreen(question, yes="Quit", no="Stay"), answered)

    def action_new_game(self) -> None:
        """Back to the scenario picker (the current game stays saved).

        In a workshop the trainer created, a new game is the workshop's game again.
        """
        if self._only_one_attempt():
            return
        if self.session is not None:
            self.session.save()
        if self.workshop_record is None:
            self.scenario_arg = None
            self.seed = None
        self._replace_all(LoadingScreen("Loading scenarios…"))
        self.load()

    def _only_one_attempt(self) -> bool:
        """In a first-attempt-only workshop, say so (and return True) instead of starting over."""
        if self.workshop_record is None or not self.workshop_record.first_attempt_only:
            return False
        self.notify(
            f"In workshop {self.workshop} only your first game ranks: it cannot be started again.",
            severity="warning",
            markup=False,
        )
        return True

    def action_restart(self) -> None:
        """Ask, then play the same scenario and seed from the first turn."""
        if self.session is None or isinstance(self.screen, ConfirmScreen):
            return
        if self._only_one_attempt():
            return
        game = self.session.game
        if game.finished:
            question = f"Play {game.scenario.title} again from turn 1 with the same seed?"
        else:
            question = (
                f"Restart {game.scenario.title} from turn 1 with the same seed? "
                f"Your game so far (turn {game.turn} of {game.turns}) will be replaced."
            )

        def answered(yes: bool | None) -> None:
            if yes:
                self.restart_now()

        self.push_screen(ConfirmScreen(question, safe_default=not game.finished), answered)

    def restart_now(self) -> None:
        """The same scenario and seed from the first turn, without asking."""
        if self.session is None:
            return
        self.show_play(self.session.restart())
        self.notify("Restarted from turn 1 with the same seed.", markup=False)

    def action_choose_scenario(self) -> None:
        """Back to the scenario list: the one underneath, or a fresh one."""
        below = self.screen_stack[-2] if len(self.screen_stack) > 2 else None
        if isinstance(below, PickerScreen):
            self.pop_screen()
        else:
            self.action_new_game()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide keys that cannot act: a workshop the trainer created has no scenario list to
        go back to, and in a first-attempt-only one a game cannot be started again."""
        if action == "choose_scenario":
            return self.workshop_record is None
        if action in ("new_game", "restart"):
            record = self.workshop_record
            return record is None or not record.first_attempt_only
        return True

    def action_save(self) -> None:
        if self.session is None or self.session.game.finished:
            self.notify("There is no game in progress to save.", markup=False)
            return
        self.session.save()
        self.notify(f"Saved after {len(self.session.game.choices_made)} moves.", markup=False)

    def action_debrief_so_far(self) -> None:
        if self.session is not None:
            self.show_debrief(final=self.session.game.finished)

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def _use_settings(self, settings: Settings, problem: str | None) -> None:
        """Apply the saved settings (the theme); warn in one line about a bad settings file."""
        from game.app.settings import settings_path

        if problem:
            self.notify(problem, title="Settings", severity="warning", timeout=15, markup=False)
        theme = settings.theme
        if theme and theme not in self.available_themes:
            self.notify(
                f"Settings in {settings_path()}: there is no theme called {theme!r}. "
                "Using the default theme.",
                title="Settings",
                severity="warning",
                timeout=15,
                markup=False,
            )
        elif theme:
            self.theme = theme
        self.settings = settings

    def _remember_theme(self, theme: Theme) -> None:
        """Keep the chosen theme in the player's settings for the next launch."""
        from game.app.settings import save_settings

        if self.settings is None or self.settings.theme == theme.name:
            return
        self.settings.theme = theme.name
        try:
            kept = save_settings(self.settings)
        except OSError as error:
            self.notify(
                f"The theme could not be remembered: {error}", severity="warning", markup=False
            )
            return
        if kept is not None:
            self.notify(f"The unreadable settings file was kept as {kept}.", markup=False)

    def on_play_screen_debrief_requested(self, _message: Any) -> None:
        from game.app.screens.play import PlayScreen

        if isinstance(self.screen, PlayScreen):  # a second quick "d" stacks no second debrief
            self.show_debrief(final=False)

    def on_debrief_screen_export_requested(self, message: Any) -> None:
        """Write the debrief as Markdown in the user's debriefs folder, and say where."""
        from game.play.debrief import DebriefExportError, export_debrief

        try:
            path = export_debrief(message.debrief, workshop=self.workshop)
        except DebriefExportError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.notify(f"Debrief saved to {path}", title="Exported", markup=False)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Game commands first, then Textual's own (theme, keys, screenshot…)."""
        playing = self.session is not None
        yield SystemCommand("game: new game", "Choose a scenario to play", self.action_new_game)
        if playing:
            yield SystemCommand(
                "game: restart", "Start this scenario again with the same seed", self.action_restart
            )
            yield SystemCommand("game: save", "Save the game now", self.action_save)
            yield SystemCommand(
                "game: debrief so far",
                "Score and what built or leaked loyalty",
                self.action_debrief_so_far,
            )
        yield SystemCommand(
            "game: theme", "Switch between the dark and the light theme", self.action_toggle_theme
        )
        yield SystemCommand("game: help", "How to play, and every key", self.action_help)
        yield from super().get_system_commands(screen)


def _freeze_long_lived_objects() -> None:
    """Move everything alive now (Textual, the scenario, the screens) out of the garbage
    collector's sight: full collections then scan only what the game creates, and stop
    stalling a key press for 50-150 ms every few moves."""
    gc.collect()
    gc.freeze()
