"""Scripted scenario tests: given these moves on this seed, expect these outcomes.

A trainer writes them beside the scenario (`my-scenario.tests.yaml`, or any file given
to `rapport test --tests`):

```yaml
tests:
  - name: Jo introduces you to the owner by week 3
    seed: 1
    moves: [call:you:head, end, event:grinder:send_lena, call:you:head, intro:head:owner]
    expect:
      met: [owner]
      flags: { tasted: true }
      by_turn: { first_sale: 3 }
      at_least: { company_loyalty: 0.3 }
      at_most: { defections: 0 }
```

Moves are choice ids as run logs hold them (`end` ends a turn; an event's answer is
`event:EVENT:ANSWER`). The expectations are checked after the last move. Every
failure is one located line, `FILE:LINE:COL: message`, at the move or the
expectation that failed. No I/O here: the caller reads the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from game.engine import Game, InvalidChoice
from game.scenario.models import Scenario
from game.scenario.yaml_source import YamlError, YamlSource, parse_yaml

MAX_TESTS = 200
MAX_MOVES = 5_000
#: What `at_least` and `at_most` can read, besides the board's own metrics.
COUNTS = ("defections", "sales", "turn", "score")

Name = Annotated[str, Field(min_length=1, max_length=200)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Expect(_Model):
    met: list[Name] = Field(default_factory=list)
    """Customer people the player has met."""
    not_met: list[Name] = Field(default_factory=list)
    defected: list[Name] = Field(default_factory=list)
    flags: dict[Name, bool | float | str] = Field(default_factory=dict)
    by_turn: dict[Name, int] = Field(default_factory=dict)
    """Milestones (`first_sale`, `second_sale`) reached by this turn at the latest."""
    at_least: dict[Name, float] = Field(default_factory=dict)
    at_most: dict[Name, float] = Field(default_factory=dict)


class ScriptedTest(_Model):
    name: Name
    seed: int = Field(0, ge=0, le=2**63 - 1)
    moves: list[Name] = Field(default_factory=list, max_length=MAX_MOVES)
    expect: Expect = Expect()


class TestFile(_Model):
    tests: list[ScriptedTest] = Field(min_length=1, max_length=MAX_TESTS)


@dataclass(frozen=True)
class Failure:
    """One thing a test found wrong, and where in the tests file."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


@dataclass(frozen=True)
class Outcome:
    name: str
    failures: tuple[Failure, ...]

    @property
    def passed(self) -> bool:
        return not self.failures


def read_tests(text: str, path: str) -> tuple[TestFile, YamlSource]:
    """Parse a tests file; raise :class:`TestFileError` with located problems."""
    try:
        source = parse_yaml(text)
    except YamlError as error:
        where = error.position
        raise TestFileError([Failure(path, where.line, where.col, str(error))]) from None
    try:
        return TestFile.model_validate(source.data), source
    except ValidationError as error:
        failures = []
        for item in error.errors():
            loc = tuple(item["loc"])
            where = source.locate(loc)
            dotted = ".".join(str(part) for part in loc) or "the file"
            failures.append(Failure(path, where.line, where.col, f"{dotted}: {item['msg']}"))
        raise TestFileError(failures) from None


class TestFileError(ValueError):
    """A tests file that cannot be read; `failures` says where and why."""

    def __init__(self, failures: list[Failure]) -> None:
        super().__init__("\n".join(str(f) for f in failures))
        self.failures = failures


def run_tests(scenario: Scenario, tests: TestFile, source: YamlSource, path: str) -> list[Outcome]:
    """Play each test's moves on its seed and check what it expects."""
    outcomes = []
    for index, test in enumerate(tests.tests):
        fail = _Locator(source, path, ("tests", index), test.name)
        outcomes.append(Outcome(test.name, tuple(_run(scenario, test, fail))))
    return outcomes


@dataclass(frozen=True)
class _Locator:
    """Makes a test's failures, located in the tests file."""

    source: YamlSource
    path: str
    base: tuple[Any, ...]
    name: str

    def __call__(self, where: tuple[Any, ...], message: str) -> Failure:
        position = self.source.locate((*self.base, *where))
        return Failure(self.path, position.line, position.col, f"test {self.name!r}: {message}")


