"""Plain mode: the same game as lines of text out and typed commands in.

`rapport play SCENARIO --plain` runs this instead of the full-screen app: for screen
readers and braille displays (no drawing, no escape sequences, no colour), and for
scripts and tests that drive the game through a pipe. The commands are the app's
keys, typed as text and ended with Enter: a person's letter and a move's number
(`k2` or `k 2`), a number to answer an event, `e` to end the turn, plus words:
`help`, `board`, `log`, `debrief`, `quit` (and `undo`, `rewind N` in practice).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from game.common.i18n import _
from game.engine import END, BoardView, Game, LogEntry, RunLog
from game.play import plain_text as text
from game.play.move_keys import RESERVED, Group, MoveKeys
from game.play.reflection import QUESTIONS, Reflection, beside
from game.play.room_hook import PAUSED, RoomHook
from game.play.session import PlaySession


def help_text() -> str:
    """The commands, for `help`."""
    return _("""\
Commands (type one, then Enter):
  a letter and a number, such as k2 or k 2: play that move (each person has a letter, kept all game)
  a letter alone: list that person's moves
  a number: answer the event waiting for you
  e or end: end the turn
  board: the whole board again; log: the last lines of what happened
  debrief or d: the debrief so far; help or ?: this list; quit or q: stop (the game is saved)
