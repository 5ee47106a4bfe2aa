"""`rapport validate` is a contract: what it accepts plays; what it refuses, it locates.

A seeded, bounded fuzz test: a few hundred mutants of every bundled scenario, made
by changing the parsed YAML (values swapped between places and types, keys deleted,
items repeated as YAML aliases, hostile conditions, odd effects and numbers). Each
mutant either fails validation with one located `FILE:LINE:COL: CODE message` line
per problem, or plays to the end under every quick built-in bot without an
exception (and a few short ones under the expert too).
"""

from __future__ import annotations

import copy
import random
import re
from collections.abc import Iterator
from typing import Any

import yaml

from game.bots import QUICK_BOTS, make_bot, play
from game.engine import Game
from game.scenario import LoadedScenario, ScenarioError, parse_scenario
from game.scenario.catalog import bundled_ids, bundled_text

SEED = 20_260_512
MUTANTS_PER_SCENARIO = 150
EXPERT_GAMES = 3
LOCATED = re.compile(r"^[^:\n]+:\d+:\d+: R\d{3} [^\n]+$")
DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

Path = tuple[Any, ...]

#: Conditions that once crashed the engine or the validator, or might.
HOSTILE_CONDITIONS = [
    'turn < "x"',
    '-"x" > 0',
    '"a" + 1 == 2',
    '"ab" * 1000000000 == "x"',
    "turn = 17",
    "10 ** 400 > turn",
    "9" * 400 + " > turn",
    "1e999 > turn",
    "(turn",
    "turn >",
    "turn / 0 > 0",
    "not 'x'",
    "'x'",
    "turn < 'a' < 3",
    "flag(stage) > 1",
    "flag(stage) == 'pilot'",
    "flag(level) * 100000000000000 * 100000000000000 * 0.5 > 1",
    "trust(x, y) + 'a' > 0",
    "-" * 300 + "1",
    "not " * 60 + "true",
    " + ".join(["revenue"] * 80) + " > 0",
]
NAMES = ["turn", "turns", "time_left", "satisfaction", "reliability", "share", "revenue"]
NAMES += ["sales", "company_loyalty", "promises_kept", "promises_broken", "defections"]
FUNCTIONS = ["trust", "loyalty", "satisfaction", "met", "defected", "active", "left", "flag"]
FUNCTIONS += ["milestone", "fired"]
ODD_VALUES: list[Any] = ["x", 0, -1, 1.5, True, None, [], {}, "", 10**30, 1e308, "0.5", "you"]
ODD_VALUES += ["{target", "{actor} and {target}", "a: b", "\x1b[31mred", 2**63, -(10**14)]


