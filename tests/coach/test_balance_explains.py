"""`rapport balance` explains: people per bot, coverage, `--metric`, and why what no run
reached was unreachable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.cli.report import format_balance, printable
from game.coach.balance import metric_problem, run_balance
from game.coach.balance_probes import RunTrace, Unreachable
from game.coach.balance_reasons import explain
from game.scenario import parse_scenario
from tests.conftest import MINI, Runner, scenario_text

#: MINI plus one of each kind of dead end: a move dearer than a turn, a move behind a
#: flag only an unpicked answer sets, a move behind trust nobody builds, an answer no bot
#: picks, an event whose condition cannot hold in 6 turns, an event whose chance never
#: comes up, and a person whose introducer never trusts anyone enough.
#: These scenarios hold parts that can never happen on purpose: balance explains them.
MEANT = "intended: [R501, R502, R503, R507, R509]\n"
DEAD_ENDS = (
    scenario_text(
        """\
    events:
      - id: pilot_offer
        title: A pilot
        text: "{target} offers a pilot."
        when: turn == 2
        target: boss
        choices:
          - id: help
            label: Help out
            behaviour: special_needs
            cost: 1
            effects: [{ trust: { delta: 0.1 } }]
          - id: run_pilot
            label: Run the pilot
            behaviour: decline
            cost: 3
            effects: [{ flag: { pilot_done: true } }]
          - { id: wait, label: Wait, behaviour: decline, default: true }
      - id: late
        title: Too late
        text: Never.
        when: turn >= 30
        effects: [{ satisfaction: 0.1 }]
      - id: rare
        title: Rare
        text: Rarely.
        when: turn >= 2
        chance: 0.0001
        effects: [{ satisfaction: 0.1 }]
    """,
        replace=(
            (
                "introduced_by: [boss], intro_trust: 0.4 }\n",
                "introduced_by: [boss], intro_trust: 0.4 }\n"
                "    - { id: cfo, name: Cy, role: CFO, influence: 0.1, introduced_by: [boss], "
                "intro_trust: 0.99 }\n",
            ),
            (
                "      - satisfaction: 0.1\n",
                """\
      - satisfaction: 0.1
  - id: big_study
    label: Commission a market study for {target}
    behaviour: business_review
    cost: 8
    effects: [{ trust: { delta: 0.3 } }]
  - id: pitch
    label: Pitch the pilot's results to {target}
    behaviour: business_review
    cost: 1
    when: flag(pilot_done)
    effects: [{ trust: { delta: 0.1 } }]
  - id: golf
    label: Play golf with {target}
    behaviour: contact
    cost: 2
    when: turn >= 2 and trust(boss, you) >= 0.95
    effects: [{ trust: { delta: 0.1 } }]
