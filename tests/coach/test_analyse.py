"""Turning points: `rapport analyse`, the analysis itself, and the debrief's section."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from game.bots import make_bot, play
from game.cli.analyse_commands import format_analysis
from game.coach.analysis import (
    Analysis,
    AnalysisCancelled,
    AnalysisError,
    Moment,
    Move,
    Settings,
    analyse,
    decisions,
)
from game.engine import Game, ReplayError, RunLog
from game.play.debrief import make_debrief, to_markdown
from game.scenario import LoadedScenario
from game.scenario.catalog import load_bundled
from tests.conftest import MINI, Runner

#: Few forks keep the tests quick; the distinction between poor and expert play holds.
FORKS = "4"


def bot_log(loaded: LoadedScenario, bot: str, seed: int) -> RunLog:
    game = Game(loaded.scenario, seed, scenario_hash=loaded.content_hash, narrate=False)
    play(game, make_bot(bot))
    return game.run_log(bot=bot, player="Ada")


@pytest.fixture(scope="module")
def poor_log(sand: LoadedScenario) -> str:
    return bot_log(sand, "discounter", 2).to_json()


@pytest.fixture(scope="module")
def expert_log(sand: LoadedScenario) -> str:
    return bot_log(sand, "expert", 1).to_json()


def one_clear_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr


# ---------------------------------------------------------------- the command line


def test_a_poor_game_has_costly_turning_points(
    rapport: Runner, tmp_path: Path, poor_log: str
) -> None:
    (tmp_path / "poor.json").write_text(poor_log)
    result = rapport("analyse", "poor.json", "--json", "--forks", FORKS)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["scenario"] == "sand-supplier" and data["seed"] == 2
    assert isinstance(data["score"], int) and data["score"] < 500
    assert 3 <= len(data["moments"]) <= 5
    for moment in data["moments"]:
        assert {"turn", "choice", "expert", "loss", "why"} <= set(moment)
        assert isinstance(moment["turn"], int) and 1 <= moment["turn"] <= 24
        assert moment["loss"] > 0 and moment["choice"] != moment["expert"]
        assert moment["why"].startswith("The expert would have")
    turns = [m["turn"] for m in data["moments"]]
    assert turns == sorted(turns)
    assert len(data["takeaways"]) == 3 and all(isinstance(t, str) for t in data["takeaways"])
    assert data["settings"]["forks"] == int(FORKS)
    # The whole gap, on the same seed, and what the decisions account for.
    assert data["gap"] == pytest.approx(data["expert_score"] - data["score"], abs=0.2)
    assert data["gap"] > 100 and data["explained"] >= 0.6 * data["gap"]
    assert sum(p["loss"] for p in data["phases"]) == pytest.approx(data["explained"], abs=0.5)
    for moment in data["moments"]:
        assert isinstance(moment["on_seed"], float)
    assert "The gap is" in format_analysis(Analysis.model_validate(data))


@pytest.mark.parametrize(("bot", "seed"), [("discounter", 1), ("lone-star", 3), ("random", 2)])
def test_the_decisions_of_a_poor_game_explain_most_of_the_gap(bot: str, seed: int) -> None:
    loaded = load_bundled("tutorial")
    analysis = analyse(loaded.scenario, bot_log(loaded, bot, seed), forks=4)
    assert analysis.gap is not None and analysis.explained is not None
    assert analysis.gap > 20, analysis.gap
    assert analysis.explained >= 0.6 * analysis.gap, (analysis.explained, analysis.gap)


def test_the_expert_never_advises_a_move_that_was_not_open() -> None:
    """Each turning point's advised moves can be played one after the other in the real
    game as that turn's decision began."""
    loaded = load_bundled("loyalty-giveaway")
    log = bot_log(loaded, "lone-star", 1)
    analysis = analyse(loaded.scenario, log, forks=3)
    starts = {d.index: d for d in decisions(log.choices) if d.kind == "turn"}
    assert any(m.kind == "turn" and m.advised for m in analysis.moments)
    for moment in (m for m in analysis.moments if m.kind == "turn"):
        game = Game(loaded.scenario, log.seed)
        for index, choice in enumerate(log.choices):
            if index in starts and game.turn == moment.turn:
                break
            game.step(choice)
        for move in moment.advised:
            assert move.id in {c.id for c in game.choices()}, (moment.turn, move.label)
            game.step(move.id)