Practice games also have: undo (take back the last choice), rewind N (back to the start of turn N).
Numbers: trust and loyalty go from 0% to 100%. Company loyalty is what keeps the customer when a
cheaper offer comes; satisfaction is how happy they are, and a satisfied customer can still leave.
Loyalty that survives a walk is what would remain if the person it depends on most left.""")


#: Log lines shown by `log`.
LOG_LINES = 15
#: Seconds between two looks at a paused room.
PAUSE_POLL = 0.5

Out = Callable[[str], None]
Submit = Callable[[RunLog], str]
"""Puts a finished workshop game on its board; returns the line to show."""


class PlainGame:
    """One game played through lines of text."""

    def __init__(
        self,
        session: PlaySession,
        out: Out,
        *,
        workshop: str | None = None,
        analyse: bool = True,
        room: RoomHook | None = None,
        submit: Submit | None = None,
    ) -> None:
        self.session = session
        self.out = out
        self.workshop = workshop
        self.analyse = analyse
        """After the game, run the expert's analysis (a few seconds)."""
        self.room = room
        """In a live workshop: the trainer's pause, events and end of the round."""
        self.submit = submit
        self.stopped = False
        """The trainer ended the round: the game goes no further."""
        order = {action.id: i for i, action in enumerate(session.game.scenario.actions)}
        self.keys = MoveKeys(order)
        self.groups: list[Group] = []

    @property
    def game(self) -> Game:
        """The session's game (a new one after an undo or a rewind)."""
        return self.session.game

    # ------------------------------------------------------------------ showing

    def say(self, *lines: str) -> None:
        for line in lines:
            self.out(line)

    def briefing(self) -> None:
        scenario = self.game.scenario
        self.say(f"{scenario.title}.", scenario.briefing.strip(), "", _("Your goal:"))
        self.say(scenario.goal.strip(), "", _("Type help for the commands."), "")

    def board(self) -> BoardView:
        board = self.game.view()
        self.groups = self.keys.groups(board)
        return board

    def show_board(self) -> None:
        board = self.board()
        self.say(text.status_line(board, workshop=self.workshop))
        self.say(*text.metrics_lines(board))
        self.say(_("The customer's people:"))
        self.say(*(text.person_line(row, board) for row in board.people))
        self.say(*text.in_play_lines(board))
        self.show_next(board)

    def show_next(self, board: BoardView) -> None:
        """The event to answer, or the moves to choose from."""
        if board.pending is not None:
            event = self.game.pending_event
            body = self.game.fill(event.text, None, event.target) if event else ""
            self.say(*text.event_lines(board, " ".join(body.split())))
        else:
            self.say(_("Your moves:"))
            self.say(*text.move_lines(self.groups, self.keys.closed_why, board))

    def show_entries(self, entries: list[LogEntry]) -> None:
        self.say(*text.log_lines(entries))

    # ------------------------------------------------------------------ playing

    def run(self, lines: Iterator[str], *, resumed: bool = False) -> int:
        """Play until the game ends, the player quits or the input ends; the exit code."""
        if resumed:
            self.say(
                _("Continuing your unfinished game of {title} ({turn_name} {turn}).").format(
                    title=self.game.scenario.title,
                    turn_name=self.board().turn_name.lower(),
                    turn=self.game.turn,
                )
            )
        else:
            self.briefing()
        self.show_board()
        if self.room is not None:
            self.room.report(self.session)
        while not self.game.finished and not self.stopped:
            self.out("> ")
            line = next(lines, None)
            if line is None:
                self.say("", self.saved_words())
                return 0
            if not self.command(line.strip()):
                self.say(self.saved_words())
                return 0
        if self.stopped:
            self.debrief_so_far()
            return 0
        self.finished(lines)
        return 0

    def saved_words(self) -> str:
        return _("Your game is saved: run the same command to continue it.")

    def command(self, line: str) -> bool:
        """Carry out one typed command; False to stop."""
        word = line.lower()
        if not word:
            self.say(_("Type a move's keys (such as k2), e to end the turn, or help."))
            return True
        if word in ("q", "quit", "exit"):
            return False
        if word in ("?", "help"):
            self.say(help_text())
        elif word in ("board", "look"):
            self.show_board()
        elif word == "log":
            self.say(*text.log_lines(self.game.log_entries[-LOG_LINES:]))
        elif word in ("d", "debrief"):
            self.debrief_so_far()
        elif word in ("m", "map"):
            self.say(
                _("The story map is drawn in the full-screen game (rapport play without --plain).")
            )
        elif word == "undo" or word.startswith("rewind"):
            self.practise(word)
        elif word in ("e", "end"):
            self.play(END)
        else:
            self.pick(word)
        return True

    def pick(self, word: str) -> None:
        """A move's keys, a person's letter, or an event's answer number."""
        board = self.board()
        compact = word.replace(" ", "")
        if board.pending is not None:
            if compact.isdigit() and 1 <= int(compact) <= len(board.pending.answers):
                self.play(board.pending.answers[int(compact) - 1].id)
            else:
                self.say(
                    _("Answer the event first: a number from 1 to {last}.").format(
                        last=len(board.pending.answers)
                    )
                )
            return
        letter, number = compact[:1], compact[1:]
        group = next((g for g in self.groups if g.letter == letter), None)
        if group is None or letter in RESERVED:
            self.say(
                _("No move has the keys {keys}. Type board to see them, or help.").format(
                    keys=repr(word)
                )
            )
            return
        if not number:
            self.say(*text.move_lines([group], self.keys.closed_why, board)[:-1])
            return
        if not number.isdigit() or not 1 <= int(number) <= len(group.moves):
            self.say(
                _("{group} has moves 1 to {last}.").format(
                    group=group.heading, last=len(group.moves)
                )
            )
            return
        choice = group.moves[int(number) - 1]
        why = self.keys.closed_why.get(choice.id)
        if why is not None:
            self.say(_("Not now: {move}: {why}.").format(move=choice.label, why=why))
            return
        self.play(choice.id)

    def play(self, choice_id: str) -> None:
        if self.game.pending_event is not None and choice_id == END:
            self.say(_("Answer the event first."))
            return
        if choice_id == END and not self.turn_may_end():
            return
        turn = self.game.turn
        entries = self.session.step(choice_id)
        if self.room is not None:
            self.room.report(self.session)
        self.show_entries(entries)
        if self.game.finished:
            return
        if self.game.turn != turn:
            self.show_board()
        else:
            board = self.board()
            self.say(text.status_line(board, workshop=self.workshop))
            self.say(*text.in_play_lines(board))
            if board.pending is not None:
                self.show_next(board)

    def turn_may_end(self) -> bool:
        """In a live room: wait while the trainer has paused it, take the trainer's events,
        and stop if the round has ended. False when the turn must not end."""
        if self.room is None:
            return True
        told = False
        while True:
            word = self.room.before_turn_ends(self.session)
            if word.ended is not None:
                self.say(word.ended)
                self.stopped = True
                return False
            if not word.paused:
                break
            if not told:
                self.say(PAUSED)
                told = True
            time.sleep(PAUSE_POLL)
        if told:
            self.say(_("Your trainer has resumed the room."))
        self.say(*word.news)
        return True

    def practise(self, word: str) -> None:
        if not self.session.practice:
            self.say(_("Undo and rewind are for practice games: rapport play SCENARIO --practice."))
            return
        if word == "undo":
            if self.session.undo():
                self.say(_("Took back your last choice."))
                self.show_board()
            else:
                self.say(_("Nothing to take back."))
            return
        starts = self.session.turn_starts()
        argument = word.removeprefix("rewind").strip()
        if not argument.isdigit() or int(argument) not in starts:
            self.say(
                _("Rewind to the start of which turn? rewind 1 to rewind {last}.").format(
                    last=max(starts)
                )
            )
            return
        self.session.rewind(starts[int(argument)])
        self.say(_("Back at the start of turn {turn}.").format(turn=argument))
        self.show_board()

    def debrief_so_far(self) -> None:
        from game.play.debrief import make_debrief, to_markdown

        self.say(to_markdown(make_debrief(self.game, self.session.player)))

    def finished(self, lines: Iterator[str]) -> None:
        """The game is over: the debrief, the player's reflection first, then the expert's
        view beside it; the whole saved as Markdown."""
        from game.play.debrief import (
            DebriefExportError,
            export_debrief,
            make_debrief,
            to_markdown,
            turning_points_markdown,
        )

        debrief = make_debrief(self.game, self.session.player)
        debrief.seed_hidden = self.workshop is not None
        self.say("", to_markdown(debrief), "")
        self.say(_("Before the expert's view, two questions for you (Enter skips one)."))
        answers = []
        for question in QUESTIONS:
            self.say(question)
            self.out("> ")
            answers.append(next(lines, None) or "")
        reflection = Reflection.from_answers(*answers)
        debrief.reflection = reflection.notes()
        self.session.add_notes(debrief.reflection)
        if self.analyse:
            from game.coach.analysis import analyse

            self.say(_("The expert is replaying your decisions; this takes a few seconds."))
            debrief.analysis = analyse(
                self.game.scenario,
                self.session.run_log(),
                scenario_hash=self.game.scenario_hash,
            )
            self.say(*beside(reflection, debrief.analysis))
            self.say(*turning_points_markdown(debrief.analysis))
        if self.submit is not None:
            self.say("", self.submit(self.session.run_log()))
        try:
            path = export_debrief(debrief, workshop=self.workshop)
        except DebriefExportError as error:
            self.say(_("The debrief could not be saved: {error}").format(error=error))
        else:
            self.say(
                "", _("This debrief, with your answers, is saved as {path}.").format(path=path)
            )
