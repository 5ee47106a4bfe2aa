"""YAML bombs are refused at once: within 2 s and 200 MB, with a located line.

Anchors and aliases ("billion laughs"), merge keys (`<<`) that merge merges, aliases
inside their own anchors and very wide aliasing: each file is small, and would
expand to millions of values; or nests thousands of levels deep. Each is validated in
a fresh process that measures its own time and peak memory, so the bounds are the
validator's alone.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

MEGABYTES = 200


def alias_bomb() -> str:
    text = "rapport: 1\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for level, previous in zip("bcdefghij", "abcdefghi", strict=True):
        text += f"{level}: &{level} [{', '.join([f'*{previous}'] * 10)}]\n"
    return text


def merge_bomb() -> str:
    """Each level merges the one before ten times: PyYAML's own merging doubles its work
    at every level (a 13 KB file of this kind once took 38 s and 2.6 GB)."""
    keys = ", ".join(f"k{i}: {i}" for i in range(40))
    text = f"rapport: 1\nl0: &l0 {{{keys}}}\n"
    for level in range(1, 40):
        merged = ", ".join([f"*l{level - 1}"] * 10)
        text += f"l{level}: &l{level} {{<<: [{merged}], x{level}: {level}}}\n"
    return text


def merge_chain_bomb() -> str:
    """Merges of mappings that hold aliases of lists."""
    text = "rapport: 1\nbase: &base [" + ", ".join(["word"] * 100) + "]\n"
    text += "m0: &m0 {" + ", ".join(f"k{i}: *base" for i in range(100)) + "}\n"
    for level in range(1, 30):
        previous = f"*m{level - 1}"
        text += f"m{level}: &m{level} {{<<: {previous}, again{level}: [{previous}, {previous}]}}\n"
    return text


def wide_bomb() -> str:
    """Almost a megabyte of aliases of one list of a thousand values."""
    text = "rapport: 1\nbase: &base [" + ", ".join(["x"] * 1000) + "]\nwide: ["
    return text + ", ".join(["*base"] * 140_000) + "]\n"


BOMBS = {
    "aliases": (alias_bomb, "R112 the file expands to more than 200,000 values"),
    "merge-keys": (merge_bomb, "R112 the file expands to more than 200,000 values"),
    "merges-of-aliases": (merge_chain_bomb, "R112 the file expands to more than 200,000"),
    "wide-aliases": (wide_bomb, "R112 the file expands to more than 200,000 values"),
    # Deep nesting, which would crash a parser that recurses in C.
    "nested-dashes": (lambda: "rapport: 1\na:\n  " + "- " * 200_000 + "x\n", "R113"),
    "nested-keys": (lambda: "rapport: 1\na:\n  " + "? " * 200_000 + "x\n", "R113"),
    "nested-brackets": (lambda: "rapport: 1\na: " + "[" * 20_000 + "]" * 20_000, "R113"),
    "alias-in-itself": (lambda: "rapport: 1\na: &a [1, *a]\n", "R112 an alias refers to"),
    "merge-of-itself": (lambda: "rapport: 1\na: &a {x: 1, <<: *a}\n", "R112 an alias refers"),
}

MEASURE = textwrap.dedent("""\
    import json, resource, sys, time
    from game.scenario import ScenarioError, load_scenario
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    try:
        load_scenario(sys.argv[1])
        lines = []
    except ScenarioError as error:
        lines = [str(p) for p in error.problems]
    seconds = time.perf_counter() - start
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    print(json.dumps({"seconds": seconds, "megabytes": grown, "lines": lines}))
""")


@pytest.mark.parametrize("name", list(BOMBS))
def test_expansion_bombs_are_refused_in_little_memory(name: str, tmp_path: Path) -> None:
    make, expected = BOMBS[name]
    path = tmp_path / f"{name}.yaml"
    path.write_text(make())
    assert path.stat().st_size < 1024 * 1024
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result = json.loads(done.stdout)
    (line,) = result["lines"]
    assert re.match(rf"^{re.escape(str(path))}:\d+:\d+: ", line), line
    assert expected in line, line
    # How quickly is for the machine to say, not a test: a bomb that hangs the loader
    # fails on the subprocess's timeout; one that swells it fails here.
    assert result["megabytes"] < MEGABYTES, result


@pytest.mark.parametrize("cost", ["4.9e-324", "2.2250738585072014e-308", "1e-300", "0.0", "100"])
def test_a_cost_at_the_edges_of_float_never_raises(cost: str) -> None:
    """A subnormal or tiny cost once made the moves-per-turn check divide to infinity and
    raise OverflowError in validate, simulate, map, balance and play."""
    from game.bots import make_bot, play
    from game.engine import Game
    from game.scenario import ScenarioError, parse_scenario
    from tests.conftest import scenario_text

    text = scenario_text().replace(
        "    cost: 1\n    by: team", f"    cost: {cost}\n    by: team", 1
    )
    try:
        loaded = parse_scenario(text, "edge.yaml")
    except ScenarioError as error:
        assert "edge.yaml:" in str(error)  # refused with a located message
        return
    for bot in ("relationship-builder", "random"):
        game = play(Game(loaded.scenario, 1, narrate=False), make_bot(bot))
        assert game.finished