def test_every_departure_is_told_with_its_terms_and_what_would_have_kept_them() -> None:
    loaded = load_bundled("loyalty-giveaway")
    log = bot_log(loaded, "lone-star", 0)
    replayed = Game(loaded.scenario, log.seed)
    for choice in log.choices:
        replayed.step(choice)
    analysis = analyse(loaded.scenario, log, forks=3)
    assert [(d.who, d.turn) for d in analysis.departures] == [
        (r.who, r.turn) for r in replayed.defections
    ]
    assert analysis.departures
    for departure in analysis.departures:
        assert 0 <= departure.terms.loyalty <= 1 and departure.terms.chance is not None
        assert departure.futures == 3
        assert 0 <= departure.kept_in <= 3 and 0 <= departure.player_kept_in <= 3
        assert departure.instead
    lines = format_analysis(analysis)
    assert "Why they left" in lines and "would have kept them in" in lines


def test_the_experts_own_game_has_almost_no_turning_points(
    rapport: Runner, tmp_path: Path, expert_log: str
) -> None:
    (tmp_path / "expert.json").write_text(expert_log)
    result = rapport("analyse", "expert.json", "--forks", FORKS)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Turning points · sand-supplier · seed 1 · Ada")
    assert "Takeaways" in result.stdout
    moments = [line for line in result.stdout.splitlines() if "Expected loss" in line]
    assert len(moments) <= 1, result.stdout
    data = json.loads(rapport("analyse", "expert.json", "--json", "--forks", FORKS).stdout)
    assert abs(data["explained"]) < 25 and data["gap"] < 40, (data["explained"], data["gap"])


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("{not json", "not valid JSON"),
        ('{"format": "rapport-runlog", "version": 1}', '"scenario" must be a scenario id'),
        ("[1, 2, 3]", "not a run log"),
    ],
)
def test_a_corrupt_run_log_is_one_clear_error(
    rapport: Runner, tmp_path: Path, content: str, needle: str
) -> None:
    (tmp_path / "bad.json").write_text(content)
    one_clear_error(rapport("analyse", "bad.json"), "bad.json", needle)


def test_a_run_log_that_does_not_fit_its_scenario_is_one_clear_error(
    rapport: Runner, tmp_path: Path, poor_log: str
) -> None:
    data = json.loads(poor_log)
    data["choices"][3] = "teleport:you:buyer"
    (tmp_path / "cheat.json").write_text(json.dumps(data))
    one_clear_error(rapport("analyse", "cheat.json"), "choice 4 of", "teleport:you:buyer")
    data = json.loads(poor_log) | {"scenario_hash": "sha256:" + "0" * 64}
    (tmp_path / "old.json").write_text(json.dumps(data))
    one_clear_error(rapport("analyse", "old.json"), "different version")
    one_clear_error(rapport("analyse", "missing.json"), "missing.json: no such file")


def test_scenario_text_is_escaped_for_the_terminal() -> None:
    move = Move(id="x", label="Call \x1b[2J\u202eEve", behaviour="contact", cost=1.0)
    moment = Moment(
        turn=2,
        kind="turn",
        choice="\x1b]0;pwned\x07",
        expert="Call \x9bEve",
        loss=12.0,
        error=3.0,
        why="because",
        played=(move,),
    )
    analysis = _analysis(moments=(moment,), takeaways=("Do not neglect \x1b[5mEve",))
    text = format_analysis(analysis)
    assert "\x1b" not in text and "\x9b" not in text and "\x07" not in text
    assert "\\x1b]0;pwned\\x07" in text and "\\x9bEve" in text and "\\x1b[5mEve" in text


# ---------------------------------------------------------------- the analysis


