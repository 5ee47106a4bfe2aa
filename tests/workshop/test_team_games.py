"""An account team of trainees: two seats, two copies of one game, kept the same through
the team's log on the board; the finished game replays and ranks like any other."""

from __future__ import annotations

import contextlib
import random
from pathlib import Path

from game.engine import END, RunLog, replay
from game.engine.game import team_members
from game.play.session import PlaySession
from game.scenario.catalog import load_bundled
from game.workshop.board import open_board
from game.workshop.submit import Submitter
from game.workshop.team_play import TeamLink

SCENARIO = "loyalty-giveaway"
SEED = 11
#: Rounds of keys (a move and a turn's end) a browser team game gets to reach its debrief:
#: the tutorial has 5 turns, so this is ample; a game still playing after it is stuck.
ROUNDS = 30


def _seat(db: Path, player: str) -> tuple[TeamLink, PlaySession]:
    board = open_board(db)
    team, seat = board.join_team("TEAMS", None, player, size=2, scenario=SCENARIO, seed=SEED)
    return TeamLink(board, team, seat), PlaySession.start(
        load_bundled(SCENARIO),
        team.seed,
        player,
        team=team_members(load_bundled(SCENARIO).scenario)[:2],
    )


def test_two_seats_play_one_game_and_it_replays_and_ranks(tmp_path: Path) -> None:
    db = tmp_path / "board.db"
    ada_link, ada = _seat(db, "Ada")
    bo_link, bo = _seat(db, "Bo")
    assert (ada_link.seat, bo_link.seat) == (0, 1)
    assert ada_link.refresh().players == ("Ada", "Bo") and ada_link.refresh().full
    rolls = random.Random(4)
    seen_from_bo: list[str] = []
    for _ in range(2000):
        if ada.game.finished:
            break
        for link, session in ((ada_link, ada), (bo_link, bo)):
            game = session.game
            if game.finished or link.seat in link.ready:
                continue
            own = [c for c in game.choices() if link.owns(game, c) and c.id != END]
            if own and (game.pending_event is not None or rolls.random() < 0.7):
                link.play(rolls.choice(own).id)
            elif game.pending_event is None:
                link.end_turn()
        ada_news = ada_link.sync(ada).news
        bo_link.sync(bo)
        seen_from_bo += [line for line in ada_news if line.startswith("Bo: ")]
        assert ada.game.choices_made == bo.game.choices_made
    assert ada.game.finished and bo.game.finished
    assert seen_from_bo  # Ada saw Bo's moves as they were played
    actors = {
        c.split(":")[1]
        for c in ada.game.choices_made
        if c.count(":") >= 1 and not c.startswith(("event", "intro"))
    }
    assert "vince" in actors and "you" in actors  # both seats played
    log = ada.run_log()
    assert log.team == ("you", "vince")
    from game.play.debrief import make_debrief, to_markdown

    debrief = make_debrief(ada.game, "Ada & Bo", ("Ada", "Bo"))
    assert [line.split(" played ")[0] for line in debrief.team] == ["Ada", "Bo"]
    assert "Bo played Vince Morrow" in debrief.team[1] and " moves, " in debrief.team[1]
    assert "## The team" in to_markdown(debrief)
    again = replay(load_bundled(SCENARIO).scenario, RunLog.from_json(log.to_json()))
    assert again.score().total == ada.game.score().total == bo.game.score().total
    with open_board(db) as board:
        done = Submitter(board).submit(log.to_json(), workshop="TEAMS", name=ada_link.name)
    assert done.player == "Ada & Bo" and done.rank == 1


def test_a_seat_cannot_play_its_teammates_moves_and_a_full_team_takes_no_one(
    tmp_path: Path,
) -> None:
    import pytest

    from game.workshop.board.team_tables import TeamFull

    db = tmp_path / "board.db"
    ada_link, ada = _seat(db, "Ada")
    bo_link, bo = _seat(db, "Bo")
    with open_board(db) as board:
        _again, seat = board.join_team(
            "TEAMS", ada_link.team.name, "Ada", size=2, scenario=SCENARIO, seed=SEED
        )
        assert seat == 0  # a player already seated keeps the seat
        with pytest.raises(TeamFull):
            board.join_team("TEAMS", ada_link.team.name, "Cy", size=2, scenario=SCENARIO, seed=SEED)
        other, cy_seat = board.join_team("TEAMS", None, "Cy", size=2, scenario=SCENARIO, seed=SEED)
        assert other.name != ada_link.team.name and cy_seat == 0
    while ada.game.pending_event is not None:
        ada_link.play(ada.game.choices()[0].id)
        ada_link.sync(ada)
    adas = next(c for c in ada.game.choices() if c.actor == "you")
    assert not bo_link.owns(bo.game, adas)
    bo_link.play(adas.id)  # forged: Bo plays one of Ada's moves
    bo_link.sync(bo)
    ada_link.sync(ada)
    assert adas.id not in ada.game.choices_made and adas.id not in bo.game.choices_made


def test_a_team_of_two_plays_over_real_websockets_and_lands_on_the_board(
    tmp_path: Path, rapport_home: Path
) -> None:
    """Two browser tabs of `rapport serve --team-size 2` form one team, play the tutorial
    to its end (the lead answers the events; both end each turn) and rank as one."""
    import asyncio

    import aiohttp

    from tests.workshop.test_serve_room import WAIT, serving, tab

    board = tmp_path / "team.db"

    async def play(url: str) -> tuple[str, str]:
        async with (
            aiohttp.ClientSession() as session,
            tab(session, url + "/ws?width=110&height=32") as ada,
            tab(session, url + "/ws?width=110&height=32") as bo,
        ):

            async def see(player, text: str) -> None:
                await asyncio.wait_for(player.wait_for(text), WAIT)

            await see(ada, "Tutorial")
            await see(bo, "Tutorial")
            await ada.keys("Ada\r")
            await see(ada, "Waiting for 1 more")
            await bo.keys("Bo\r")
            await see(ada, "you lead")
            await see(bo, "you play")
            for _round in range(ROUNDS):  # a move and a turn's end each, until the debrief
                if "is number 1 of 1" in ada.text and "hands the team" in bo.text:
                    break
                await ada.keys("1")
                await ada.keys("e")
                await bo.keys("e")
                for player in (ada, bo):
                    with contextlib.suppress(TimeoutError, asyncio.TimeoutError):
                        await asyncio.wait_for(player.wait_for("\x00never"), 0.4)
            else:
                raise AssertionError(f"no debrief after {ROUNDS} turns' keys: {ada.text[-3000:]}")
            return ada.text, bo.text

    with serving(
        rapport_home,
        tmp_path,
        "--workshop",
        "duo",
        "--scenario",
        "tutorial",
        "--seed",
        "5",
        "--team-size",
        "2",
        "--db",
        str(board),
    ) as room:
        ada_screen, bo_screen = asyncio.run(play(room.url))
    assert "Ada & Bo is number 1 of 1" in ada_screen
    assert "each trainee's part" in ada_screen and "Bo played" in bo_screen
    assert "Ada hands the team's game in" in bo_screen
    with open_board(board) as store:
        (standing,) = store.standings(workshop="DUO")
        (live,) = store.live_games("DUO")  # the team is one row of the trainer's console
    assert (live.player, live.status) == ("Ada & Bo", "finished")
    entry = standing.entry
    assert entry.player == "Ada & Bo"
    log = RunLog.from_json(entry.run_log)
    assert log.team == ("you", "trainer")
    assert replay(load_bundled("tutorial").scenario, log).score().total == entry.score
