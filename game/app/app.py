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

from game.app.screens.dialogs import ConfirmScreen, LoadingScreen
from game.app.screens.picker import PickerScreen
from game.app.start_up import StartUp
from game.app.terminal import CHECK_SECONDS, terminal_fd, terminal_gone
from game.app.watch import FileWatcher

if TYPE_CHECKING:
    from textual.theme import Theme

    from game.app.screens.briefing import BriefingScreen
    from game.app.settings import Settings
    from game.play.briefing_facts import BriefingFacts
    from game.play.session import PlaySession
    from game.scenario import LoadedScenario
    from game.workshop.leaderboard import Workshop

#: Where a scenario was found, as the picker says it.


class RapportApp(StartUp):
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
        self._saves = None
        self._picker_items = []
        # The unfinished games the picker offers, by scenario id.
        self._resumable = {}
        self.settings = None  # None until read, after the first frame
        # Start pressed on a briefing shown before its scenario was loaded in full.
        self._start_when_loaded = None

    # ------------------------------------------------------------------ start-up

    def on_mount(self) -> None:
        if self.exit_after_first_frame:
            self.push_screen(LoadingScreen("Loading scenarios…"))
            self.call_after_refresh(self.exit)
            return
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self.quick_briefing_now() is None:
            self.push_screen(LoadingScreen("Loading scenarios…"))
            self.load()
        if self.watcher is not None:
            self.set_interval(0.5, self.poll_scenario_file, name="watch scenario")
        self._terminal = terminal_fd()
        if self._terminal is not None:
            self.set_interval(CHECK_SECONDS, self._check_terminal, name="terminal")

    def _check_terminal(self) -> None:
        """The terminal has gone with no hang-up signal: end the game (saved)."""
        if self._terminal is not None and terminal_gone(self._terminal):
            self.exit()

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
        if can_go_back or len(self.screen_stack) <= 1:  # (the first screen goes on top)
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