def test_the_same_run_log_gives_the_same_analysis(mini: LoadedScenario) -> None:
    log = bot_log(mini, "random", 4)
    first = analyse(mini.scenario, log, forks=2)
    again = analyse(mini.scenario, RunLog.from_json(log.to_json()), forks=2)
    assert first == again
    assert first.decisions == len(decisions(log.choices)) == 6
    assert Analysis.from_json(first.to_json()) == first
    assert first.matches(log)
    assert not first.matches(bot_log(mini, "random", 5))


def test_progress_is_reported_and_raising_from_it_stops(mini: LoadedScenario) -> None:
    log = bot_log(mini, "idle", 1)
    seen: list[tuple[int, int]] = []
    analyse(mini.scenario, log, forks=2, progress=lambda done, total: seen.append((done, total)))
    assert seen[0][0] == 0 and seen[-1][0] == seen[-1][1]
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)

    def stop(done: int, total: int) -> None:
        if done >= 2:
            raise AnalysisCancelled

    with pytest.raises(AnalysisCancelled):
        analyse(mini.scenario, log, forks=2, progress=stop)


def test_a_log_of_another_scenario_is_refused(mini: LoadedScenario, sand) -> None:
    with pytest.raises(ReplayError, match="not 'mini'"):
        analyse(mini.scenario, bot_log(sand, "idle", 1), forks=2)


def test_a_saved_analysis_that_is_not_one_is_refused() -> None:
    for text in ("{", "[]", '{"format": "rapport-analysis"}', json.dumps({"x": 1})):
        with pytest.raises(AnalysisError, match="not an analysis"):
            Analysis.from_json(text)


