"""Translations: stable line ids, PO export and check, and a translated scenario played
to the end; the interface's sentences through gettext."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from game.authoring.strings import check, export
from game.common import i18n
from game.engine import END, Game
from game.scenario import ScenarioError, parse_scenario
from game.scenario.catalog import load_bundled
from game.scenario.lines import scenario_lines, translate
from game.scenario.translations import translated, usable_lines
from tests.conftest import Runner, scenario_text

EVENTS = """\
events:
  - id: audit
    title: An audit
    text: The auditor asks {target} for the records.
    target: boss
    choices:
      - { id: help, label: Help with the audit, effects: [{ log: You help out. }] }
      - { id: skip, label: Let them get on with it, default: true }
  - id: party
    title: A party
    text: Everyone is invited.
"""


def test_every_line_a_player_reads_has_an_id_that_survives_reordering() -> None:
    lines = scenario_lines(parse_scenario(scenario_text(EVENTS)).scenario)
    assert lines["title"] == "Mini"
    assert lines["actions.call.label"] == "Call {target}"
    assert lines["supplier.people.tech.role"] == "Technician"
    assert lines["events.audit.choices.help.label"] == "Help with the audit"
    assert lines["events.audit.choices.help.effects.0.log"] == "You help out."
    assert lines["introductions.label"].startswith("Ask {introducer}")
    assert "supplier.people.tech.name" not in lines  # names stay as written
    party_first = EVENTS.replace(
        "  - id: party\n    title: A party\n    text: Everyone is invited.\n", ""
    )
    party_first = party_first.replace(
        "events:\n", "events:\n  - id: party\n    title: A party\n    text: Everyone is invited.\n"
    )
    moved = scenario_lines(parse_scenario(scenario_text(party_first)).scenario)
    assert moved == lines


def test_a_translation_changes_the_words_and_never_the_game() -> None:
    loaded = parse_scenario(scenario_text(EVENTS), "mini.yaml")
    french = translate(
        loaded,
        {"title": "Mini (fr)", "actions.call.label": "Appeler {target}", "nowhere": "x"},
        "mini.fr.po",
    )
    assert french.scenario.title == "Mini (fr)"
    assert french.content_hash == loaded.content_hash
    games = [Game(s.scenario, 5, scenario_hash=s.content_hash) for s in (loaded, french)]
    for game in games:
        while not game.finished:
            pending = game.pending_event
            game.step(f"event:{pending.id}:help" if pending is not None else END)
    assert games[0].score().total == games[1].score().total
    assert games[0].run_log().scenario_hash == games[1].run_log().scenario_hash
    fresh = Game(french.scenario, 5)
    fresh.step("event:audit:help")
    assert any(c.label == "Appeler Bo" for c in fresh.choices())
    with pytest.raises(ScenarioError) as error:
        translate(loaded, {"events.audit.choices.help.label": "x" * 200}, "mini.fr.po")
    assert "events.audit.choices.help.label" in str(error.value)
    assert "mini.fr.po" in str(error.value)
    with pytest.raises(ScenarioError) as error:  # a hostile file cannot drive the terminal
        translate(loaded, {"title": "Mini\x1b[2J"}, "mini.fr.po")
    assert "the translation of title holds U+001B (escape)" in str(error.value)


def test_export_keeps_translations_marks_changed_lines_fuzzy_and_lost_lines_obsolete() -> None:
    loaded = parse_scenario(scenario_text(EVENTS), "mini.yaml")
    template = export(loaded)
    assert {e.msgctxt for e in template} == set(scenario_lines(loaded.scenario))
    assert all(e.msgstr == "" for e in template)
    french = export(loaded, "fr")
    for entry in french:
        entry.msgstr = "FR " + entry.msgid
    edited = parse_scenario(
        scenario_text(
            EVENTS.replace("An audit", "A surprise audit").replace(
                "  - id: party\n    title: A party\n    text: Everyone is invited.\n", ""
            )
        ),
        "mini.yaml",
    )
    merged = {e.msgctxt: e for e in export(edited, "fr", previous=french)}
    title = merged["events.audit.title"]
    assert title.fuzzy and title.previous_msgid == "An audit"
    assert title.msgstr == "FR An audit" and title.msgid == "A surprise audit"
    assert merged["events.party.title"].obsolete
    assert merged["actions.call.label"].msgstr == "FR Call {target}"
    assert not merged["actions.call.label"].fuzzy


def test_check_reports_missing_stale_broken_and_obsolete_lines_where_they_are(
    tmp_path: Path,
) -> None:
    loaded = parse_scenario(scenario_text(EVENTS), "mini.yaml")
    po = export(loaded, "fr")
    entries = {e.msgctxt: e for e in po}
    for entry in po:
        entry.msgstr = "FR " + entry.msgid
    entries["title"].msgstr = ""
    entries["events.audit.text"].msgid = "An older text."
    entries["actions.call.label"].msgstr = "Appeler quelqu'un"  # {target} lost
    entries["events.party.text"].msgstr = "Tout le monde\x07"
    po.append(polib.POEntry(msgctxt="events.gone.title", msgid="Gone", msgstr="Parti"))
    path = tmp_path / "mini.fr.po"
    po.save(str(path))
    report = check(loaded, polib.pofile(str(path)), str(path))
    assert not report.ok
    assert [f.line for f in report.missing] == ["title"]
    assert [f.line for f in report.stale] == ["events.audit.text"]
    assert [f.line for f in report.broken] == ["actions.call.label", "events.party.text"]
    assert "{target}" in report.broken[0].problem
    assert [f.line for f in report.obsolete] == ["events.gone.title"]
    stale_at = report.stale[0].at
    entry_lines = path.read_text().splitlines()[stale_at - 1 : stale_at + 3]
    assert 'msgctxt "events.audit.text"' in entry_lines
    usable = usable_lines(loaded, polib.pofile(str(path)))
    assert "events.audit.text" not in usable.lines and "actions.call.label" not in usable.lines
    assert usable.as_written == 3


def test_strings_commands_export_check_and_fail_located(rapport: Runner, tmp_path: Path) -> None:
    template = rapport("strings", "export", "tutorial")
    assert template.returncode == 0, template.stderr
    assert 'msgctxt "title"' in template.stdout
    made = rapport("strings", "export", "tutorial", "--lang", "fr", "-o", "tutorial.fr.po")
    assert made.returncode == 0, made.stderr
    checked = rapport("strings", "check", "tutorial", "--po", "tutorial.fr.po")
    assert checked.returncode == 1
    assert "tutorial.fr.po:" in checked.stdout and "title: missing" in checked.stdout
    pseudo = rapport("strings", "export", "tutorial", "--lang", "qps", "-o", "tutorial.qps.po")
    assert pseudo.returncode == 0, pseudo.stderr
    ok = rapport("strings", "check", "tutorial", "--po", "tutorial.qps.po", "--json")
    assert ok.returncode == 0, ok.stdout
    assert json.loads(ok.stdout)["ok"] is True
    bad = rapport("strings", "check", "tutorial", "--lang", "../../etc")
    assert bad.returncode == 2 and "not a language code" in bad.stderr
    absent = rapport("play", "tutorial", "--lang", "de", "--plain")
    assert absent.returncode == 1
    assert "no 'de' translation of tutorial" in absent.stderr
    assert "Traceback" not in absent.stderr


def test_a_translated_bundled_scenario_is_played_to_the_end_headless(
    rapport: Runner, tmp_path: Path, rapport_home: Path
) -> None:
    (tmp_path / "scenarios").mkdir()
    made = rapport(
        "strings", "export", "tutorial", "--lang", "qps", "-o", "scenarios/tutorial.qps.po"
    )
    assert made.returncode == 0, made.stderr
    env = {**os.environ, "RAPPORT_HOME": str(rapport_home), "NO_COLOR": "1"}
    played = subprocess.run(
        [
            sys.executable,
            "-m",
            "game",
            "play",
            "tutorial",
            "--lang",
            "qps",
            "--plain",
            "--seed",
            "4",
            "--name",
            "Ada",
        ],
        cwd=tmp_path,
        env=env,
        input="e\n" * 12 + "\n\n",
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert played.returncode == 0, played.stderr
    tutorial = load_bundled("tutorial")
    title = i18n.pseudo(tutorial.scenario.title)
    assert played.stdout.startswith(title)
    assert i18n.pseudo("Your goal:") in played.stdout  # the interface speaks it too
    assert "Call" not in played.stdout.split(i18n.pseudo("Your moves:"))[1][:400]
    logs = list((rapport_home).rglob("*.json"))
    assert any(tutorial.content_hash in p.read_text(errors="replace") for p in logs)


def test_the_interface_speaks_a_catalogue_and_falls_back_to_english(
    rapport_home: Path,
) -> None:
    folder = rapport_home / "locale"
    folder.mkdir(parents=True)
    po = polib.POFile()
    po.append(polib.POEntry(msgid="End turn", msgstr="Fin du tour"))
    po.append(polib.POEntry(msgid="Help", msgstr="Aide", flags=["fuzzy"]))
    po.append(polib.POEntry(msgid="Quit", msgstr="Quitter\x1b[2J"))
    po.save(str(folder / "fr.po"))
    try:
        assert i18n.use_interface_language("fr")
        assert i18n._("End turn") == "Fin du tour"
        assert i18n._("Help") == "Help"  # fuzzy: not trusted
        assert i18n._("Quit") == "Quit"  # an escape in a catalogue never reaches the screen
        assert not i18n.use_interface_language("sw")
        assert i18n._("End turn") == "End turn"
        i18n.use_interface_language(i18n.PSEUDO)
        assert i18n._("At {customer} [b]now[/b]") == "Åŧ {customer} [b]ñöŵ[/b]"
    finally:
        i18n.use_interface_language(None)


def test_the_interface_template_lists_every_marked_sentence(rapport: Runner) -> None:
    done = rapport("strings", "interface")
    assert done.returncode == 0, done.stderr
    po = polib.pofile(done.stdout)
    ids = {e.msgid for e in po}
    assert {"End turn", "Your goal:", "Took back your last choice."} <= ids
    where = next(e for e in po if e.msgid == "End turn").occurrences
    assert any(path.endswith("screens/play.py") for path, _line in where)


def test_translated_uses_the_file_beside_a_scenario(tmp_path: Path) -> None:
    scenario = tmp_path / "mini.yaml"
    scenario.write_text(scenario_text())
    from game.scenario import load_scenario

    loaded = load_scenario(scenario)
    po = export(loaded, "fr")
    next(e for e in po if e.msgctxt == "title").msgstr = "Mini en français"
    po.save(str(tmp_path / "mini.fr.po"))
    assert translated(loaded, "fr").scenario.title == "Mini en français"