""",
            ),
        ),
    )
    + MEANT
)

QUICK = ("--bots", "relationship-builder,idle")


@pytest.fixture
def dead_ends(tmp_path: Path) -> Path:
    path = tmp_path / "dead-ends.yaml"
    path.write_text(DEAD_ENDS)
    return path


def test_the_report_says_why_each_dead_end_was_never_reached(
    rapport: Runner, dead_ends: Path
) -> None:
    result = rapport("balance", str(dead_ends), "--runs", "3", *QUICK)
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())  # reasons wrap at 100 columns
    assert "Never reached by any run, and why:" in text
    assert "action `big_study`: it costs 8h but a turn has 4h" in text
    assert (
        "action `pitch`: its `when` (`flag(pilot_done)`) was never true in any run — flag "
        "`pilot_done` is set only by answer `run_pilot` to event `pilot_offer`, which no run "
        "reached" in text
    )
    assert (
        "action `golf`: its `when` (`turn >= 2 and trust(boss, you) >= 0.95`) was never true "
        "in any run — `trust(boss, you) >= 0.95` never held (best seen 0." in text
    )
    assert "answer `run_pilot` of event `pilot_offer`: no bot picks it (bots chose `" in text
    assert "`help` 50%" in text and "`wait` 50%" in text  # relationship-builder helps, idle waits
    assert "event `late`: its condition `turn >= 30` can never hold in a 6-turn scenario" in text
    assert (
        "event `rare`: its condition held at the start of 30 turns in 6 of 6 runs, but its "
        "chance (0.01% a turn) never came up" in text
    )
    assert "introduction to `cfo`: no introducer reached trust 0.99 (best seen 0." in text
    assert "by relationship-builder: `boss`'s trust in `you`)" in text
    assert "action `discount`: it was open in 6 of 6 runs, but no bot chose it" in text
    assert max(len(line) for line in result.stdout.splitlines()[12:]) <= 100


def test_the_json_carries_the_same_reasons(rapport: Runner, dead_ends: Path) -> None:
    result = rapport("balance", str(dead_ends), "--runs", "3", *QUICK, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    items = {(i["kind"], i.get("event"), i["id"]): i["reasons"] for i in data["unreachable"]}
    assert set(items) == {
        ("action", None, "discount"),
        ("action", None, "big_study"),
        ("action", None, "pitch"),
        ("action", None, "golf"),
        ("answer", "pilot_offer", "run_pilot"),
        ("event", None, "late"),
        ("event", None, "rare"),
        ("introduction", None, "cfo"),
    }
    assert items[("action", None, "big_study")] == ["it costs 8h but a turn has 4h"]
    [why] = items[("event", None, "late")]
    assert why == "its condition `turn >= 30` can never hold in a 6-turn scenario"
    [why] = items[("introduction", None, "cfo")]
    assert why.startswith("no introducer reached trust 0.99 (best seen ")
    [why] = items[("action", None, "pitch")]
    assert "set only by answer `run_pilot` to event `pilot_offer`, which no run reached" in why
    # The plain list stays as it was, for scripts that read it.
    assert "event late (never fired)" in data["unreached"]
    assert "event pilot_offer: choice run_pilot" in data["unreached"]


def test_people_and_coverage_per_bot_in_text_and_json(rapport: Runner, tmp_path: Path) -> None:
    path = tmp_path / "mini.yaml"
    path.write_text(MINI)
    result = rapport("balance", str(path), "--runs", "3", *QUICK)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    start = lines.index(
        "People: mean loyalty at the end, share of runs met, share of runs defected"
    )
    assert lines[start + 1].split() == ["boss", "buyer", "vp"]
    met = lines.index("  met", start)
    assert lines[met + 1].split() == ["relationship-builder", "100%", "100%", "100%"]
    assert lines[met + 2].split() == ["idle", "100%", "100%", "0%"]  # idle never asks
    coverage = next(line for line in lines if line.startswith("reached in some run"))
    assert coverage.split()[-3:] == ["actions", "events", "answers"]
    assert any(line.split()[:3] == ["relationship-builder", "1/2", "50%"] for line in lines)
    assert max(len(line) for line in lines[lines.index(coverage) :]) <= 100

    data = json.loads(rapport("balance", str(path), "--runs", "3", *QUICK, "--json").stdout)
    builder, idle = data["bots"]["relationship-builder"], data["bots"]["idle"]
    assert builder["people"]["vp"]["reached"] == 1 and idle["people"]["vp"]["reached"] == 0
    assert builder["people"]["vp"]["loyalty"] > idle["people"]["vp"]["loyalty"]
    assert builder["people"]["boss"]["defected"] == 0
    assert builder["coverage"]["actions"] == {"reached": 1, "of": 2, "share": 0.5}
    assert idle["coverage"]["actions"]["reached"] == 0


def test_metric_reports_any_lesson_metric_for_every_bot(rapport: Runner, tmp_path: Path) -> None:
    path = tmp_path / "mini.yaml"
    path.write_text(MINI)
    metrics = ("reached.vp", "hours.contact", "satisfied_share", "score", "loss_at")
    args = [arg for m in metrics[:4] for arg in ("--metric", m)]
    result = rapport("balance", str(path), "--runs", "3", *QUICK, *args)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    at = lines.index("reached.vp: share of runs in which this customer person was met")
    assert lines[at + 1].split() == ["relationship-builder", "1.000", "±0.000"]
    assert lines[at + 2].split() == ["idle", "0.000", "±0.000"]
    assert any(line.startswith("hours.contact: share of the time") for line in lines)
    assert "satisfied_share: of all defections" in result.stdout
    assert "(pooled)" in result.stdout

    data = json.loads(rapport("balance", str(path), "--runs", "3", *QUICK, *args, "--json").stdout)
    assert list(data["metrics"]) == list(metrics[:4])
    assert data["metrics"]["reached.vp"]["relationship-builder"] == {"mean": 1.0, "stdev": 0.0}
    assert data["metrics"]["hours.contact"]["idle"]["mean"] == 0
    assert data["metrics"]["satisfied_share"]["idle"]["stdev"] is None
    assert data["metrics"]["score"]["relationship-builder"]["stdev"] > 0


def test_an_unknown_metric_is_a_usage_error_with_close_matches(
    rapport: Runner, tmp_path: Path
) -> None:
    path = tmp_path / "mini.yaml"
    path.write_text(MINI)
    result = rapport("balance", str(path), "--runs", "1", "--metric", "reached.vpp")
    assert result.returncode == 2
    assert "unknown metric 'reached.vpp': mini has no customer person 'vpp'" in result.stderr
    assert "close matches: reached.vp" in result.stderr
    assert "Playing" not in result.stderr  # refused before a game is played
    result = rapport("balance", str(path), "--runs", "1", "--metric", "loyalty")
    assert result.returncode == 2
    assert "close matches: loyalty_drop, company_loyalty" in result.stderr
    result = rapport("balance", str(path), "--runs", "1", "--metric", "zzz")
    assert result.returncode == 2
    assert "unknown metric 'zzz'; one of score, company_loyalty" in result.stderr
    assert "reached.ID" in result.stderr


def test_metric_problems_name_what_would_do() -> None:
    scenario = parse_scenario(DEAD_ENDS, "dead.yaml").scenario
    assert metric_problem(scenario, "reached.cfo") is None
    assert metric_problem(scenario, "flag.pilot_done") is None
    assert metric_problem(scenario, "loss_at.rare") is None
    assert metric_problem(scenario, "followed.rival") is None
    assert metric_problem(scenario, "flag.pilot") == (
        "unknown metric 'flag.pilot': no effect in mini sets a flag 'pilot'; "
        "close matches: flag.pilot_done"
    )
    assert metric_problem(scenario, "followed.bastion") == (
        "unknown metric 'followed.bastion': mini has no competitor 'bastion'; one of followed.rival"
    )
    assert "close matches: hours.discount" in (metric_problem(scenario, "hours.discont") or "")
    loaded = parse_scenario(MINI, "mini.yaml")
    with pytest.raises(ValueError, match=r"unknown metric 'reach\.vp'"):
        run_balance(loaded, MINI.encode(), runs=1, bots=["idle"], metrics=["reach.vp"])


def test_scenario_text_and_bot_names_never_reach_the_terminal_raw(tmp_path: Path) -> None:
    bot = tmp_path / "sly\x1b[2Jbot\u202e.py"
    bot.write_text("def choose(view):\n    return view.choices[-1].id\n")
    loaded = parse_scenario(MINI, "mini.yaml")
    report = run_balance(loaded, MINI.encode(), runs=1, bots=[str(bot)])
    text = format_balance(report)
    assert "\x1b" not in text and "\u202e" not in text
    assert "sly\\x1b[2Jbot\\u202e.py" in text
    assert printable("a\tb\nc") == "a\\x09b\\x0ac"
    assert printable("ok: café ✓") == "ok: café ✓"


# --------------------------------------------------------------------------- reasons, unit


def _explain(text: str, trace: RunTrace | None = None, reached: frozenset[str] = frozenset()):
    scenario = parse_scenario(scenario_text(text) + MEANT, "t.yaml").scenario
    runs = {"idle": [(reached, trace or RunTrace(met=frozenset({"boss", "buyer"})))]}
    return {item.label: item for item in explain(scenario, runs)}


def test_contradictory_parts_and_unset_flags_are_seen_statically() -> None:
    found = _explain("""\
    events:
      - { id: never, title: N, text: N., when: turn > 3 and turn < 2 }
      - { id: unset, title: U, text: U., when: flag(nobody_sets_this) }
    """)
    assert found["event `never`"].reasons == (
        "its condition `turn > 3 and turn < 2` can never hold: its parts contradict each other",
    )
    assert found["event `unset`"].reasons == (
        "its condition `flag(nobody_sets_this)` can never hold: flag `nobody_sets_this` is "
        "never set by any effect",
    )


def test_a_condition_whose_parts_never_held_together() -> None:
    scenario_extra = """\
    events:
      - { id: both, title: B, text: B., when: "turn == 2 and satisfaction > 0.9" }
    """
    trace = RunTrace(
        met=frozenset({"boss", "buyer"}),
        parts_true=frozenset({"event:both#0", "event:both#1"}),
        together={"event:both": frozenset({"event:both#0"})},
    )
    found = _explain(scenario_extra, trace)
    assert found["event `both`"].reasons == (
        "its condition (`turn == 2 and satisfaction > 0.9`) was never true at the start of any "
        "turn: each of its parts held at some point, but never all at once (at best 1 of 2 "
        "held together, without `satisfaction > 0.9`)",
    )


def test_introductions_explain_missing_introducers_arrivals_and_unasked_doors() -> None:
    text = """\
    events:
      - id: hire
        title: Hire
        text: A new head of operations.
        when: turn == 99
        effects: [{ join: ops }]
    """
    replace = (
        (
            "introduced_by: [boss], intro_trust: 0.4 }\n",
            "introduced_by: [boss], intro_trust: 0.4 }\n"
            "    - { id: ops, name: Oz, role: Ops, influence: 0.1, present: false }\n"
            "    - { id: aide, name: Al, role: Aide, influence: 0.1, introduced_by: [vp] }\n",
        ),
    )
    scenario = parse_scenario(scenario_text(text, replace) + MEANT, "t.yaml").scenario
    trace = RunTrace(met=frozenset({"boss", "buyer"}), open=frozenset({"intro:vp"}))
    found = {i.label: i for i in explain(scenario, {"idle": [(frozenset(), trace)]})}
    assert found["introduction to `vp`"].reasons == (
        "the introduction was open in 1 of 1 runs, but no bot asked for it",
    )
    assert found["introduction to `aide`"].reasons == (
        "their introducer (`vp`) was never met in any run",
    )
    assert found["introduction to `ops`"].reasons == (
        "`ops` never arrives: only event `hire` brings them in, which no run reached",
    )
    assert isinstance(found["event `hire`"], Unreachable)


def test_coverage_people_and_reasons_from_real_runs() -> None:
    loaded = parse_scenario(DEAD_ENDS, "dead.yaml")
    report = run_balance(loaded, DEAD_ENDS.encode(), runs=2, bots=["relationship-builder", "idle"])
    assert report.coverage("relationship-builder")["actions"] == (1, 5)
    assert report.coverage("idle")["events"] == (1, 3)
    people = {p.id: p for p in report.people("relationship-builder")}
    assert people["vp"].reached == 1 and people["cfo"].reached == 0
    assert 0 < people["vp"].loyalty < 1 and people["boss"].defected_to == {}
    labels = [item.label for item in report.unreachable()]
    assert labels == [
        "action `discount`",
        "action `big_study`",
        "action `pitch`",
        "action `golf`",
        "answer `run_pilot` of event `pilot_offer`",
        "event `late`",
        "event `rare`",
        "introduction to `cfo`",
    ]
    # Parallel runs record the same traces.
    two = run_balance(
        loaded, DEAD_ENDS.encode(), runs=2, bots=["relationship-builder", "idle"], jobs=2
    )
    assert two.as_dict() == report.as_dict()


def test_moves_nobody_can_make_or_aim() -> None:
    text = """\
    events:
      - { id: hire, title: H, text: H., when: turn == 99, effects: [{ join: ghost }] }
    """
    replace = (
        (
            "    - { id: tech, name: Tess, role: Technician }\n",
            "    - { id: tech, name: Tess, role: Technician }\n"
            "    - { id: ghost, name: Gus, role: Consultant, active: false }\n",
        ),
        (
            "      - satisfaction: 0.1\n",
            "      - satisfaction: 0.1\n"
            "  - { id: audit, label: Audit, behaviour: service, cost: 1, by: [ghost], "
            "effects: [{ trust: { delta: 0.1 } }] }\n"
            "  - { id: brief_vp, label: Brief, behaviour: contact, cost: 1, targets: [vp], "
            "effects: [{ trust: { delta: 0.1 } }] }\n",
        ),
    )
    scenario = parse_scenario(scenario_text(text, replace) + MEANT, "t.yaml").scenario
    trace = RunTrace(met=frozenset({"boss", "buyer"}), active=frozenset({"you", "tech"}))
    found = {i.label: i for i in explain(scenario, {"idle": [(frozenset(), trace)]})}
    assert found["action `audit`"].reasons == (
        "only `ghost` can do it, and only event `hire` brings them in, which no run reached",
    )
    assert found["action `brief_vp`"].reasons == ("its target (`vp`) was never met in any run",)