def _run(scenario: Scenario, test: ScriptedTest, fail: _Locator) -> list[Failure]:
    game = Game(scenario, test.seed, narrate=False)
    for number, move in enumerate(test.moves):
        if game.finished:
            return [fail(("moves", number), f"the game is over before move {number + 1}")]
        try:
            game.step(move)
        except InvalidChoice:
            if game.pending_event is not None and not move.startswith("event:"):
                waiting = game.pending_event.title
                answers = ", ".join(c.id for c in game.choices())
                why = f"the event {waiting!r} waits for an answer first ({answers})"
            else:
                shown = ", ".join(c.id for c in game.choices()[:8])
                why = f"it is not open at turn {game.turn} (open: {shown}, …)"
            return [fail(("moves", number), f"move {number + 1} {move!r} cannot be made: {why}")]
    return _check(game, test.expect, fail)


def _check(game: Game, expect: Expect, fail: _Locator) -> list[Failure]:
    """Every expectation the game does not meet, located in the test."""
    return [
        *_check_people(game, expect, fail),
        *_check_flags_and_milestones(game, expect, fail),
        *_check_values(game, expect, fail),
    ]


def _check_people(game: Game, expect: Expect, fail: _Locator) -> list[Failure]:
    """Who is met, who is not, and who defected."""
    found: list[Failure] = []
    nodes = game.graph.nodes
    people = {p.id for p in game.scenario.customer.people}
    for field_name, wanted in (("met", True), ("not_met", False)):
        for number, who in enumerate(getattr(expect, field_name)):
            if who not in people:
                found.append(fail(("expect", field_name, number), f"no customer person {who!r}"))
            elif bool(nodes[who].get("met")) != wanted:
                state = "not met" if wanted else "met"
                found.append(fail(("expect", field_name, number), f"{who} is {state}"))
    gone = {record.who for record in game.defections}
    for number, who in enumerate(expect.defected):
        if who not in gone:
            found.append(fail(("expect", "defected", number), f"{who} did not defect"))
    return found


def _check_flags_and_milestones(game: Game, expect: Expect, fail: _Locator) -> list[Failure]:
    """Flags' values, and milestones reached by a turn."""
    found: list[Failure] = []
    flags = game.flags
    for name, value in expect.flags.items():
        if flags.get(name, False) != value:
            got = flags.get(name, "not set")
            found.append(fail(("expect", "flags", name), f"flag {name} is {got!r}, not {value!r}"))
    milestones = game.milestones()
    for name, turn in expect.by_turn.items():
        if name not in milestones:
            found.append(fail(("expect", "by_turn", name), f"no milestone {name!r}"))
            continue
        reached = milestones[name]
        if reached is None or reached > turn:
            when = "never" if reached is None else f"at turn {reached}"
            found.append(fail(("expect", "by_turn", name), f"{name} reached {when}, not by {turn}"))
    return found


def _check_values(game: Game, expect: Expect, fail: _Locator) -> list[Failure]:
    """Values at least or at most a bound."""
    found: list[Failure] = []
    values = _values(game)
    for field_name, keep in (("at_least", lambda v, b: v >= b), ("at_most", lambda v, b: v <= b)):
        for name, bound in getattr(expect, field_name).items():
            if name not in values:
                known = ", ".join(sorted(values))
                found.append(fail(("expect", field_name, name), f"no value {name!r} ({known})"))
            elif not keep(values[name], bound):
                word = "at least" if field_name == "at_least" else "at most"
                found.append(
                    fail(
                        ("expect", field_name, name),
                        f"{name} is {values[name]:.4g}, not {word} {bound:g}",
                    )
                )
    return found


def _values(game: Game) -> dict[str, float]:
    values = dict(game.metrics())
    values |= {
        "defections": float(len(game.defections)),
        "sales": float(game.facts().sales),
        "turn": float(game.turn),
        "score": float(game.score().total),
    }
    return values
