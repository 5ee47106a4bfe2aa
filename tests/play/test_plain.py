"""`rapport play --plain`: the game as lines of text through a pipe, practice games, and
the reflection that comes before the expert's view."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from game.engine import END, RunLog
from game.play.plain import PlainGame
from game.play.reflection import Reflection, beside
from game.play.session import PlaySession, PracticeOnly
from game.scenario.catalog import load_bundled

#: Enough lines to play the tutorial to its end: a call, then each week ended, events
#: answered with their first answer; then the two reflection answers.
TUTORIAL = ["j1", "e", "1", "e", "e", "e", "e"]


def plain(home: Path, *args: str, lines: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RAPPORT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("TERM", None)
    return subprocess.run(
        [sys.executable, "-m", "game", "play", *args, "--plain"],
        input="".join(line + "\n" for line in lines),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_tutorial_is_played_to_the_debrief_through_a_pipe(rapport_home: Path) -> None:
    answers = ["Turn 3: I would ask Jo to introduce me to Ruth", "Priya to stay"]
    result = plain(rapport_home, "tutorial", "--seed", "3", lines=[*TUTORIAL, *answers])
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in out and "\x1b" not in result.stderr
    assert "Week 1 of 5." in out and "No score yet" in out
    assert "j1, 1h: Call Jo" in out and "Event: The grinder jams." in out
    assert "## Score:" in out and "Which turn would you play differently" in out
    # The reflection comes before the analysis, and the analysis answers it.
    assert out.index("You would play differently: Turn 3") > out.index("Which turn would you")
    assert "## Against the expert" in out and "The gap is" in out
    assert "The expert agrees that turn 3 mattered" in out or "At turn 3 the expert" in out
    (archived,) = (rapport_home / "saves" / "runs").glob("tutorial-seed3-*.json")
    log = RunLog.from_json(archived.read_text())
    assert log.notes == (
        "I would play differently: Turn 3: I would ask Jo to introduce me to Ruth",
        "I expected: Priya to stay",
    )
    assert not log.practice
    (exported,) = (rapport_home / "debriefs").glob("tutorial-seed3-*.md")
    markdown = exported.read_text()
    assert "## Your reflection" in markdown and "I expected: Priya to stay" in markdown
    assert markdown.index("## Your reflection") < markdown.index("## Against the expert")


def test_keys_that_name_nothing_or_a_closed_move_play_nothing(rapport_home: Path) -> None:
    result = plain(rapport_home, "tutorial", "--seed", "3", lines=["x9", "j9", "j1", "j1", "q"])
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "No move has the keys 'x9'" in out
    assert "has moves 1 to" in out
    assert out.count("Call Jo Okoro: Jo Okoro's trust in you") == 1
    assert "Not now: Call Jo Okoro: done this turn." in out
    assert "Your game is saved" in out


def test_the_game_is_saved_when_the_input_ends_and_continues_next_time(
    rapport_home: Path,
) -> None:
    first = plain(rapport_home, "tutorial", lines=["j1"])
    assert first.returncode == 0 and "Your game is saved" in first.stdout
    again = plain(rapport_home, "tutorial", lines=["quit"])
    assert again.returncode == 0, again.stderr
    assert "Continuing your unfinished game of Tutorial" in again.stdout
    assert "Time left 4 of 5h" in again.stdout


def test_plain_needs_a_scenario_and_refuses_practice_in_a_workshop(rapport_home: Path) -> None:
    env = {**os.environ, "RAPPORT_HOME": str(rapport_home)}
    for args, needle in (
        ([], "--plain needs a SCENARIO"),
        (["tutorial", "--workshop", "w", "--practice"], "--practice cannot be used"),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "game", "play", *args, "--plain"],
            env=env,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=60,
        )
        assert result.returncode == 2 and needle in result.stderr, result.stderr
        assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- practice


def test_practice_undoes_a_move_and_rewinds_to_the_start_of_a_turn(rapport_home: Path) -> None:
    result = plain(
        rapport_home,
        "tutorial",
        "--seed",
        "3",
        "--practice",
        lines=["j1", "undo", "p1", "e", "1", "rewind 1", "q"],
    )
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Took back your last choice." in out and "Back at the start of turn 1." in out
    save = rapport_home / "saves" / "autosaves" / "tutorial.json"
    data = json.loads(save.read_text())
    assert data["practice"] is True and data["choices"] == []


def test_undo_and_rewind_are_for_practice_games_only() -> None:
    loaded = load_bundled("tutorial")
    session = PlaySession.start(loaded, 3, "Ada")
    session.step("call:you:head")
    try:
        session.undo()
    except PracticeOnly as error:
        assert "practice" in str(error)
    else:
        raise AssertionError("a ranked game was rewound")
    practice = PlaySession.start(loaded, 3, "Ada", practice=True)
    practice.step("call:you:head")
    practice.step(END)
    assert practice.turn_starts() == {1: 0, 2: 2}
    practice.rewind(practice.turn_starts()[2])
    assert practice.game.turn == 2 and practice.run_log().practice
    assert practice.undo() and practice.game.turn == 1
    assert practice.game.choices_made == ["call:you:head"]


def test_plain_lines_hold_no_escape_or_drawing_characters() -> None:
    loaded = load_bundled("loyalty-giveaway")
    lines: list[str] = []
    game = PlainGame(PlaySession.start(loaded, 967136, "Ada"), lines.append, analyse=False)
    game.run(iter(["board", "help", "log", "e", "1", "e", "q"]))
    text = "\n".join(lines)
    assert "\x1b" not in text
    assert not set(text) & set("│─┌┐└┘█▁▂▃▄▅▆▇⚠↓✓✗")


def test_the_analysis_is_shown_beside_the_players_own_answer() -> None:
    from game.coach.analysis_report import Analysis

    reflection = Reflection.from_answers("turn 4, call Priya", "that she would stay")
    assert reflection.turn == 4
    assert Reflection.from_notes(reflection.notes()) == reflection
    empty = Analysis.model_validate(
        {
            "scenario": "tutorial",
            "scenario_hash": "sha256:x",
            "seed": 1,
            "log": "sha256:y",
            "finished": True,
            "score": 500,
            "decisions": 5,
            "differed": 0,
            "moments": [],
            "takeaways": [],
            "settings": {"forks": 2, "horizon": None, "continuation": "relationship-builder"},
        }
    )
    lines = beside(reflection, empty)
    assert lines[0] == "You would play differently: turn 4, call Priya"
    assert "At turn 4, as everywhere, the expert found no clear loss." in lines
