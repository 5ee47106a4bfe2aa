"""The engine and scoring stay free of the UI; the layers import only downward."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import yaml

REPO = Path(__file__).resolve().parents[1]


def test_engine_scoring_and_bots_never_import_textual() -> None:
    code = (
        "import sys, json; import game.engine, game.scenario, game.bots, game.coach, "
        "game.coach.results, game.play.session, scoring, scoring.score; "
        "print(json.dumps(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('textual', 'rich'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_import_contracts_hold() -> None:
    lint = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    result = subprocess.run([lint], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_tree_shows_the_parts_and_the_tests_mirror_them() -> None:
    """game/ holds packages that name its parts, with no more than three loose modules;
    every test folder is named after a package of the game (docs/architecture.md)."""
    loose = sorted(
        p.name for p in (REPO / "game").glob("*.py") if p.name not in ("__init__.py", "__main__.py")
    )
    assert len(loose) <= 3, loose
    packages = {p.parent.name for p in (REPO / "game").glob("*/__init__.py")}
    test_folders = {p.parent.name for p in (REPO / "tests").glob("*/__init__.py")}
    assert test_folders <= packages | {"scoring"}, test_folders - packages
    documented = (REPO / "docs" / "architecture.md").read_text()
    for package in packages:
        assert f"game/{package}/" in documented, f"docs/architecture.md does not draw {package}"


def test_bundled_scenarios_are_valid_against_the_json_schema() -> None:
    schema = json.loads((REPO / "scenarios" / "rapport.schema.json").read_text())
    for path in sorted((REPO / "scenarios").glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        data = json.loads(json.dumps(data, default=str))  # dates as ISO text, as editors see them
        jsonschema.validate(data, schema)
        assert path.read_text().startswith("# yaml-language-server: $schema=rapport.schema.json")


def test_check_jsonschema_accepts_every_bundled_scenario() -> None:
    """A standard validator, reading YAML as editors do, agrees with Rapport."""
    tool = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    files = sorted(str(p) for p in (REPO / "scenarios").glob("*.yaml"))
    result = subprocess.run(
        [tool, "--schemafile", str(REPO / "scenarios" / "rapport.schema.json"), *files],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_app_starts_without_the_engine_the_models_or_networkx() -> None:
    """What the first screen does not need loads later (while the player reads it)."""
    code = (
        "import sys, json; import game.app.app, game.cli; game.cli.register_commands(); "
        "print(json.dumps(sorted(m for m in "
        "sys.modules if m.split('.')[0] in ('networkx', 'pydantic', 'yaml') or "
        "m.startswith(('game.engine', 'game.scenario', 'game.workshop.board', 'game.coach')))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_the_briefing_shows_without_networkx_or_the_rules() -> None:
    """Before the briefing the app reads settings, saves and the scenario: none of that
    needs networkx or the engine's rules, which load while the briefing is read."""
    code = (
        "import sys, json; import game.app.app, game.app.settings, game.play.saves, "
        "game.play.listing; "
        "from game.scenario.catalog import resolve_scenario; resolve_scenario('sand-supplier'); "
        "from game.play.saves import default_saves; "
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'networkx' or "
        "m in ('game.engine.game', 'game.engine.rules', 'game.play.session'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_the_quick_briefing_loads_no_models_pydantic_networkx_or_textual() -> None:
    """A bundled scenario's briefing shows from facts read straight from its YAML
    (game.play.briefing_facts) while the scenario is validated: reading them loads none of
    what validation needs, and no UI."""
    code = (
        "import sys, json; from game.play.briefing_facts import bundled_text, quick_facts; "
        "assert quick_facts(bundled_text('sand-supplier')) is not None; "
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('pydantic', 'pydantic_core', 'networkx', 'textual', 'rich') or "
        "m.startswith('game.scenario'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_every_package_the_game_imports_is_declared_with_a_lower_bound() -> None:
    """Nothing may rely on what happens to be installed on this machine."""
    import ast
    import importlib.metadata
    import re
    import tomllib

    declared = {}
    for requirement in tomllib.loads((REPO / "pyproject.toml").read_text())["project"][
        "dependencies"
    ]:
        name = re.split(r"[\[<>=!~ ;]", requirement, maxsplit=1)[0]
        declared[name.lower().replace("_", "-")] = requirement
    distributions = importlib.metadata.packages_distributions()
    imported: set[str] = set()
    for path in [*(REPO / "game").rglob("*.py"), *(REPO / "scoring").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imported.add(node.module.split(".")[0])
    missing = []
    for module in sorted(imported - set(sys.stdlib_module_names) - {"game", "scoring"}):
        names = [d.lower().replace("_", "-") for d in distributions.get(module, [module])]
        if not any(name in declared and ">=" in declared[name] for name in names):
            missing.append(f"{module} ({', '.join(names)})")
    assert not missing, f"imported but not declared with a lower bound: {missing}"


def test_no_module_reads_the_private_attributes_of_networkx() -> None:
    """The engine and scoring read a game's graph through the tables its TrustGraph
    keeps (networkx's factory hooks), never through networkx's private attributes."""
    private = re.compile(r"\.(_node|_succ|_pred|_adj)\b")
    found = [
        f"{path.relative_to(REPO)}:{number}"
        for root in ("game", "scoring")
        for path in (REPO / root).rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if private.search(line)
    ]
    assert found == []


def test_no_function_is_past_radons_grade_c() -> None:
    """Every function stays at radon's grade C or better (cyclomatic complexity at most
    20): one a newcomer can hold in mind (docs/architecture.md)."""
    from radon.complexity import cc_visit

    worst = [
        f"{path.relative_to(REPO)}:{block.lineno} {block.name} ({block.complexity})"
        for root in ("game", "scoring")
        for path in (REPO / root).rglob("*.py")
        for block in cc_visit(path.read_text())
        if block.complexity > 20
    ]
    assert worst == []


def test_no_module_is_longer_than_500_lines() -> None:
    long = [
        f"{path.relative_to(REPO)} ({count})"
        for root in ("game", "scoring", "tests", "bench")
        for path in (REPO / root).rglob("*.py")
        if (count := len(path.read_text().splitlines())) > 500
    ]
    assert long == []


def test_asking_the_language_in_use_loads_no_scenario_models() -> None:
    """The app's first screen asks which language scenarios are shown in: that must not
    import the scenario package (its models load pydantic)."""
    code = (
        "import sys, json; import game.common.language; "
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('game.scenario', "
        "'pydantic', 'polib')))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []
