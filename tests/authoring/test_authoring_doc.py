"""docs/authoring.md is enough to write a scenario: its example works, every field is there."""

from __future__ import annotations

import re
import typing
from pathlib import Path

from pydantic import BaseModel

from game.bots import make_bot, play
from game.coach.balance import run_balance
from game.engine import Game
from game.scenario import load_scenario
from game.scenario.models import Scenario

DOC = Path(__file__).resolve().parents[2] / "docs" / "authoring.md"


def example() -> str:
    text = DOC.read_text()
    block = re.search(r"<!-- authoring-example:start -->\s*```yaml\n(.*?)```", text, re.S)
    assert block, "the complete example is missing from docs/authoring.md"
    return block.group(1)


def test_the_guides_example_validates_plays_and_passes_its_lessons(tmp_path: Path) -> None:
    path = tmp_path / "print-shop.yaml"
    path.write_text(example())
    loaded = load_scenario(path)
    assert loaded.warnings == []
    assert loaded.scenario.id == "print-shop"
    game = play(Game(loaded.scenario, 1), make_bot("relationship-builder"))
    assert game.finished and game.score().total > 0
    report = run_balance(loaded, path.read_bytes(), runs=100)
    assert all(v.passed for v in report.verdicts()), [v.text for v in report.verdicts()]


def test_the_steps_add_up_to_the_whole_file() -> None:
    """Each step's snippet appears, line for line, in the complete example."""
    text = DOC.read_text()
    walkthrough = text.split("### The whole file")[0].split("## From an empty file")[1]
    whole = example()
    for snippet in re.findall(r"```yaml\n(.*?)```", walkthrough, re.S):
        for line in snippet.strip().splitlines():
            if line.strip() and not line.startswith("#"):
                assert line in whole, line


def field_names(model: type[BaseModel], seen: set[type] | None = None) -> set[str]:
    seen = seen if seen is not None else set()
    if model in seen:
        return set()
    seen.add(model)
    names = set()
    for name, info in model.model_fields.items():
        names.add(info.alias or name)

        def models(annotation: object) -> typing.Iterator[type[BaseModel]]:
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                yield annotation
            for arg in typing.get_args(annotation):
                yield from models(arg)

        for sub in models(info.annotation):
            names |= field_names(sub, seen)
    return names


def test_every_field_of_the_format_is_documented() -> None:
    text = DOC.read_text()
    missing = sorted(
        n for n in field_names(Scenario) if f"`{n}`" not in text and f"{n}:" not in text
    )
    assert not missing, missing
