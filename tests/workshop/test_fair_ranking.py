"""Fair ranking: par on every entry, rank by score minus par, created workshops, first attempts.

Against real boards: a SQLite file and a database on the session's PostgreSQL server.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.bots import make_bot, play
from game.engine import Game
from game.scenario.catalog import load_bundled
from game.workshop.board import Workshop, open_board
from game.workshop.formats import as_csv, as_json
from game.workshop.par import PAR_BOT
from game.workshop.submit import SubmissionError, Submitter
from game.workshop.workshops import new_workshop
from tests.workshop.conftest import BACKENDS, POSTGRES

both = pytest.mark.parametrize("board_location", BACKENDS, indirect=True)


def bot_log(bot: str, seed: int, scenario: str = "sand-supplier", player: str = "x") -> str:
    loaded = load_bundled(scenario)
    game = Game(loaded.scenario, seed, scenario_hash=loaded.content_hash, narrate=False)
    return play(game, make_bot(bot)).run_log(player=player).to_json()


def bot_score(bot: str, seed: int) -> int:
    loaded = load_bundled("sand-supplier")
    game = Game(loaded.scenario, seed, scenario_hash=loaded.content_hash, narrate=False)
    return play(game, make_bot(bot)).score().total


@both
def test_par_is_the_reference_bots_score_and_par_ranking_takes_the_seed_out(
    board_location, finished_logs
) -> None:
    assert PAR_BOT == "relationship-builder"
    expected = []
    with open_board(board_location) as board:
        submitter = Submitter(board)
        for seed in range(10):
            done = submitter.submit(
                finished_logs[seed].read_bytes(), workshop="mixed", name=f"seed {seed}"
            )
            par = bot_score("relationship-builder", seed)  # played here, independently
            assert done.par == par
            expected.append((f"seed {seed}", done.score, par, done.score - par))
        by_score = board.standings(workshop="MIXED")
        by_par = board.standings(workshop="MIXED", rank="par")
    assert [(s.entry.player, s.entry.score, s.entry.par, s.entry.margin) for s in by_par] == sorted(
        expected, key=lambda row: -row[3]
    )
    assert [s.entry.player for s in by_score] == [
        row[0] for row in sorted(expected, key=lambda row: -row[1])
    ]
    assert [s.rank for s in by_par] == list(range(1, 11))
    # The seeds' luck reorders the board: idle play on seed 3 (267 points, par 516)
    # beats idle play on seed 5 (295 points, par 776) only when par is taken into account.
    score_order = [s.entry.player for s in by_score]
    par_order = [s.entry.player for s in by_par]
    assert score_order.index("seed 5") < score_order.index("seed 3")
    assert par_order.index("seed 3") < par_order.index("seed 5")


@both
def test_first_attempt_only_keeps_the_first_game(board_location, finished_logs) -> None:
    weak = finished_logs[5].read_bytes()  # idle on seed 5
    strong = bot_log("relationship-builder", 5)
    with open_board(board_location) as board:
        board.create_workshop(
            new_workshop("first", "sand-supplier", seed=5, first_attempt_only=True)
        )
        submitter = Submitter(board)
        first = submitter.submit(weak, workshop="first", name="Ada")
        second = submitter.submit(strong, workshop="first", name="Ada")
        bob = submitter.submit(strong, workshop="first", name="Bob")
        assert first.counts and not second.counts and bob.counts
        assert (second.rank, second.players, bob.rank, bob.players) == (1, 1, 1, 2)
        strong_score = bot_score("relationship-builder", 5)
        for rank in ("score", "par"):
            standings = board.standings(workshop="FIRST", rank=rank)
            assert [(s.entry.player, s.entry.score, s.games) for s in standings] == [
                ("Bob", strong_score, 1),
                ("Ada", first.score, 2),  # her first game, not her better second
            ]
            assert standings[1].entry.id == first.entry_id
        # The same games in an ordinary workshop: each player's best ranks.
        submitter.submit(weak, workshop="best", name="Ada")
        submitter.submit(strong, workshop="best", name="Ada")
        assert [(s.entry.player, s.entry.score) for s in board.standings(workshop="BEST")] == [
            ("Ada", strong_score)
        ]
        assert board.integrity() == "ok"


@both
def test_a_created_workshop_takes_only_its_scenario_version_and_seed(
    board_location, finished_logs
) -> None:
    with open_board(board_location) as board:
        board.create_workshop(
            Workshop(
                "HIDDEN",
                "sand-supplier",
                load_bundled("sand-supplier").content_hash,
                987_654_321,
                seed_hidden=True,
                first_attempt_only=False,
            )
        )
        submitter = Submitter(board)
        with pytest.raises(SubmissionError, match="not played on workshop HIDDEN's seed") as error:
            submitter.submit(finished_logs[3].read_bytes(), workshop="hidden")
        assert "987654321" not in str(error.value)  # the refusal never tells the seed
        with pytest.raises(SubmissionError, match="plays scenario 'sand-supplier'"):
            submitter.submit(bot_log("idle", 987_654_321, "director-to-ceo"), workshop="hidden")
        foreign = json.loads(bot_log("idle", 987_654_321)) | {"scenario_hash": "sha256:" + "2" * 64}
        with pytest.raises(SubmissionError, match="different version"):
            submitter.submit(json.dumps(foreign), workshop="hidden")
        assert board.count() == 0
        done = submitter.submit(bot_log("idle", 987_654_321), workshop="hidden", name="Ada")
        assert done.rank == 1 and board.count() == 1
        (standing,) = board.standings(workshop="HIDDEN")
        assert standing.seed_hidden
        rows = json.loads(as_json([standing]))
        assert rows[0]["seed"] is None and rows[0]["seed_hidden"] is True
        assert "987654321" not in as_csv([standing])


def test_a_workshop_without_a_seed_gets_a_fresh_hidden_one() -> None:
    seeds = {new_workshop("w", "sand-supplier").seed for _ in range(5)}
    assert len(seeds) > 1  # random, not a fixed default
    record = new_workshop("w", "sand-supplier")
    assert record.seed_hidden and record.code == "W"
    assert record.scenario_hash == load_bundled("sand-supplier").content_hash
    assert not new_workshop("w", "sand-supplier", seed=7).seed_hidden


@pytest.mark.parametrize("board_location", [POSTGRES], indirect=True)
def test_sqlite_and_postgres_give_the_same_leaderboard(
    board_location: str, tmp_path: Path, finished_logs
) -> None:
    """The same submissions, in the same order, make the same boards and exports."""
    strong = {seed: bot_log("relationship-builder", seed) for seed in (2, 4)}
    plan: list[tuple[str | bytes, str, str]] = []
    for index, log in enumerate(finished_logs[:12]):
        plan.append((log.read_bytes(), "open", f"player {index % 7}"))  # repeats: best kept
    plan += [(strong[2], "open", "player 1"), (strong[4], "open", "star")]
    plan += [(finished_logs[4].read_bytes(), "first", "ann"), (strong[4], "first", "ann")]
    plan += [(strong[4], "first", "bo"), (finished_logs[4].read_bytes(), "first", "cy")]
    boards = {}
    for name, location in (("sqlite", tmp_path / "same.db"), ("postgres", board_location)):
        with open_board(location) as board:
            board.create_workshop(
                new_workshop("first", "sand-supplier", seed=4, first_attempt_only=True)
            )
            submitter = Submitter(board)
            results = [submitter.submit(log, workshop=w, name=who) for log, w, who in plan]
            views = {}
            for rank in ("score", "par"):
                for workshop in (None, "OPEN", "FIRST"):
                    standings = board.standings(workshop=workshop, rank=rank)
                    views[rank, workshop] = (
                        [
                            (
                                s.rank,
                                s.entry.player,
                                s.entry.workshop,
                                s.entry.score,
                                s.entry.par,
                                s.entry.seed,
                                s.games,
                                s.seed_hidden,
                            )
                            for s in standings
                        ],
                        _without_time(as_csv(standings)),
                        [row | {"time": ""} for row in json.loads(as_json(standings))],
                    )
            boards[name] = (
                [(r.player, r.score, r.par, r.rank, r.players, r.counts) for r in results],
                views,
                [(w.code, w.record, w.players, w.games) for w in _no_times(board.workshops())],
                board.count(),
            )
    assert boards["sqlite"] == boards["postgres"]
    assert boards["sqlite"][3] == len(plan)


def _without_time(csv_text: str) -> list[str]:
    return [line.rsplit(",", 1)[0] for line in csv_text.splitlines()]


def _no_times(summaries: list) -> list:
    import dataclasses

    return [
        dataclasses.replace(s, record=dataclasses.replace(s.record, created="")) if s.record else s
        for s in summaries
    ]
