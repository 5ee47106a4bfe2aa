"""The app in a workshop: its saves, its room, its team, its learning records, and
handing the finished game in.

A part of :class:`~game.app.app.RapportApp`, kept apart so the app's own module holds
the screens' flow and this one what a workshop adds to it. Everything here goes
through `game.workshop.leaderboard` and `game.workshop.room_access`: the app never
opens a store itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App

if TYPE_CHECKING:
    from game.app.watch import FileWatcher
    from game.play.saves import SaveStore
    from game.play.session import PlaySession
    from game.scenario import LoadedScenario


class WorkshopMode(App[None]):
    """What a workshop adds to the app (a base class of `RapportApp`)."""

    workshop: str | None
    db_path: Path | str | None
    session: PlaySession | None
    loaded: LoadedScenario | None
    seed: int | None
    player: str
    scenario_arg: str | None
    watcher: FileWatcher | None
    lrs: Any
    team: str | None
    team_size: int
    _team_link: Any
    _live_room: Any
    _recorder: Any

    if TYPE_CHECKING:  # the app's own, which this part calls

        def show_play(self, session: PlaySession) -> None: ...

        def show_debrief(self, *, final: bool) -> Any: ...

    def _workshop_saves(self) -> SaveStore:
        """A workshop game's own saves folder: never offered (with its seed) by "Continue"."""
        from game.common.paths import saves_dir
        from game.play.saves import SaveStore

        saves = SaveStore(saves_dir() / "workshops" / str(self.workshop))
        saves.remove_orphans()
        return saves

    def _join_team(self, player: str) -> None:
        """Take a seat in an account team, wait for the others, then play the team's game."""
        from game.app.screens.team_play import TeamWaitScreen
        from game.engine.game import team_members
        from game.play.session import PlaySession
        from game.workshop.room_access import RoomAccessError, join_team

        assert self.loaded is not None and self.seed is not None and self.workshop is not None
        loaded = self.loaded
        scenario = loaded.scenario
        try:
            link = join_team(
                self.db_path,
                self.workshop,
                None if self.team == "auto" else self.team,
                player,
                size=self.team_size,
                scenario=scenario.id,
                seed=self.seed,
            )
        except RoomAccessError as error:
            self.notify(str(error), title="No seat", severity="error", markup=False)
            return
        if link.team.scenario != scenario.id:
            link.close()
            self.notify(
                f"Team {link.team.name} plays {link.team.scenario}, not {scenario.id}.",
                severity="error",
                markup=False,
            )
            return

        def start(full: bool | None) -> None:
            if not full:
                link.close()
                return
            seats = team_members(scenario)[: link.team.size]
            session = PlaySession.start(loaded, link.team.seed, player, team=seats)
            link.sync(session)  # a trainee who comes back catches up with the team
            self._team_link = link
            self.player = session.player
            self.show_play(session)

        self.push_screen(TeamWaitScreen(link, scenario.title), start)

    def room_hook(self) -> Any:
        """What the game reports to: its workshop's room, the LRS, both, or nothing."""
        from game.play.room_hook import Hooks

        hooks = [hook for hook in (self.live_room(), self.recorder()) if hook is not None]
        return None if not hooks else hooks[0] if len(hooks) == 1 else Hooks(hooks)

    def recorder(self) -> Any:
        """With --lrs: the game's learning records on their way to the LRS (made once)."""
        if self.lrs is not None and self._recorder is None:
            from game.workshop.learning_records import LrsRecorder

            self._recorder = LrsRecorder(self.lrs, self.workshop)
        return self._recorder

    def live_room(self) -> Any:
        """In a workshop, the room the game reports to and hears the trainer from (opened
        once); None outside one, or if the board cannot be opened (said once)."""
        if self.workshop is None:
            return None
        if self._live_room is None:
            from game.workshop.room_access import RoomAccessError, open_live_room

            try:
                self._live_room = open_live_room(self.db_path, self.workshop)
                link = self._team_link
                if link is not None:  # one row for the team; the lead passes events on
                    self._live_room.player = link.name
                    self._live_room.schedule = (
                        (lambda _session, ident, event: link.put_injection(ident, event))
                        if link.lead
                        else (lambda _session, _ident, _event: False)
                    )
            except RoomAccessError as error:
                self.notify(
                    f"The workshop's board cannot be reached, so the trainer cannot follow "
                    f"this game: {error}",
                    severity="warning",
                    timeout=15,
                    markup=False,
                )
                return None
        return self._live_room

    def on_play_screen_round_ended(self, message: Any) -> None:
        """The trainer ended the round: say so, and show the debrief of the game so far."""
        self.notify(message.words, title="The round is over", severity="warning", timeout=30)
        self.show_debrief(final=False)

    def on_play_screen_finished(self, _message: Any) -> None:
        """The game is over: the final debrief, and the leaderboard in a workshop."""
        debrief = self.show_debrief(final=True)
        link = self._team_link
        if link is not None and not link.lead and debrief is not None:
            lead = link.team.players[0]
            message = f"{lead} hands the team's game in: the leaderboard shows the team's rank."
            debrief.call_after_refresh(debrief.show_rank, message)
        if self.workshop and self.session is not None and (link is None or link.lead):
            if link is not None:
                link.refresh()
            player = self.session.player if link is None else link.name
            self.submit_to_workshop(self.session.run_log().to_json(), player)

    @work(thread=True, exclusive=True, group="submit")
    def submit_to_workshop(self, log_text: str, player: str | None = None) -> None:
        """Score the finished game by replay and put it on the board, off the UI thread."""
        from game.common.errors import UserError
        from game.workshop.leaderboard import submit_game

        assert self.workshop is not None
        arg = self.scenario_arg
        scenario_file = arg if arg and (self.watcher or Path(arg).is_file()) else None
        try:
            done = submit_game(
                self.db_path,
                log_text,
                workshop=self.workshop,
                scenario_file=scenario_file,
                name=player,
            )
        except UserError as error:
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
