"""Built-in and custom bots, and the lessons the bundled scenarios must teach."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import pytest

from game.bots import BUILTIN_BOTS, QUICK_BOTS, BotError, CustomBotError, make_bot, play
from game.coach.results import SATISFIED, lesson_metrics
from game.engine import Game
from game.engine.view import GameView
from game.scenario import parse_scenario
from game.scenario.catalog import load_bundled
from game.scenario.models import BOT_NAMES
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


def turns_of(game: Game) -> list[list[str]]:
    """The choices made, one list per turn (each turn ends with `end`)."""
    turns: list[list[str]] = [[]]
    for choice in game.choices_made:
        turns[-1].append(choice)
        if choice == "end":
            turns.append([])
    return turns


def actors(choices: list[str]) -> set[str]:
    """Who did the actions among `choices` (action ids are `action:actor[:target]`)."""
    return {
        c.split(":")[1] for c in choices if c != "end" and not c.startswith(("event:", "intro:"))
    }


def targets(game: Game) -> set[str]:
    """Everyone the game's actions, introductions and non-default answers were aimed at."""
    answers = {c.id: c for rule in game._world.rules.events.values() for c in rule.choices}
    found = set()
    for choice in game.choices_made:
        if choice in answers:
            if not answers[choice].default and answers[choice].target:
                found.add(answers[choice].target)
        elif choice != "end" and choice.count(":") == 2:
            found.add(choice.rsplit(":", 1)[1])
    return found


def test_lone_star_hands_over_to_whoever_is_left_when_its_star_resigns() -> None:
    """In loyalty-giveaway Vince, the star, resigns in turn 12: until then only he acts,
    afterwards the bot keeps playing through the rest of the team."""
    giveaway = load_bundled("loyalty-giveaway")
    for seed in (1, 2):
        game = play(Game(giveaway.scenario, seed, narrate=False), make_bot("lone-star"))
        turns = turns_of(game)
        resigned = game.events_fired["resignation"]
        assert actors([c for turn in turns[: resigned - 1] for c in turn]) == {"vince"}
        after = [c for turn in turns[resigned:] for c in turn]
        assert any(c != "end" for c in after)
        assert actors(after) and "vince" not in actors(after)


def narrow_rank(view: GameView, person: str) -> tuple[float, int]:
    """Higher influence first, then fewer managers above."""
    above, boss = 0, view.manager(person)
    while boss is not None:
        above, boss = above + 1, view.manager(boss)
    return -view.influence(person), above


def test_narrow_only_works_with_the_two_it_ranks_highest(sand) -> None:
    """At every move: its target is one of the two highest-ranked people it can talk
    to, or, for an introduction, someone ranked above one of those two (anyone, while
    it can talk to fewer than two)."""
    for seed in (1, 2):
        game, bot = Game(sand.scenario, seed, narrate=False), make_bot("narrow")
        bot.reset(seed)
        view = GameView(game)
        while not game.finished:
            reachable = [
                p
                for p in view.stakeholders
                if view.met(p) and view.present(p) and not view.defected(p)
            ]
            top = sorted(reachable, key=lambda p: narrow_rank(view, p))[:2]
            choice = game.choice(bot.choose(view))
            if choice.kind == "introduction":
                if len(top) == 2:  # with fewer, anyone fills the gap
                    assert narrow_rank(view, choice.target) < narrow_rank(view, top[-1])
            elif choice.target is not None and not choice.default:
                assert choice.target in top, (game.turn, choice.id, top)
            game.step(choice.id)
        builder = play(Game(sand.scenario, seed, narrate=False), make_bot("relationship-builder"))
        assert 2 <= len(targets(game)) < len(targets(builder))


def test_narrow_breaks_ties_by_seniority_and_climbs_by_introduction() -> None:
    """buyer and vp weigh the same, but vp reports to nobody: the bot asks boss to
    introduce vp, then works with boss and vp and never with buyer again."""
    text = scenario_text(
        replace=(
            ("role: Director, influence: 0.5", "role: Director, influence: 0.4"),
            ("role: VP, influence: 0.2", "role: VP, influence: 0.3"),
        )
    )
    scenario = parse_scenario(text, "tie.yaml").scenario
    game = play(Game(scenario, 1, narrate=False), make_bot("narrow"))
    made = game.choices_made
    met_vp = made.index("intro:boss:vp")
    later = {c.rsplit(":", 1)[1] for c in made[met_vp + 1 :] if c.count(":") == 2}
    assert later == {"boss", "vp"}


def test_relationship_plus_discounts_makes_the_discounters_moves_and_builds_relationships(
    sand,
) -> None:
    behaviour = {a.id: a.behaviour.value for a in sand.scenario.actions}

    def moves(bot: str) -> tuple[list[str], bool]:
        game = play(Game(sand.scenario, 2, narrate=False), make_bot(bot))
        made = [
            behaviour[c.split(":")[0]]
            for c in game.choices_made
            if c.count(":") >= 1 and not c.startswith(("event:", "intro:"))
        ]
        return made, game.turn == game.turns

    (both, _), (discounter, to_the_end) = moves("relationship-plus-discounts"), moves("discounter")
    price = ("discount", "loyalty_program")
    priced = [b for b in both if b in price]
    # the discounter may lose everyone early: its moves are the first of the other's
    assert priced[: len(discounter)] == discounter
    if to_the_end:
        assert priced == discounter
    assert {"contact", "training", "business_review"} <= set(both)
    assert len(both) > 3 * len(discounter)


def test_every_builtin_bot_can_be_named_in_a_lesson() -> None:
    assert set(BUILTIN_BOTS) <= set(BOT_NAMES)
    assert {"relationship-plus-discounts", "narrow", "expert"} <= set(BOT_NAMES)


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
    for bot in QUICK_BOTS:  # the expert plays its own tests (tests/bots/test_expert.py)
        for seed in range(30):
            game = play(Game(sand.scenario, seed), make_bot(bot))
            defections += len(game.defections)
            satisfied += sum(d.satisfaction >= SATISFIED for d in game.defections)
    assert defections > 50
    assert satisfied / defections > 0.5


def test_director_to_ceo_the_ceo_needs_the_chain_of_introductions(director) -> None:
    game = Game(director.scenario, 1)
    assert not game._world.nodes["ceo"]["met"]
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
    per_turn: 100
    effects:
      - log: doodling
"""
    text = scenario_text().replace("\nactions:\n", "\nactions:\n" + free, 1)
    valid = parse_scenario(text, "free.yaml").scenario
    # The validator refuses a turn that could hold this many moves (R311); the engine's
    # own guard still has to stop a bot that never ends its turn.
    doodle = valid.actions[0].model_copy(update={"per_turn": 100000})
    scenario = valid.model_copy(update={"actions": [doodle, *valid.actions[1:]]})
    path = tmp_path / "stuck.py"
    path.write_text("def choose(view):\n    return 'doodle:you'\n")
    with pytest.raises(BotError, match="without ending it"):
        play(Game(scenario, 1), make_bot(str(path)))


def test_unknown_bot_name_suggests_the_nearest() -> None:
    with pytest.raises(CustomBotError, match="did you mean 'discounter'"):
        make_bot("discount")