def walk(data: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    yield path, data
    if isinstance(data, dict):
        for key, value in list(data.items()):
            yield from walk(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from walk(value, (*path, index))


def get(data: Any, path: Path) -> Any:
    for part in path:
        data = data[part]
    return data


def put(data: Any, path: Path, value: Any) -> None:
    get(data, path[:-1])[path[-1]] = value


class Mutator:
    """Seeded mutations of a scenario's parsed YAML."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def ids(self, data: Any) -> list[str]:
        found = [v for p, v in walk(data) if p and p[-1] == "id" and isinstance(v, str)]
        return [*found, "firm", "player", "actor", "target", "all", "nobody"]

    def condition(self, data: Any, depth: int = 0) -> str:
        """A random condition over the scenario's own ids (and some that are not)."""
        rng = self.rng
        if depth > 3 or rng.random() < 0.3:
            roll = rng.random()
            if roll < 0.3:
                return rng.choice([*NAMES, "true", "false"])
            if roll < 0.5:
                return rng.choice(["0", "1", "0.5", "3", "-2", "'x'", "'pilot'", "99999999999999"])
            function = rng.choice(FUNCTIONS)
            args = [rng.choice([*self.ids(data), "stage", "level", "first_sale"])]
            if function == "trust":
                args.append(rng.choice(self.ids(data)))
            return f"{function}({', '.join(args)})"
        if rng.random() < 0.15:
            return f"{rng.choice(['not ', '-'])}({self.condition(data, depth + 1)})"
        op = rng.choice(["and", "or", "<", ">=", "==", "!=", "+", "-", "*", "/"])
        return f"({self.condition(data, depth + 1)}) {op} ({self.condition(data, depth + 1)})"

    def effect(self, data: Any) -> dict[str, Any]:
        rng = self.rng
        ids = self.ids(data)
        who = rng.choice(ids)
        return rng.choice(
            [
                {"leave": {"who": who}},
                {"leave": {"who": who, "to": rng.choice(ids)}},
                {"join": who},
                {"introduce": who},
                {"offer": {"competitor": rng.choice(ids), "who": who}},
                {"offer": {"competitor": rng.choice(ids)}},
                {"trust": {"who": who, "to": rng.choice(ids), "delta": rng.choice([-1, 1, 0.3])}},
                {"promise": {"who": [who], "gain": 1, "kept": [{"leave": {"who": who}}]}},
                {"satisfaction": rng.choice([-1, 1])},
                {"order": {"value": rng.choice([0, 1e9])}},
                {"discount": {"rate": 0.9, "turns": rng.choice([1, 1000])}},
                {"reliability": -1},
                {"flag": {rng.choice(["stage", "level"]): rng.choice(["pilot", 3, True, 2.5])}},
                {"log": "{actor} {target} {customer} {introducer}"},
            ]
        )

    def mutate(self, original: Any) -> Any:
        rng = self.rng
        data = copy.deepcopy(original)
        for _ in range(rng.randint(1, 3)):
            paths = [p for p, _ in walk(data) if p]
            path = rng.choice(paths)
            value = get(data, path)
            operation = rng.randrange(12)
            if operation == 0:  # another value from elsewhere, often shared: an alias
                other = get(data, rng.choice(paths))
                put(data, path, other if rng.random() < 0.5 else copy.deepcopy(other))
            elif operation == 1:  # a value of another type
                put(data, path, copy.deepcopy(rng.choice(ODD_VALUES)))
            elif operation == 2:  # a key or an item deleted
                parent = get(data, path[:-1])
                if isinstance(parent, dict) or len(parent) > 1:
                    del parent[path[-1]]
            elif operation == 3:  # an item repeated (the same object: an alias)
                parent = get(data, path[:-1])
                if isinstance(parent, list):
                    parent.append(parent[path[-1]])
            elif operation in (4, 5):  # a condition on a move or an event
                items = [*data.get("actions", []), *data.get("events", [])]
                items = [item for item in items if isinstance(item, dict)]
                if items:
                    when = (
                        rng.choice(HOSTILE_CONDITIONS) if operation == 4 else self.condition(data)
                    )
                    rng.choice(items)["when"] = when
            elif operation == 6 and isinstance(value, int | float) and not isinstance(value, bool):
                put(data, path, rng.choice([0, 1, 2, 0.5, 0.001, 0.999, 3, 100, value * 10]))
            elif operation == 7 and isinstance(value, str):
                put(data, path, value + rng.choice(["{target}", "{", "}", "{foo}", ": x", "\x07"]))
            elif operation == 8:  # an id where another id was
                if isinstance(value, str):
                    put(data, path, rng.choice(self.ids(data)))
            elif operation in (9, 10):  # an odd effect somewhere
                lists = [
                    v
                    for p, v in walk(data)
                    if p and p[-1] in ("effects", "kept", "broken") and isinstance(v, list)
                ]
                if lists:
                    rng.choice(lists).append(self.effect(data))
            elif operation == 11:  # cheap, repeatable moves: can a turn ever end?
                actions = [a for a in data.get("actions", []) if isinstance(a, dict)]
                if actions:
                    action = rng.choice(actions)
                    action["cost"] = rng.choice([0, 0, 0.01, 0.5])
                    action["per_turn"] = rng.choice([1, 5, 50, 200])
        return data


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=DUMPER, sort_keys=False, allow_unicode=True)


def test_every_mutant_is_refused_with_located_lines_or_plays_to_the_end() -> None:
    rng = random.Random(SEED)
    mutator = Mutator(rng)
    failures: list[str] = []
    counts = {"refused": 0, "played": 0}
    short: list[LoadedScenario] = []
    for scenario_id in bundled_ids():
        original = yaml.safe_load(bundled_text(scenario_id))
        for number in range(MUTANTS_PER_SCENARIO):
            mutant = mutator.mutate(original)
            try:
                text = dump(mutant)
            except yaml.YAMLError:
                continue
            name = f"{scenario_id}-{number}.yaml"
            try:
                loaded = parse_scenario(text, name)
            except ScenarioError as error:
                counts["refused"] += 1
                lines = [str(p) for p in error.problems]
                bad = [line for line in lines if not LOCATED.match(line)]
                if not lines or bad:
                    failures.append(f"{name}: not located: {bad or lines}\n{text}")
                continue
            except Exception as error:  # the validator itself must never fail
                failures.append(f"{name}: validating raised {error!r}\n{text}")
                continue
            counts["played"] += 1
            for bot in QUICK_BOTS:
                try:
                    game = play(Game(loaded.scenario, number, narrate=False), make_bot(bot))
                    assert game.finished
                except Exception as error:
                    failures.append(f"{name}: {bot} raised {error!r}\n{text}")
                    break
            if loaded.scenario.turns <= 8 and len(short) < EXPERT_GAMES:
                short.append(loaded)
    for number, loaded in enumerate(short):
        try:
            play(Game(loaded.scenario, number, narrate=False), make_bot("expert"))
        except Exception as error:
            failures.append(f"expert on a short mutant raised {error!r}")
    assert not failures, f"{len(failures)} failures; the first:\n" + "\n".join(failures[:2])
    # The mutants are worth their time: many are refused, and many still play.
    assert counts["refused"] >= MUTANTS_PER_SCENARIO and counts["played"] >= 100, counts
    assert short, "no short mutant for the expert"
