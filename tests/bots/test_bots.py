"""Built-in and custom bots, and the lessons the bundled scenarios must teach."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import pytest

from game.bots import BUILTIN_BOTS, BotError, CustomBotError, make_bot, play
from game.engine import Game
from game.results import SATISFIED, lesson_metrics
from game.scenario import parse_scenario
from tests.conftest import scenario_text

SEEDS = range(100)


@pytest.mark.parametrize("name", sorted(BUILTIN_BOTS))
def test_every_builtin_bot_finishes_every_bundled_scenario(name: str, sand, director) -> None:
    for loaded in (sand, director):
        game = play(Game(loaded.scenario, 3, scenario_hash=loaded.content_hash), make_bot(name))
        assert game.finished


def test_lone_star_only_ever_acts_through_the_player(sand) -> None:
    game = play(Game(sand.scenario, 2), make_bot("lone-star"))
    actors = {
        c.split(":")[1]
        for c in game.choices_made
        if c.count(":") >= 1 and not c.startswith(("event:", "intro:"))
    }
    assert actors <= {"you"}


def test_discounter_only_moves_price_and_programmes(sand) -> None:
    game = play(Game(sand.scenario, 2), make_bot("discounter"))
    actions = {c.split(":")[0] for c in game.choices_made if not c.startswith(("event:", "end"))}
    assert actions <= {"volume_discount", "rebate_programme"}
    assert actions  # it did use them


def test_constellation_spreads_trust_over_the_team(sand) -> None:
    lone = [play(Game(sand.scenario, s), make_bot("lone-star")).metrics() for s in range(20)]
    team = [play(Game(sand.scenario, s), make_bot("constellation")).metrics() for s in range(20)]
    assert statistics.fmean(m["concentration"] for m in team) < statistics.fmean(
        m["concentration"] for m in lone
    )
    assert statistics.fmean(m["resilience"] for m in team) > statistics.fmean(
        m["resilience"] for m in lone
    )


def runs(loaded, bot: str) -> list[dict[str, float]]:
    return [
        lesson_metrics(
            play(Game(loaded.scenario, s, scenario_hash=loaded.content_hash), make_bot(bot))
        )
        for s in SEEDS
    ]


def test_sand_supplier_relationships_beat_discounts_over_100_seeds(sand) -> None:
    builder, discounter = runs(sand, "relationship-builder"), runs(sand, "discounter")
    loyalty_b = statistics.fmean(r["company_loyalty"] for r in builder)
    loyalty_d = statistics.fmean(r["company_loyalty"] for r in discounter)
    assert loyalty_b > loyalty_d + 0.2, (loyalty_b, loyalty_d)
    defections_b = statistics.fmean(r["defections"] for r in builder)
    defections_d = statistics.fmean(r["defections"] for r in discounter)
    assert defections_b < defections_d / 2, (defections_b, defections_d)


def test_sand_supplier_most_defectors_were_satisfied_when_they_left(sand) -> None:
    defections = satisfied = 0
    for bot in BUILTIN_BOTS:
        for seed in range(30):
            game = play(Game(sand.scenario, seed), make_bot(bot))
            defections += len(game.state.defections)
            satisfied += sum(d.satisfaction >= SATISFIED for d in game.state.defections)
    assert defections > 50
    assert satisfied / defections > 0.5


def test_director_to_ceo_the_ceo_needs_the_chain_of_introductions(director) -> None:
    game = Game(director.scenario, 1)
    assert not game.nodes["ceo"]["met"]
    assert not any(c.target == "ceo" for c in game.choices())
    for bot in ("idle", "discounter"):
        assert all(r["reached.ceo"] == 0 for r in runs(director, bot))
    builder = runs(director, "relationship-builder")
    assert statistics.fmean(r["reached.ceo"] for r in builder) > 0.5


def test_the_ceo_is_only_ever_met_after_the_senior_vp(director) -> None:
    for seed in range(30):
        game = play(Game(director.scenario, seed), make_bot("relationship-builder"))
        intros = [c for c in game.choices_made if c.startswith("intro:")]
        if "intro:svp:ceo" in intros:
            assert intros.index("intro:svp:ceo") > min(
                intros.index(c) for c in intros if c.endswith(":svp")
            )


BOT_FILE = """
NAME = "first-choice"
calls = 0

def reset(seed):
    global calls
    calls = 0

def choose(view):
    global calls
    calls += 1
    return view.choices[0].id
"""


def test_custom_bot_from_a_python_file(tmp_path: Path, sand) -> None:
    path = tmp_path / "first.py"
    path.write_text(BOT_FILE)
    bot = make_bot(str(path))
    assert bot.name == "first-choice"
    game = play(Game(sand.scenario, 1), bot)
    assert game.finished and bot.module.calls == len(game.choices_made)


def test_the_bot_in_the_docs_runs_and_replays(tmp_path: Path, rapport) -> None:
    """The example in docs/bots.md, copied as a trainer would, through the CLI."""
    doc = (Path(__file__).parents[2] / "docs" / "bots.md").read_text()
    source = doc.split("```python\n", 1)[1].split("```", 1)[0]
    (tmp_path / "cautious.py").write_text(source)
    args = ("simulate", "sand-supplier", "--bot", "cautious.py", "--seed", "4", "--json")
    first, again = rapport(*args), rapport(*args)
    assert first.returncode == 0, first.stderr
    assert first.stdout == again.stdout  # seeded from the game: the same run twice
    result = json.loads(first.stdout)
    assert result["bot"] == "cautious"
    assert result["final"]["company_loyalty"] > 0


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("def choose(view):\n    return 42\n", "chose 42"),
        ("def choose(view):\n    return 1 / 0\n", "bad.py:2: choose() failed: ZeroDivisionError"),
        ("x = (\n", "bad.py:1:"),
        ("import no_such_module_anywhere\n", "importing failed: ModuleNotFoundError"),
        ("def decide(view):\n    return 'end'\n", "defines no function choose(view)"),
        ("def choose(view):\n    return 'intro:nobody:nowhere'\n", "chose 'intro:nobody:nowhere'"),
    ],
)
def test_broken_custom_bots_give_a_clear_error(
    tmp_path: Path, sand, source: str, message: str
) -> None:
    path = tmp_path / "bad.py"
    path.write_text(source)
    with pytest.raises((BotError, CustomBotError)) as caught:
        play(Game(sand.scenario, 1), make_bot(str(path)))
    assert message in str(caught.value)


def test_a_bot_that_never_ends_its_turn_is_stopped(tmp_path: Path) -> None:
    free = """\
  - id: doodle
    label: Doodle
    behaviour: other
    cost: 0
    targets: none
    per_turn: 100000
    effects:
      - log: doodling
"""
    text = scenario_text().replace("\nactions:\n", "\nactions:\n" + free, 1)
    scenario = parse_scenario(text, "free.yaml").scenario
    path = tmp_path / "stuck.py"
    path.write_text("def choose(view):\n    return 'doodle:you'\n")
    with pytest.raises(BotError, match="without ending it"):
        play(Game(scenario, 1), make_bot(str(path)))


def test_unknown_bot_name_suggests_the_nearest() -> None:
    with pytest.raises(CustomBotError, match="did you mean 'discounter'"):
        make_bot("discount")
