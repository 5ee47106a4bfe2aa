"""A played game with its autosave: the part of the app that has no Textual in it.

The Textual app and the plain text mode drive a :class:`PlaySession`; tests drive
it directly. It saves the run log atomically after every move (so a killed
process loses nothing) and archives it when the game ends. Each scenario keeps
its own unfinished game.

In practice mode the player may undo a move or rewind to the start of any turn
and try another path; the run log says so (`practice`), and no board accepts it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path

from game.common.names import clean_player_name
from game.engine import END, Game, LogEntry, ReplayError, RunLog, replay, replay_prefix
from game.play.saves import Save, SaveError, SaveStore, add_archived_notes, default_saves
from game.scenario import LoadedScenario, ScenarioError, load_scenario
from game.scenario.catalog import ScenarioNotFound, find_scenario_id, in_language


@dataclass
class PlaySession:
    loaded: LoadedScenario
    game: Game
    player: str
    saves: SaveStore | None = None
    scenario_path: str | None = None
    archived: Path | None = field(default=None, init=False)
    saved_at: dt.datetime | None = field(default=None, init=False)
    practice: bool = False
    """Undo and rewind allowed; the run log is marked practice (never ranked)."""
    game_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    """The game's own id, kept in its run log (its learning records' registration)."""
    pending_moves: tuple[str, ...] = ()
    """With --watch: moves made before an edit that no longer fit the scenario. The next
    reload tries them again, so a temporary mistake in the file loses nothing; a move
    the player makes instead takes their place."""

    @classmethod
    def start(
        cls,
        loaded: LoadedScenario,
        seed: int,
        player: str | None = None,
        *,
        saves: SaveStore | None = None,
        practice: bool = False,
        team: tuple[str, ...] = (),
    ) -> PlaySession:
        """A new game of `loaded` with `seed` (in practice mode if `practice`; a team game
        with a seat for each of `team`)."""
        game = Game(loaded.scenario, seed, scenario_hash=loaded.content_hash, team=team)
        path = str(loaded.file) if loaded.file else None
        session = cls(loaded, game, clean_player_name(player), saves, path, practice=practice)
        session.save()
        return session

    @classmethod
    def resume(cls, saves: SaveStore, scenario_id: str) -> PlaySession | None:
        """The unfinished game of `scenario_id` in `saves`, replayed; None if there is none.

        Raises :class:`SaveError` (with the save moved aside, not lost) if it is
        corrupt or no longer fits its scenario.
        """
        save = saves.read_autosave(scenario_id)
        return None if save is None else cls.from_save(saves, save)

    @classmethod
    def resume_all(cls, saves: SaveStore) -> tuple[list[PlaySession], list[SaveError]]:
        """Every unfinished game in `saves`, newest first, and the saves that failed."""
        found, problems = saves.unfinished()
        sessions = []
        for save in found:
            try:
                sessions.append(cls.from_save(saves, save))
            except SaveError as error:
                problems.append(error)
        return sessions, problems

    @classmethod
    def from_save(cls, saves: SaveStore, save: Save) -> PlaySession:
        """Replay `save`; :class:`SaveError` (the save moved aside) if it no longer fits."""
        log = save.log
        try:
            if save.scenario_path and Path(save.scenario_path).is_file():
                loaded = in_language(load_scenario(save.scenario_path))
            else:
                loaded = find_scenario_id(log.scenario)  # never a path the save names
            game = replay(loaded.scenario, log, scenario_hash=loaded.content_hash)
        except (ScenarioError, ScenarioNotFound, ReplayError) as error:
            kept = saves.set_aside(save.path, "mismatch")
            raise SaveError(
                f"the saved game of '{log.scenario}' cannot be resumed: {error}. "
                f"It was kept as {kept}",
                kept,
            ) from None
        save = saves.adopt(save)  # an old single save moves to its scenario's place
        session = cls(
            loaded,
            game,
            clean_player_name(log.player),
            saves,
            save.scenario_path,
            practice=log.practice,
        )
        if log.game_id is not None:
            session.game_id = log.game_id
        session.saved_at = save.saved_at
        return session

    def step(self, choice_id: str) -> list[LogEntry]:
        """Play one choice and save at once (atomically), so a killed process loses no
        move; archive when the game ends."""
        result = self.game.step(choice_id)
        if self.pending_moves:  # the same move as before the edit, or a new path
            same = self.pending_moves[0] == choice_id
            self.pending_moves = self.pending_moves[1:] if same else ()
        if result.finished:
            self.finish()
        else:
            self.save()
        return list(result.entries)

    def run_log(self) -> RunLog:
        """The game's run log, with the player's name, marked practice if it is."""
        log = self.game.run_log(player=self.player)
        return replace(log, practice=self.practice, game_id=self.game_id)

    def save(self) -> None:
        """Write the autosave now (it holds every choice made so far)."""
        if self.saves is not None and not self.game.finished:
            self.saves.write_autosave(self.run_log(), self.scenario_path)
            self.saved_at = dt.datetime.now()

    def finish(self) -> None:
        if self.saves is not None and self.archived is None:
            self.archived = self.saves.finish(self.run_log())

    def add_notes(self, notes: tuple[str, ...]) -> None:
        """Keep the player's reflection with the finished game's archived run log."""
        if self.archived is not None and notes:
            add_archived_notes(self.archived, notes)

    def restart(self) -> PlaySession:
        """The same scenario and seed, from the start."""
        return PlaySession.start(
            self.loaded, self.game.seed, self.player, saves=self.saves, practice=self.practice
        )

    # ------------------------------------------------------------------ practice

    def turn_starts(self) -> dict[int, int]:
        """For each turn reached, how many choices had been made when it began."""
        starts = {1: 0}
        for count, choice in enumerate(self.game.choices_made, 1):
            if choice == END:
                starts.setdefault(len(starts) + 1, count)
        return {turn: count for turn, count in starts.items() if turn <= self.game.turn}

    def rewind(self, count: int) -> None:
        """Practice: go back to the game as it was after its first `count` choices."""
        if not self.practice:
            raise PracticeOnly("undo and rewind are for practice games (rapport play --practice)")
        choices = list(self.game.choices_made[: max(0, count)])
        self.game, _applied = replay_prefix(
            self.loaded.scenario,
            self.game.seed,
            choices,
            scenario_hash=self.game.scenario_hash,
        )
        self.save()

    def undo(self) -> bool:
        """Practice: take back the last choice (a move, an answer or an ended turn); False if
        there is none."""
        if not self.game.choices_made:
            return False
        self.rewind(len(self.game.choices_made) - 1)
        return True


class PracticeOnly(ValueError):
    """Undo or rewind asked of a game that is not a practice game."""


__all__ = ["PlaySession", "PracticeOnly", "SaveError", "default_saves"]


@dataclass(frozen=True)
class Reloaded:
    """A scenario file read again after an edit (`--watch`), with the game so far
    replayed onto it: `applied` of its `total` moves still fit."""

    loaded: LoadedScenario
    session: PlaySession | None
    applied: int = 0
    total: int = 0


def reload_session(path: str | Path, session: PlaySession | None) -> Reloaded:
    """Read the edited scenario at `path` and replay `session`'s moves onto it, as many
    as still fit; :class:`ScenarioError` if the edit broke the scenario (nothing changes).

    The moves that do not fit are kept as the new session's `pending_moves`, and the
    next reload tries them again: fixing a mistake brings every move back.
    """
    loaded = load_scenario(path)
    if session is None:
        return Reloaded(loaded, None)
    old = session.game
    moves = [*old.choices_made, *session.pending_moves]
    game, applied = replay_prefix(loaded.scenario, old.seed, moves)
    replayed = PlaySession(
        loaded,
        game,
        session.player,
        session.saves,
        str(Path(path).resolve()),
        game_id=session.game_id,
        pending_moves=tuple(moves[applied:]),
    )
    return Reloaded(loaded, replayed, applied, len(moves))
