"""Load a scenario file: read, parse, validate, check references.

Every problem comes back as a :class:`Problem` with file, line and column;
nothing raises a traceback at the user. Loading never executes code from the
file: YAML is parsed with the safe loader and conditions are compiled, not
evaluated.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from game.scenario.checks import check_scenario
from game.scenario.codes import NEVER_HAPPENS
from game.scenario.models import Scenario
from game.scenario.problems import Problem, ScenarioError, short_repr
from game.scenario.pydantic_errors import problems_from_validation
from game.scenario.second_pass import problems_past_fields
from game.scenario.yaml_source import YamlError, YamlSource, character_name, parse_yaml

MAX_BYTES = 1024 * 1024
FORMAT_VERSION = 1


@dataclass(frozen=True)
class LoadedScenario:
    """A valid scenario with the facts a run log needs."""

    scenario: Scenario
    path: str
    content_hash: str
    warnings: list[Problem] = field(default_factory=list)
    file: Path | None = None
    """The file it was read from (None for bundled scenarios and text)."""


def content_hash(scenario: Scenario) -> str:
    """A hash of what the scenario means (not how it is laid out or commented)."""
    # `intended` tells the validator what the author means; it changes nothing in play.
    # A scenario without a contract hashes as it did before contracts existed.
    exclude: dict[str, Any] = {"intended": True}
    if scenario.account.contract is None:
        exclude["account"] = {"contract"}
    canonical = json.dumps(
        scenario.model_dump(mode="json", by_alias=True, exclude=exclude),
        sort_keys=True,
        separators=(",", ":"),
    )
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


def load_scenario(path: str | Path) -> LoadedScenario:
    """Read and validate the scenario at `path`; raise :class:`ScenarioError`."""
    name = str(path)
    file = Path(path)
    try:
        size = file.stat().st_size
        if not file.is_file():
            raise ScenarioError([Problem(name, 1, 1, "not a file", code="R101")])
        if size > MAX_BYTES:
            raise ScenarioError(
                [
                    Problem(
                        name,
                        1,
                        1,
                        f"the file is {size:,} bytes; a scenario may be at most "
                        f"{MAX_BYTES:,} bytes (1 MB)",
                        code="R101",
                    )
                ]
            )
        raw = file.read_bytes()
    except FileNotFoundError:
        raise ScenarioError([Problem(name, 1, 1, "no such file", code="R101")]) from None
    except OSError as error:
        raise ScenarioError(
            [Problem(name, 1, 1, f"cannot read: {error.strerror}", code="R101")]
        ) from None
    loaded = parse_scenario(raw, name, folder=file.resolve().parent)
    return LoadedScenario(
        loaded.scenario, name, loaded.content_hash, loaded.warnings, file.resolve()
    )


def parse_scenario(
    raw: bytes | str, name: str = "<scenario>", *, folder: Path | None = None
) -> LoadedScenario:
    """Validate scenario text; raise :class:`ScenarioError` listing every problem.

    `folder` is the folder of the file the text came from, if any: lessons' custom
    bot files are looked for there.
    """
    if isinstance(raw, bytes):
        if len(raw) > MAX_BYTES:
            raise ScenarioError([_too_long(name)])
        text = _decode(raw, name)
    else:
        text = raw
        if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
            raise ScenarioError([_too_long(name)])
    try:
        source = parse_yaml(text)
    except YamlError as error:
        pos = error.position
        raise ScenarioError(
            [Problem(name, pos.line, pos.col, str(error), code=error.code)]
        ) from None
    problems = [
        Problem(name, p.line, p.col, message, code="R114") for p, message in source.duplicates
    ]
    _check_shape(source, name)
    try:
        scenario = Scenario.model_validate(source.data)
    except ValidationError as error:
        problems.extend(problems_from_validation(error, source, name))
        seen = {(p.line, p.col, p.message) for p in problems}
        problems.extend(
            p
            for p in problems_past_fields(error, source, name, folder)
            if (p.line, p.col, p.message) not in seen
        )
        raise ScenarioError(sorted(problems)) from None
    found = [_never(p, scenario.intended) for p in check_scenario(scenario, source, name, folder)]
    problems.extend(p for p in found if p.severity == "error")
    if problems:
        raise ScenarioError(problems)
    warnings = sorted(
        [*_control_warnings(source, name), *(p for p in found if p.severity == "warning")]
    )
    return LoadedScenario(scenario, name, content_hash(scenario), warnings)


def _never(problem: Problem, intended: Sequence[str]) -> Problem:
    """A warning that part of the scenario can never happen fails like an error, unless
    the author listed its code under `intended:`."""
    if problem.code not in NEVER_HAPPENS or problem.code in intended:
        return problem
    return dataclasses.replace(
        problem,
        severity="error",
        message=f"{problem.message} (this part can never happen: fix it, or add "
        f"{problem.code} to `intended:` if that is what you mean)",
    )


def _control_warnings(source: YamlSource, name: str) -> list[Problem]:
    return [
        Problem(
            name,
            position.line,
            position.col,
            f"this text holds {character_name(char)}, a control character: Rapport shows it "
            "escaped (as \\x1b and the like), never as it is; remove it",
            "warning",
            "R511",
        )
        for position, char in source.controls
    ]


def _too_long(name: str) -> Problem:
    return Problem(name, 1, 1, f"the text is over {MAX_BYTES:,} bytes", code="R101")


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        col = error.start - (before.rfind(b"\n") + 1) + 1
        raise ScenarioError(
            [
                Problem(
                    name, line, col, f"not UTF-8 text (byte 0x{raw[error.start]:02x})", code="R102"
                )
            ]
        ) from None


def _check_shape(source: YamlSource, name: str) -> None:
    data = source.data
    if data is None:
        raise ScenarioError(
            [
                Problem(
                    name,
                    1,
                    1,
                    "the file is empty; a scenario starts with `rapport: 1`",
                    code="R116",
                )
            ]
        )
    if not isinstance(data, dict):
        pos = source.locate(())
        kind = type(data).__name__.replace("str", "text")
        raise ScenarioError(
            [
                Problem(
                    name,
                    pos.line,
                    pos.col,
                    f"a scenario is a mapping of fields, not {kind}",
                    code="R116",
                )
            ]
        )
    if "rapport" not in data:
        raise ScenarioError(
            [
                Problem(
                    name,
                    1,
                    1,
                    "missing the format version: the file must contain `rapport: 1`",
                    code="R117",
                )
            ]
        )
    if data["rapport"] != FORMAT_VERSION:
        pos = source.locate(("rapport",))
        raise ScenarioError(
            [
                Problem(
                    name,
                    pos.line,
                    pos.col,
                    f"format version {short_repr(data['rapport'])} is not "
                    f"supported; this Rapport reads `rapport: 1`",
                    code="R117",
                )
            ]
        )
