"""Numbers that tell the truth: parts that add up, like-for-like comparisons, and a
rep-walk test about the loyalty actually there."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from game.app.screens.debrief import breakdown_table, walk_text
from game.bots import make_bot, play
from game.engine import Game
from game.play.debrief import bot_runs, make_debrief, rounded_to_total, to_markdown
from game.scenario.catalog import load_bundled


@given(st.lists(st.floats(min_value=0, max_value=400), min_size=1, max_size=7))
def test_rounded_parts_add_up_to_the_rounded_total(values: list[float]) -> None:
    total = round(sum(values))
    shown = rounded_to_total(values, total)
    assert sum(shown) == total
    assert all(abs(s - v) < 1 for s, v in zip(shown, values, strict=True))


def test_the_debrief_parts_add_up_on_screen_and_in_markdown() -> None:
    game = play(Game(load_bundled("loyalty-force").scenario, 5), make_bot("random"))
    debrief = make_debrief(game, "Ada")
    table = breakdown_table(debrief)
    points = [int(cell) for cell in table.columns[2]._cells[:-1]]  # the last row is the total
    assert sum(points) == debrief.score.total
    markdown = to_markdown(debrief)
    rows = [line for line in markdown.splitlines() if line.startswith("| ") and "%" not in line]
    assert f"**{debrief.score.total}**" in markdown
    assert rows


def test_the_debrief_so_far_compares_the_bots_at_the_same_turn() -> None:
    scenario = load_bundled("sand-supplier").scenario
    game = Game(scenario, 4)
    while game.turn < 6:
        game.step(game.choices()[0].id if game.pending_event else "end")
    runs = bot_runs(game)
    whole = Game(scenario, 4, narrate=False)
    play(whole, make_bot("relationship-builder"))
    builder = next(r for r in runs if r.bot == "relationship-builder")
    at_six = Game(scenario, 4, narrate=False)
    play(at_six, make_bot("relationship-builder"), until_turn=6)
    assert at_six.turn == 6 and not at_six.finished
    assert builder.score == at_six.score().total != whole.score().total


def test_the_walk_test_speaks_of_the_loyalty_there_is() -> None:
    game = play(Game(load_bundled("loyalty-giveaway").scenario, 2), make_bot("lone-star"))
    debrief = make_debrief(game, "Ada")
    text = walk_text(debrief).plain
    if debrief.walk and debrief.walk[0].before >= 0.005:
        first = debrief.walk[0]
        assert f"from {first.before * 100:.0f}% to {first.left * 100:.0f}%" in text
        assert abs(first.left - first.before * first.kept) < 1e-9
    else:
        assert "no company loyalty left" in text


def test_with_everyone_gone_the_walk_test_says_so_not_100_percent() -> None:
    scenario = load_bundled("sand-supplier").scenario
    game = play(Game(scenario, 1), make_bot("idle"))
    debrief = make_debrief(game, "Ada")
    debrief.walk = []  # what make_debrief lists when no one holds loyalty any more
    text = walk_text(debrief).plain
    assert "100%" not in text
    assert "no company loyalty left" in text


def test_the_walk_test_names_you_as_you_and_only_people_whose_leaving_costs() -> None:
    """No line about a teammate who never met the customer, none that says "2% → 2%"."""
    game = play(Game(load_bundled("tutorial").scenario, 3), make_bot("lone-star"))
    debrief = make_debrief(game, "Ada")
    assert debrief.walk and all(t.before - t.left >= 0.005 for t in debrief.walk)
    (mine,) = [t for t in debrief.walk if t.you]
    text = walk_text(debrief).plain
    assert f"If you ({mine.name}, {mine.role}) left today" in text
    assert "Nobody else on your side holds loyalty of their own" in text
    assert len({(t.before, t.left) for t in debrief.walk}) == len(debrief.walk)


def test_satisfaction_of_those_still_buying_and_of_those_who_left_is_told_apart() -> None:
    game = play(Game(load_bundled("loyalty-giveaway").scenario, 3), make_bot("lone-star"))
    debrief = make_debrief(game, "Ada")
    assert debrief.defections
    line = debrief.satisfaction_apart()
    assert line.startswith("Satisfaction of the people still buying: ")
    assert f"of the {len(debrief.defections)} who left" in line
    assert line in to_markdown(debrief)
    assert "| Company loyalty | " in to_markdown(debrief) and "| 0." not in to_markdown(debrief)