def test_the_analysis_never_imports_textual() -> None:
    code = (
        "import sys, json; import game.coach.analysis; print(json.dumps(sorted(m for m in "
        "sys.modules if m.split('.')[0] in ('textual', 'rich'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_the_markdown_debrief_has_the_turning_points(mini: LoadedScenario) -> None:
    game = play(Game(mini.scenario, 1), make_bot("idle"))
    debrief = make_debrief(game, "Ada")
    assert "## Turning points" not in to_markdown(debrief)
    moment = Moment(
        turn=3, kind="turn", choice="no move", expert="Call *Bo*", loss=21.4, error=4.0, why="w"
    )
    debrief.analysis = _analysis(moments=(moment,), takeaways=("Call Bo more often.",))
    text = to_markdown(debrief)
    assert "## Turning points" in text and "**Turn 3**: about 21 points (± 4)" in text
    assert "The expert: Call \\*Bo\\*" in text and "- Call Bo more often." in text


def _analysis(*, moments: tuple[Moment, ...], takeaways: tuple[str, ...]) -> Analysis:
    return Analysis(
        scenario="mini",
        scenario_hash="sha256:0",
        seed=1,
        log="sha256:0",
        finished=True,
        score=400,
        decisions=6,
        differed=3,
        moments=moments,
        takeaways=takeaways,
        settings=Settings(forks=2, horizon=None, continuation="relationship-builder"),
    )


# ---------------------------------------------------------------- the debrief screen


async def test_the_final_debrief_shows_the_turning_points_and_keeps_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.console import Console
    from textual.widgets import Input, Static

    from game.app.app import RapportApp
    from game.app.screens.debrief import DebriefScreen, analysis_path
    from game.app.widgets.turning_points import TurningPoints
    from tests.app.conftest import open_game, screen_text, settle

    monkeypatch.setattr("game.app.screens.debrief.ANALYSIS_FORKS", 2)
    path = tmp_path / "mini.yaml"
    path.write_text(MINI)
    app = RapportApp(str(path), seed=3, player="Ada")
    async with app.run_test(size=(100, 40)) as pilot:
        await open_game(pilot, app)
        for _ in range(6):
            await pilot.press("1", "e")
            await pilot.pause()
        assert isinstance(app.screen, DebriefScreen) and app.screen.final
        await settle(pilot, app)
        section = app.screen.query_one(TurningPoints)
        # Reflection first: the expert's view waits for the trainee's own answers.
        assert not section.has_class("-done")
        assert "once you have answered" in str(
            section.query_one("#analysis-status", Static).content
        )
        app.screen.query_one("#reflect-0", Input).focus()
        await pilot.press(*"turn 2", "enter", *"more calls", "enter")
        await settle(pilot, app)
        assert section.has_class("-done")
        assert app.screen.debrief.reflection == (
            "I would play differently: turn 2",
            "I expected: more calls",
        )
        analysis = app.screen.debrief.analysis
        assert analysis is not None and analysis.decisions == 6
        app.screen.query_one("#debrief-body").scroll_to_widget(section, animate=False)
        await pilot.pause()
        assert "The expert replayed your 6 decisions" in screen_text(app)
        console = Console(width=100, record=True, file=io.StringIO())
        console.print(section.query_one("#turning-points", Static).content)
        assert "Takeaways" in console.export_text()
        app.save_screenshot(str(tmp_path / "debrief.svg"))
        assert app.session is not None and app.session.archived is not None
        saved = analysis_path(app.session.archived)
        assert saved.parent == app.session.archived.parent
        assert Analysis.from_json(saved.read_text()) == analysis
        kept = RunLog.from_json(app.session.archived.read_text())
        assert kept.notes == app.screen.debrief.reflection

        # Shown again, the debrief reads the saved analysis rather than working it out.
        def refuse(*args: object, **kwargs: object) -> None:
            raise AssertionError("the saved analysis was worked out again")

        monkeypatch.setattr("game.coach.analysis.analyse", refuse)
        app.action_debrief_so_far()
        await settle(pilot, app)
        assert app.screen.debrief.analysis == analysis
        assert app.screen.query_one(TurningPoints).has_class("-done")  # answered before
        assert app.screen.debrief.reflection == kept.notes


async def test_the_debrief_stays_usable_and_leaving_it_stops_the_analysis(
    tmp_path: Path, rapport_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import ProgressBar

    from game.app.app import RapportApp
    from game.app.screens.debrief import DebriefScreen
    from game.app.screens.play import PlayScreen
    from tests.app.conftest import open_game

    stopped = threading.Event()

    def endless(*args: object, progress, **kwargs: object) -> None:
        """An analysis that goes on until its progress callback stops it."""
        try:
            while True:
                progress(1, 10)
                time.sleep(0.01)
        finally:
            stopped.set()

    monkeypatch.setattr("game.coach.analysis.analyse", endless)
    path = tmp_path / "mini.yaml"
    path.write_text(MINI)
    app = RapportApp(str(path), seed=3, player="Ada")
    async with app.run_test(size=(100, 40)) as pilot:
        await open_game(pilot, app)
        for _ in range(6):
            await pilot.press("e")
            await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DebriefScreen) and screen.final
        await pilot.pause(0.2)
        (worker,) = [w for w in app.workers if w.group == "analysis"]
        assert worker.is_running
        assert screen.query_one(ProgressBar).progress == 1
        await pilot.press("x")  # the debrief answers keys meanwhile: export it
        await pilot.pause()
        assert list((rapport_home / "debriefs").glob("mini-seed3-*.md"))
        app.restart_now()
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert worker.is_cancelled
        assert stopped.wait(2), "the analysis went on after the debrief was left"
    assert not list((rapport_home / "saves" / "runs").glob("*.analysis.json"))


def test_the_help_names_the_default_forks() -> None:
    from game.cli.analyse_commands import analyse as command
    from game.coach.analysis import DEFAULT_FORKS

    (forks,) = [p for p in command.params if p.name == "forks"]
    assert f"(default {DEFAULT_FORKS};" in (forks.help or "")


def test_the_answer_is_the_same_on_one_process_and_on_several(
    rapport: Runner, tmp_path: Path, poor_log: str
) -> None:
    (tmp_path / "poor.json").write_text(poor_log)
    one = rapport("analyse", "poor.json", "--json", "--forks", FORKS, "--jobs", "1")
    two = rapport("analyse", "poor.json", "--json", "--forks", FORKS, "--jobs", "2")
    assert one.returncode == 0 and two.returncode == 0, one.stderr + two.stderr
    assert json.loads(one.stdout) == json.loads(two.stdout)
    assert json.loads(one.stdout)["moments"]
