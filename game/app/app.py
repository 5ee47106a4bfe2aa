"""The Rapport Textual app: screens, keys, commands, autosave and export.

The first frame is a light loading screen; the engine, networkx, pydantic and
the scenarios load in a worker thread after it is painted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from game.app.screens.dialogs import ConfirmScreen, LoadingScreen, ProblemScreen
from game.app.screens.picker import CONTINUE, PickerItem, PickerScreen
from game.app.watch import FileWatcher

if TYPE_CHECKING:
    from game.board.store import Workshop
    from game.debrief import Debrief
    from game.saves import SaveStore
    from game.scenario import LoadedScenario
    from game.session import PlaySession


class RapportApp(App[None]):
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
    ) -> None:
        super().__init__()
        self.scenario_arg = scenario
        self.workshop = workshop
        self.db_path = db_path
        # A workshop the trainer created: its scenario version is checked on loading.
        self.workshop_record = workshop_record
        self.watcher = FileWatcher(Path(scenario)) if watch and scenario else None
        self.seed = seed
        self.player = player or ""
        self.exit_after_first_frame = exit_after_first_frame
        self.session: PlaySession | None = None
        self.loaded: LoadedScenario | None = None
        self._saves: SaveStore | None = None
        self._picker_items: list[PickerItem] = []

    # ------------------------------------------------------------------ start-up

    def on_mount(self) -> None:
        self.push_screen(LoadingScreen("Loading scenarios…"))
        if self.exit_after_first_frame:
            self.call_after_refresh(self.exit)
            return
        self.load()
        if self.watcher is not None:
            self.set_interval(0.5, self.poll_scenario_file, name="watch scenario")

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        """Import the engine and read scenarios without blocking the first frame."""
        from game.errors import UserError
        from game.saves import SaveError
        from game.scenario import ScenarioError
        from game.scenario.catalog import ScenarioNotFound, resolve_scenario
        from game.session import default_saves

        self._saves = default_saves() if self.workshop is None else self._workshop_saves()
        if self.scenario_arg:
            try:
                loaded = resolve_scenario(self.scenario_arg)
                if self.workshop_record is not None:
                    from game.board.workshops import workshop_scenario

                    path = self.scenario_arg if self.scenario_arg != loaded.scenario.id else None
                    loaded = workshop_scenario(self.workshop_record, path)
            except (ScenarioError, ScenarioNotFound, UserError) as error:
                lines = [str(p) for p in getattr(error, "problems", [])] or [str(error)]
                self.call_from_thread(
                    self._show_problems, "This scenario cannot be played", lines, False
                )
                return
            self.call_from_thread(self.show_briefing, loaded, False)
            return
        try:
            items = self._picker_list()
        except SaveError as error:
            items = self._picker_list(include_save=False)
            self.call_from_thread(
                self.notify,
                str(error),
                title="Saved game not resumed",
                severity="warning",
                timeout=15,
                markup=False,
            )
        self.call_from_thread(self._show_picker, items)

    def _workshop_saves(self) -> SaveStore:
        """A workshop game's own saves folder: never offered (with its seed) by "Continue"."""
        from game.saves import SaveStore, player_dir

        saves = SaveStore(player_dir() / "saves" / "workshops" / str(self.workshop))
        saves.remove_orphans()
        return saves

    def _picker_list(self, include_save: bool = True) -> list[PickerItem]:
        from game.scenario import ScenarioError
        from game.scenario.catalog import discover, load_entry
        from game.session import PlaySession

        items: list[PickerItem] = []
        if include_save and self._saves is not None and self._saves.has_autosave():
            session = PlaySession.resume(self._saves)
            if session is not None:
                game = session.game
                items.append(
                    PickerItem(
                        CONTINUE,
                        f"Continue: {game.scenario.title}",
                        f"{session.player} · turn {game.turn} of {game.turns} · seed {game.seed}",
                    )
                )
                self.session = session
        for entry in discover():
            key = f"{entry.origin}:{entry.path}"
            try:
                loaded = load_entry(entry)
            except ScenarioError as error:
                first = error.problems[0]
                items.append(
                    PickerItem(
                        key,
                        f"{entry.id} (cannot be played)",
                        f"{len(error.problems)} problem(s) in {entry.path}",
                        str(first),
                    )
                )
                continue
            s = loaded.scenario
            where = {"bundled": "", "local": " · ./scenarios", "user": " · your scenarios"}
            items.append(
                PickerItem(
                    key, s.title, f"{s.summary or s.id} ({s.turns} turns){where[entry.origin]}"
                )
            )
        return items

    def _show_picker(self, items: list[PickerItem]) -> None:
        self._picker_items = items
        self.switch_screen(PickerScreen(items))

    def _show_problems(self, title: str, lines: list[str], can_go_back: bool) -> None:
        if can_go_back:
            self.push_screen(ProblemScreen(title, lines, True))
        else:
            self.switch_screen(ProblemScreen(title, lines, False))

    def on_picker_screen_chosen(self, message: PickerScreen.Chosen) -> None:
        """A scenario (or Continue) was chosen in the picker."""
        if message.key == CONTINUE and self.session is not None:
            self.show_play(self.session)
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

    def show_briefing(self, loaded: LoadedScenario, can_go_back: bool) -> None:
        from game.app.screens.briefing import BriefingScreen

        self.loaded = loaded
        if self.seed is None:
            import secrets

            self.seed = secrets.randbelow(1_000_000)
        screen = BriefingScreen(loaded, self.seed, self.player, can_go_back, self.workshop)
        if can_go_back:
            self.push_screen(screen)
        else:
            self.switch_screen(screen)

    def on_briefing_screen_start(self, message: Any) -> None:
        """The player pressed Start on the briefing."""
        from game.session import PlaySession

        assert self.loaded is not None and self.seed is not None
        session = PlaySession.start(self.loaded, self.seed, message.player, saves=self._saves)
        self.player = session.player
        self.show_play(session)

    def show_play(self, session: PlaySession) -> None:
        from game.app.screens.play import PlayScreen

        self.session = session
        if isinstance(self.screen, PlayScreen):
            self.screen.use_session(session)  # no screen churn on restart or reload
        else:
            self._replace_all(PlayScreen(session, self.workshop))

    # ------------------------------------------------------------------ --watch

    def poll_scenario_file(self) -> None:
        """Reload the scenario when its file is saved."""
        if self.watcher is not None and self.watcher.changed():
            self.reload_scenario()

    @work(thread=True, exclusive=True, group="reload")
    def reload_scenario(self) -> None:
        """Read the edited scenario off the UI thread; replay the game so far onto it."""
        from game.engine import replay_prefix
        from game.scenario import ScenarioError, load_scenario

        assert self.watcher is not None
        try:
            loaded = load_scenario(self.watcher.path)
        except ScenarioError as error:
            lines = [str(p) for p in error.problems]
            self.call_from_thread(self._reload_failed, lines)
            return
        replayed = None
        if self.session is not None:
            old = self.session.game
            game, applied = replay_prefix(loaded.scenario, old.seed, list(old.choices_made))
            replayed = (game, applied, len(old.choices_made))
        self.call_from_thread(self._reloaded, loaded, replayed)

    def _reload_failed(self, lines: list[str]) -> None:
        if isinstance(self.screen, ProblemScreen):
            self.pop_screen()
        self.push_screen(
            ProblemScreen("The edited scenario has problems: fix them and save", lines, True)
        )
        self.bell()

    def _reloaded(self, loaded: LoadedScenario, replayed: Any) -> None:
        from game.session import PlaySession

        if isinstance(self.screen, ProblemScreen):
            self.pop_screen()
        self.loaded = loaded
        if replayed is None or self.session is None:
            if self.seed is not None:
                self.show_briefing(loaded, False)
            self.notify("Scenario reloaded.", markup=False)
            return
        game, applied, total = replayed
        session = PlaySession(
            loaded,
            game,
            self.session.player,
            self.session.saves,
            str(self.watcher.path.resolve()) if self.watcher else None,
        )
        session.save()
        self.show_play(session)
        message = f"Scenario reloaded; replayed {applied} of {total} moves."
        if applied < total:
            message += " The rest no longer fit the edited scenario."
        self.notify(
            message, markup=False, severity="information" if applied == total else "warning"
        )

    def _replace_all(self, screen: Screen[Any]) -> None:
        """Make `screen` the only screen on the stack (over the default one)."""
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(screen)

    def on_play_screen_finished(self, _message: Any) -> None:
        """The game is over: the final debrief, and the leaderboard in a workshop."""
        self.show_debrief(final=True)
        if self.workshop and self.session is not None:
            self.submit_to_workshop(self.session.game.run_log(player=self.session.player).to_json())

    @work(thread=True, exclusive=True, group="submit")
    def submit_to_workshop(self, log_text: str) -> None:
        """Score the finished game by replay and put it on the board, off the UI thread."""
        from game.board import BoardError, open_board
        from game.board.submit import Submitter
        from game.errors import UserError

        assert self.workshop is not None
        arg = self.scenario_arg
        scenario_file = arg if arg and (self.watcher or Path(arg).is_file()) else None
        try:
            with open_board(self.db_path) as board:
                done = Submitter(board, scenario_file).submit(log_text, workshop=self.workshop)
        except (UserError, BoardError, OSError) as error:
            self.call_from_thread(
                self.notify,
                f"Not put on the leaderboard: {error}",
                severity="error",
                timeout=20,
                markup=False,
            )
            return
        self.call_from_thread(self._show_rank, done)

    def _show_rank(self, done: Any) -> None:
        from game.app.screens.debrief import DebriefScreen

        par = "" if done.par is None else f" (par {done.par}: {done.score - done.par:+d})"
        by = ", ranked by score minus par" if done.ranking == "par" else ""
        message = (
            f"Workshop {done.workshop}: {done.player} is number {done.rank} of "
            f"{done.players} with {done.score} points{par}{by}."
        )
        if not done.counts:
            message += " Your earlier game is the one that ranks."
        for screen in self.screen_stack:
            if isinstance(screen, DebriefScreen):
                screen.show_rank(message)
        self.notify(message, title="Leaderboard", markup=False, timeout=15)

    def show_debrief(self, *, final: bool) -> None:
        from game.app.screens.debrief import DebriefScreen
        from game.debrief import make_debrief

        if self.session is None:
            return
        game = self.session.game
        debrief = make_debrief(game, self.session.player)
        debrief.seed_hidden = self.workshop is not None
        screen = DebriefScreen(game, debrief, final=final)
        if final:
            self._replace_all(screen)
        else:
            self.push_screen(screen)

    def on_unmount(self) -> None:
        """Save the game in progress whenever the app ends (a closed browser tab too)."""
        if self.session is not None and not self.session.game.finished:
            # If it fails, the autosave from the end of the last turn stays whole.
            with contextlib.suppress(OSError):
                self.session.save()

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
        """The same scenario and seed from the first turn."""
        if self.session is None or self._only_one_attempt():
            return
        self.show_play(self.session.restart())
        self.notify("Restarted from turn 1 with the same seed.", markup=False)

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

    def export_debrief(self, debrief: Debrief) -> Path | None:
        """Write `debrief` as Markdown in the user's debriefs folder; return the path."""
        from game.debrief import to_markdown
        from game.files import write_text_atomic
        from game.saves import player_dir

        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        which = f"workshop-{self.workshop}" if debrief.seed_hidden else f"seed{debrief.seed}"
        path = player_dir() / "debriefs" / f"{debrief.scenario_id}-{which}-{stamp}.md"
        try:
            write_text_atomic(path, to_markdown(debrief))
        except OSError as error:
            self.notify(f"Could not write {path}: {error.strerror}", severity="error", markup=False)
            return None
        return path

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
