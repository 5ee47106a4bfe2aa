"""Stable codes for every problem `rapport validate` reports.

Each problem line reads `FILE:LINE:COL: CODE message` (a warning: `CODE warning:
message`). Codes never change meaning: trainers and editors may look them up in
docs/authoring.md ("Error codes"), where each has an entry. The hundreds group them:

- R1xx: reading the file and its YAML;
- R2xx: fields and their values;
- R3xx: ids, people and texts that do not fit together;
- R4xx: conditions;
- R5xx: warnings (the file plays, but probably not as meant).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Code:
    """What a code means, whether it stops the file from being used, and how to fix it."""

    code: str
    severity: Severity
    summary: str
    """A few words, for lists and editors."""
    fix: str
    """What it means and how to fix it, as docs/authoring.md explains it (Markdown)."""


#: The groups of codes, by hundreds, as docs/authoring.md heads them.
GROUPS: dict[str, str] = {
    "R1xx": "Reading the file",
    "R2xx": "Fields",
    "R3xx": "Ids, people and texts",
    "R4xx": "Conditions",
    "R5xx": "Warnings",
}

_TABLE: tuple[Code, ...] = (
    # Reading the file.
    Code(
        "R101",
        "error",
        "the file cannot be read: missing, not a file, or over 1 MB",
        "The file cannot be read: there is no such file, it is a folder, it cannot be opened, "
        "or it is over 1 MB.",
    ),
    Code(
        "R102",
        "error",
        "the file is not UTF-8 text",
        "The file is not UTF-8 text: save it as UTF-8. The line and column point at the first "
        "byte that is not.",
    ),
    Code(
        "R103",
        "error",
        "a control character in the file",
        "A control character (an escape, a bell, a backspace, a bidirectional override…) "
        "written into the file: remove it. Tabs and line breaks are fine.",
    ),
    Code(
        "R104",
        "error",
        "YAML syntax error",
        "A YAML syntax error the hints below do not cover; the message gives the parser's "
        "words, with a hint where there is one (an indented line, a missing comma, a backslash "
        "in double quotes).",
    ),
    Code(
        "R105",
        "error",
        "a tab in the indentation",
        "A tab in the indentation. YAML indents with spaces only: replace the tab with spaces.",
    ),
    Code(
        "R106",
        "error",
        "an unquoted `: ` inside a value",
        "A `: ` inside a value (`label: Note: call back`): YAML takes it for another field. "
        "Put the whole value in quotes; the message shows how.",
    ),
    Code(
        "R107",
        "error",
        "an unquoted value that starts with `{` or `[`",
        "A value starting with `{` or `[` (`label: {target} calls`): YAML reads it as a "
        "mapping or a list. Put the whole value in quotes.",
    ),
    Code(
        "R108",
        "error",
        "a bracket or quote that is never closed",
        "A `[`, `{` or quote never closed. The problem points where it opened, not where YAML "
        "gave up.",
    ),
    Code(
        "R109",
        "error",
        "a YAML tag a scenario may not use",
        "A YAML tag other than `!!str`, `!!int`, `!!float`, `!!bool`, `!!null` and "
        "`!!timestamp` (`!!binary`, `!!python/…`, `!custom`).",
    ),
    Code(
        "R110",
        "error",
        "a value YAML cannot read as its tag says",
        "A value YAML cannot read as its tag says (`!!timestamp not a date`, `2027-02-30`, "
        "`!!int x`).",
    ),
    Code(
        "R111",
        "error",
        "a number too large, or not finite",
        "A number of more than 15 digits, or `.inf` or `.nan`.",
    ),
    Code(
        "R112",
        "error",
        "anchors, aliases or merge keys that expand too far",
        "Anchors, aliases and merge keys (`<<`) that would expand past 200,000 values, or an "
        "alias inside its own anchor. Repeat less, or write the values out.",
    ),
    Code(
        "R113",
        "error",
        "values nested too deeply",
        "Values nested more than 64 levels deep.",
    ),
    Code(
        "R114",
        "error",
        "a key given twice in one mapping",
        "A key given twice in one mapping; the message says where it was first.",
    ),
    Code(
        "R115",
        "error",
        "a key that is not a plain word",
        "A key that is not a plain word (a list or a mapping used as a key).",
    ),
    Code(
        "R116",
        "error",
        "an empty file, or a file that is not a mapping of fields",
        "The file is empty, or is not a mapping of fields (a list, a single value).",
    ),
    Code(
        "R117",
        "error",
        "the format version `rapport: 1` missing or unsupported",
        "The format version is missing or not `rapport: 1`.",
    ),
    # Fields.
    Code(
        "R201",
        "error",
        "a required field is missing",
        "A required field is missing; the problem points at the record that needs it.",
    ),
    Code(
        "R202",
        "error",
        "an unknown field",
        'An unknown field, with the nearest known one ("did you mean …").',
    ),
    Code(
        "R203",
        "error",
        "a value of the wrong type or out of range",
        "A value of the wrong type or out of range (`turns: six`, `influence: 1.5`). A "
        "true/false where a text belongs means YAML read `yes`, `no`, `on` or `off`: quote it.",
    ),
    Code(
        "R204",
        "error",
        "not a valid id",
        "Not a valid id: lower-case letters, digits and underscores (dashes for the scenario "
        "id), starting with a letter.",
    ),
    Code(
        "R205",
        "error",
        "a word that is not one of the allowed ones",
        "A word that is not one of the allowed ones (a `behaviour`, `by`, `targets`…), with "
        "the nearest one.",
    ),
    Code(
        "R206",
        "error",
        "an unknown bot in a lesson",
        "An unknown bot in a lesson: \"unknown bot 'x'; did you mean 'y'?\", with the "
        "built-in bots. A custom bot is a file ending in `.py`.",
    ),
    Code(
        "R207",
        "error",
        "an effect without exactly one kind",
        "An effect with no key, or more than one (`- trust: … satisfaction: …` on one item): "
        "give each effect its own `-`.",
    ),
    Code(
        "R208",
        "error",
        "a rule of the format broken (one player, one default answer, …)",
        "A rule of the format broken: exactly one `player: true`, at most one `default: true` "
        "answer per event, exactly one of `above`, `below`, `at_least`, `at_most` per lesson.",
    ),
    Code(
        "R209",
        "error",
        "too many items in a list",
        "Too many items in a list (see Limits above), or actions making more than 20,000 moves.",
    ),
    # Ids, people and texts.
    Code(
        "R301",
        "error",
        "an id that names nobody (or the wrong kind of person or thing)",
        "An id that names nobody, with the nearest one; or an id of the wrong kind, named as "
        "what it is (\"'buyer' is a customer person, not a supplier person\"). In a condition, "
        "`active()` and `left()` take your own people: for a customer person who has left, use "
        "`fired(EVENT)` of the event with their `leave`, or `not met(PERSON)`.",
    ),
    Code(
        "R302",
        "error",
        "a reserved word used as an id",
        "A reserved word used as an id (`firm`, `actor`, `target`, `player`, `all`, `team`, "
        "`stakeholders`, `none`; for actions also `end`, `event`, `intro`).",
    ),
    Code(
        "R303",
        "error",
        "an id used twice",
        "An id used twice (people and competitors share one set of ids; actions, events, "
        "lessons and each event's answers have their own), or the same trust given twice.",
    ),
    Code(
        "R304",
        "error",
        "reporting lines that go round in a loop",
        "Reporting lines that go round in a circle: one problem per circle, naming everyone in "
        "it (`a → b → a`).",
    ),
    Code(
        "R305",
        "error",
        "the people cannot make a game (nobody met, no influence, …)",
        "The people cannot make a game: nobody `met: true`, no influence anywhere, the "
        "player's rep not active, or a person `met` who is not `present` at the start.",
    ),
    Code(
        "R306",
        "error",
        "`target` where there is no target person",
        "`who: target` where there is no target person (an action with `targets: none`, an "
        "event without `target`).",
    ),
    Code(
        "R307",
        "error",
        "a `leave` or `join` that cannot happen",
        "A `leave` that cannot happen: the player's own rep, or a customer person given `to:` "
        "(a customer person who leaves retires or moves on and takes no business; use an "
        "`offer` to let a competitor win business).",
    ),
    Code(
        "R308",
        "error",
        "an unknown placeholder in a text",
        "An unknown placeholder in a text (`{targt}`), with the nearest one.",
    ),
    Code(
        "R309",
        "error",
        "an unknown lesson metric",
        "An unknown lesson metric, with the list of metrics.",
    ),
    Code(
        "R310",
        "error",
        "the calendar runs past the last date Rapport can show",
        "The calendar runs past 9999-12-31 (`calendar.start`, `days_per_turn` and `turns` "
        "together).",
    ),
    Code(
        "R311",
        "error",
        "a turn that could hold more moves than a player ever makes",
        "One turn could hold more than 400 moves: actions that cost nothing used `per_turn` "
        "times on every target, or costs so small that `time_budget` pays for hundreds of "
        "moves. Give moves a cost, or lower `per_turn`.",
    ),
    Code(
        "R312",
        "error",
        "a contract that ends after the game, or decides before it starts",
        "A contract that ends after the last turn, or whose decision (`notice` turns before "
        "`ends`) would come before the game starts, or a contract in a scenario without "
        "competitors. Move `ends` or `notice`, or add a competitor.",
    ),
    # Conditions.
    Code(
        "R401",
        "error",
        "a condition that is not a valid expression",
        "A condition that is not a valid expression (two values with nothing between them, "
        "`and and`…), or is empty.",
    ),
    Code(
        "R402",
        "error",
        "`=` where `==` was meant",
        "A comparison written wrongly: `=` for `==`, `=>` for `>=`, `=<` for `<=`, `<>` for "
        "`!=`, `!` for `not`, `&&` and `\\|\\|` for `and` and `or`.",
    ),
    Code(
        "R403",
        "error",
        "a condition that ends early or leaves a bracket open",
        "A condition that ends early (`turn >`), or a bracket or quote never closed (or closed "
        "twice).",
    ),
    Code(
        "R404",
        "error",
        "an unknown name or function, or a function given the wrong ids",
        "An unknown name or function, with the nearest one, or a function given the wrong "
        "number of ids or something that is not an id.",
    ),
    Code(
        "R405",
        "error",
        "something a condition may not contain",
        "Something a condition may not contain: attributes, lists, `in`, `is`, `if`, `None`, "
        "`**`… Conditions use names, numbers, quoted words, comparisons, `and`/`or`/`not`, `+ "
        "- * /` and the listed functions.",
    ),
    Code(
        "R406",
        "error",
        "a condition that mixes numbers and text",
        'Numbers and texts mixed: text in arithmetic (`"a" + 1`, `-"x"`, `"ab" * 3`) or in '
        '`<`, `<=`, `>`, `>=`, a number compared with a text (`turn == "x"`), or a text alone '
        "as a condition. A flag some effect sets to a text is a text.",
    ),
    Code(
        "R407",
        "error",
        "a condition too long, too deep or with too large a number",
        "A condition too long (over 500 characters), too big (over 120 parts), too deeply "
        "nested (over 40 levels), or with a number of more than 15 digits.",
    ),
    # Warnings.
    Code(
        "R501",
        "warning",
        "a condition that can never be true",
        "A condition that can never be true (a turn past the last, a trust above 1, a flag "
        "nothing sets, a person nobody can meet, an event that never fires): the action or "
        "event it guards is dead.",
    ),
    Code(
        "R502",
        "warning",
        "an event that can never fire",
        "An event that can never fire: its `chance` is 0, or its condition waits on an event "
        "that never fires.",
    ),
    Code(
        "R503",
        "warning",
        "a person no chain of introductions reaches, or who never arrives",
        "A person no chain of introductions reaches, or one who is not there at the start "
        "(`present: false`, `active: false`) and whom no `join` effect brings in.",
    ),
    Code(
        "R504",
        "warning",
        "a cost no turn can afford",
        "A cost no turn can afford: an action or an introduction costing more than "
        "`time_budget` can never be used; an event answer costing more takes the whole turn.",
    ),
    Code(
        "R505",
        "warning",
        "a placeholder that cannot be filled here",
        "A placeholder that cannot be filled where it is (`{target}` without a target, "
        "`{introducer}` outside introductions, any placeholder in an event title or an action "
        "description): it would show as written.",
    ),
    Code(
        "R506",
        "warning",
        "a `{` that is never closed in a text",
        "A `{` never closed in a text (`{target` for `{target}`).",
    ),
    Code(
        "R507",
        "warning",
        "a flag no effect sets",
        "A condition reads a flag no effect sets (it is always false), with the nearest flag "
        "that is set.",
    ),
    Code(
        "R508",
        "warning",
        "a move or answer that changes nothing",
        "A move or answer that changes nothing a player could notice (only log lines, or flags "
        "nothing reads); mark a do-nothing answer `default: true`.",
    ),
    Code(
        "R509",
        "warning",
        "a `join` of someone already there",
        "A `join` of someone already there at the start: give them `present: false` (customer) "
        "or `active: false` (supplier).",
    ),
    Code(
        "R510",
        "warning",
        "a lesson's bot file that is not there",
        "A lesson's bot file (`.py`) that is not in the scenario's folder; `rapport balance` "
        "needs it.",
    ),
    Code(
        "R511",
        "warning",
        "a text holding a control character or terminal escape",
        "A text holding a control character or terminal escape, written as an escape in double "
        'quotes (`"\\e[31m"`): Rapport always shows it escaped (`\\x1b[31m`); remove it.',
    ),
)

CODES: dict[str, Code] = {code.code: code for code in _TABLE}


#: Warnings about a part of the scenario that can never happen. They fail validation like
#: errors unless the scenario lists the code under `intended:` (the author means it).
NEVER_HAPPENS = ("R501", "R502", "R503", "R507", "R509")


def severity_of(code: str) -> Severity:
    """Whether problems with `code` are errors or warnings."""
    return CODES[code].severity


def codes_markdown() -> str:
    """The "Error codes" tables of docs/authoring.md, generated from this table (print
    them with `rapport schema --codes`; a test keeps the docs equal to them)."""
    out: list[str] = []
    for group, title in GROUPS.items():
        out += [f"**{title}** ({group})", "", "| code | meaning and fix |", "|---|---|"]
        out += [f"| `{c.code}` | {c.fix} |" for c in _TABLE if c.code[:2] == group[:2]]
        out.append("")
    return "\n".join(out).rstrip() + "\n"
