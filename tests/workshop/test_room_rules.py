"""The live room's rules on a real board: what a submission must honour, who gets a
trainer's event, par with the same events, and the room's discussion prompts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.bots import make_bot, play
from game.engine import END, Game, RunLog
from game.play.session import PlaySession
from game.scenario.catalog import load_bundled
from game.workshop.board import open_board
from game.workshop.live import LiveRoom
from game.workshop.par import par_by_turn, par_score
from game.workshop.room_control import RoomControl
from game.workshop.room_debrief import room_prompts
from game.workshop.submit import SubmissionError, Submitter
from game.workshop.workshops import new_workshop

CODE = "RULES"
SCENARIO = "loyalty-giveaway"
SEED = 7


def _end_turn(room: LiveRoom, session: PlaySession) -> None:
    while session.game.pending_event is not None:
        session.step(session.game.choices()[0].id)
        room.report(session)
    word = room.before_turn_ends(session)
    assert not word.paused and word.ended is None
    session.step(END)
    room.report(session)


@pytest.fixture
def board(tmp_path: Path):
    with open_board(tmp_path / "board.db") as store:
        store.create_workshop(new_workshop(CODE, SCENARIO, seed=SEED))
        yield store


def _session(player: str) -> PlaySession:
    return PlaySession.start(load_bundled(SCENARIO), SEED, player)


def test_a_game_takes_the_trainers_event_only_if_it_was_playing_when_it_came(board) -> None:
    early, room = _session("Early"), LiveRoom(board, CODE)
    room.report(early)
    _end_turn(room, early)
    RoomControl(board, CODE).inject("resignation")
    late, late_room = _session("Late"), LiveRoom(board, CODE)
    late_room.report(late)
    word = room.before_turn_ends(early)
    assert word.news == ("Your trainer has put an event into the game: Vince resigns.",)
    assert late_room.before_turn_ends(late).news == ()
    assert [i.event for i in early.game.injected] == ["resignation"]
    assert late.game.injected == ()


def test_a_submission_must_carry_the_trainers_events_and_no_others(board) -> None:
    session, room = _session("Ada"), LiveRoom(board, CODE)
    room.report(session)
    _end_turn(room, session)
    RoomControl(board, CODE).inject("resignation")
    while not session.game.finished:
        _end_turn(room, session)
    log = session.run_log()
    data = json.loads(log.to_json())
    submitter = Submitter(board)
    forged = dict(data, injected=[{"id": 1, "event": "rumour", "turn": 3}])
    with pytest.raises(SubmissionError, match="did not put into the games"):
        submitter.submit(json.dumps(forged), workshop=CODE)
    done = submitter.submit(log.to_json(), workshop=CODE)
    assert done.par == par_score(load_bundled(SCENARIO), SEED, injected=log.injected)
    assert done.par != par_score(load_bundled(SCENARIO), SEED)  # the bot met the event too


def test_a_submission_cannot_leave_out_an_event_the_game_reported(board) -> None:
    loaded = load_bundled(SCENARIO)
    session, room = _session("Bo"), LiveRoom(board, CODE)
    room.report(session)
    _end_turn(room, session)
    RoomControl(board, CODE).inject("rumour")
    _end_turn(room, session)  # the game now reports the event
    # A log of the same seed played without it, finished by a bot.
    other = play(Game(loaded.scenario, SEED, scenario_hash=loaded.content_hash), make_bot("idle"))
    with pytest.raises(SubmissionError, match="leaves out an event"):
        Submitter(board).submit(other.run_log(player="Bo").to_json(), workshop=CODE)


def test_after_the_round_ends_a_scored_game_is_not_taken_again(board) -> None:
    session, room = _session("Cy"), LiveRoom(board, CODE)
    room.report(session)
    _end_turn(room, session)
    (ended,) = RoomControl(board, CODE).end()
    assert (ended.player, ended.turn, ended.problem) == ("Cy", 2, None)
    word = room.before_turn_ends(session)
    assert word.ended == "Your trainer ended the round: your game was scored as it stood in turn 2."
    (entry,) = board.entries(workshop=CODE)
    assert not entry.finished
    assert entry.par == par_by_turn(load_bundled(SCENARIO), SEED)[1]
    while not session.game.finished:
        session.step(END if session.game.pending_event is None else session.game.choices()[0].id)
    with pytest.raises(SubmissionError, match="scored as it stood in turn 2"):
        Submitter(board).submit(session.run_log().to_json(), workshop=CODE)


def test_par_as_each_turn_begins_ends_with_par() -> None:
    loaded = load_bundled(SCENARIO)
    pars = par_by_turn(loaded, SEED)
    assert len(pars) == loaded.scenario.turns + 1
    assert pars[-1] == par_score(loaded, SEED)
    assert pars[4] == par_score(loaded, SEED, until_turn=5)


def test_the_room_debrief_is_built_from_the_rooms_own_games() -> None:
    loaded = load_bundled(SCENARIO)
    logs = []
    for bot in ("relationship-builder", "discounter", "lone-star", "idle"):
        game = play(Game(loaded.scenario, SEED, scenario_hash=loaded.content_hash), make_bot(bot))
        logs.append(game.run_log().to_json())
    prompts = room_prompts(loaded, logs)
    titles = [p.title for p in prompts]
    assert titles[0].startswith("The room split on “")
    assert any(t.startswith("Where most of the room lost loyalty:") for t in titles)
    assert any(t.startswith("What leaked the most:") for t in titles)
    split = prompts[0].finding
    assert " of 4 chose “" in split and "company loyalty now" in split
    assert all(p.question for p in prompts)
    alone = room_prompts(loaded, [*logs[:1], "not a run log"])
    assert [p.title for p in alone] == ["Not enough games yet"]


def test_a_paused_room_holds_every_turn_until_it_resumes(board) -> None:
    session, room = _session("Di"), LiveRoom(board, CODE)
    room.report(session)
    control = RoomControl(board, CODE)
    control.pause()
    assert room.before_turn_ends(session).paused
    control.resume()
    assert not room.before_turn_ends(session).paused
    assert RunLog.from_json(board.live_game(CODE, "Di").run_log).player == "Di"
