"""A scenario's lines as a PO file for translators, and a check of a translation.

`export` writes every player-facing line (see `game.scenario.lines`) as a PO entry:
its context the line id, its msgid the line as the scenario says it. Given the
translation so far, it keeps every translation, marks fuzzy those whose line has
changed since (with the old text as the previous msgid, as gettext's msgmerge does),
and marks obsolete those whose line is gone. `check` reports what a translation lacks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polib

from game import __version__
from game.common.i18n import pseudo
from game.scenario.lines import placeholders, scenario_lines
from game.scenario.loader import LoadedScenario
from game.scenario.yaml_source import NOT_TEXT, character_name


def export(
    loaded: LoadedScenario,
    language: str | None = None,
    *,
    previous: polib.POFile | None = None,
    fill_pseudo: bool = False,
) -> polib.POFile:
    """The PO file of `loaded`'s lines: a template without `language`; with it, the
    translation `previous` brought up to date (new lines empty, changed lines fuzzy,
    lost lines obsolete). `fill_pseudo` fills every line with its pseudo-translation."""
    po = polib.POFile(wrapwidth=0)
    po.header = f"The lines of Rapport scenario {loaded.scenario.id}: `rapport strings`."
    po.metadata = {
        "Project-Id-Version": f"{loaded.scenario.id} (Rapport {__version__})",
        "Language": language or "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    if previous is not None:
        for key in ("Language-Team", "Last-Translator", "Plural-Forms"):
            if key in previous.metadata:
                po.metadata[key] = previous.metadata[key]
    old = {e.msgctxt: e for e in previous or () if e.msgctxt and not e.obsolete}
    lines = scenario_lines(loaded.scenario)
    for line, text in lines.items():
        entry = polib.POEntry(msgctxt=line, msgid=text, msgstr="")
        before = old.get(line)
        if fill_pseudo:
            entry.msgstr = pseudo(text)
        elif before is not None and before.msgstr:
            entry.msgstr = before.msgstr
            entry.tcomment = before.tcomment
            if before.msgid != text or before.fuzzy:
                entry.flags.append("fuzzy")
                entry.previous_msgid = before.previous_msgid or before.msgid
        if placeholders(text):
            entry.comment = "keep " + " ".join(sorted(set(placeholders(text))))
        po.append(entry)
    for line, before in old.items():
        if line not in lines and before.msgstr:
            before.obsolete = True
            po.append(before)
    return po


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a translation lacks: the line, where in the PO file, and what."""

    line: str
    at: int
    """The PO file's line number (0: the entry is not in the file)."""
    problem: str


@dataclass(frozen=True, slots=True)
class StringsReport:
    """What `check` found in a translation of a scenario."""

    path: str
    lines: int
    translated: int
    missing: list[Finding] = field(default_factory=list)
    stale: list[Finding] = field(default_factory=list)
    broken: list[Finding] = field(default_factory=list)
    obsolete: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Every line translated from the text the scenario says now, placeholders kept."""
        return not (self.missing or self.stale or self.broken)

    def summary(self) -> str:
        """'sand-supplier.fr.po: 81 lines, 78 translated, 2 missing, 1 stale'."""
        parts = [f"{self.lines} lines", f"{self.translated} translated"]
        for name in ("missing", "stale", "broken", "obsolete"):
            if count := len(getattr(self, name)):
                parts.append(f"{count} {name}")
        return f"{self.path}: " + ", ".join(parts)

    def as_dict(self) -> dict[str, object]:
        """The report as JSON-ready data."""

        def listed(findings: list[Finding]) -> list[dict[str, object]]:
            return [{"line": f.line, "at": f.at, "problem": f.problem} for f in findings]

        return {
            "path": self.path,
            "ok": self.ok,
            "lines": self.lines,
            "translated": self.translated,
            "missing": listed(self.missing),
            "stale": listed(self.stale),
            "broken": listed(self.broken),
            "obsolete": listed(self.obsolete),
        }


def check(loaded: LoadedScenario, po: polib.POFile, path: str) -> StringsReport:
    """Lines of `loaded` that `po` does not translate (missing), translates from text the
    scenario no longer says or marks fuzzy (stale), or translates without the line's
    placeholders or with a control character in it (broken); and entries for lines the
    scenario no longer has."""
    lines = scenario_lines(loaded.scenario)
    entries = {e.msgctxt: e for e in po if e.msgctxt and not e.obsolete}
    found: dict[str, list[Finding]] = {"missing": [], "stale": [], "broken": []}
    for line, text in lines.items():
        judged = _judge(line, text, entries.get(line))
        if judged is not None:
            found[judged[0]].append(judged[1])
    obsolete = [
        Finding(line, entry.linenum or 0, "no such line any more")
        for line, entry in entries.items()
        if line not in lines
    ]
    missing, stale, broken = found["missing"], found["stale"], found["broken"]
    translated = len(lines) - len(missing) - len(stale) - len(broken)
    return StringsReport(path, len(lines), translated, missing, stale, broken, obsolete)


def _judge(line: str, text: str, entry: polib.POEntry | None) -> tuple[str, Finding] | None:
    """What is wrong with the translation of one line, if anything: (kind, finding)."""
    if entry is None or not entry.msgstr:
        return "missing", Finding(
            line, 0 if entry is None else entry.linenum or 0, "not translated"
        )
    at = entry.linenum or 0
    if entry.msgid != text:
        return "stale", Finding(line, at, "the line has changed since")
    if entry.fuzzy:
        return "stale", Finding(line, at, "marked fuzzy")
    if (bad := NOT_TEXT.search(entry.msgstr)) is not None:
        return "broken", Finding(line, at, f"holds {character_name(bad.group())}")
    if placeholders(entry.msgstr) != placeholders(text):
        wanted = " ".join(placeholders(text)) or "none"
        return "broken", Finding(line, at, f"placeholders differ (the line has {wanted})")
    return None
