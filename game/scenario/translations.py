"""Scenario translations: PO files of a scenario's lines, found by scenario id and
language, and the language a played game is shown in.

A translation of scenario `ID` into language `LANG` is the PO file `ID.LANG.po`
(each entry's context is a line id of `game.scenario.lines`, its msgid the line as the
scenario says it, its msgstr the translation). It is looked for beside the scenario's
own file, in `./scenarios`, in the user's scenario folder and among the bundled
scenarios, in that order. Lines left untranslated, marked fuzzy, or translated from
text the scenario no longer says, are shown as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import polib

from game.common.errors import UserError
from game.common.language import current_language, is_language_code
from game.common.paths import user_scenario_dir
from game.scenario.lines import placeholders, scenario_lines, translate
from game.scenario.loader import LoadedScenario


class TranslationError(UserError):
    """A language that is not a code, a translation that cannot be found or read."""


def language_code(code: str) -> str:
    """`code` if it is a language code; :class:`TranslationError` otherwise."""
    if not is_language_code(code):
        raise TranslationError(
            f"'{code[:40]}' is not a language code: write one such as fr, de or pt-BR"
        )
    return code


def translation_file(loaded: LoadedScenario, code: str) -> Path | None:
    """Where the translation of `loaded` into `code` is (None: nowhere)."""
    name = f"{loaded.scenario.id}.{language_code(code)}.po"
    places = []
    if loaded.file is not None:
        places.append(loaded.file.parent / f"{loaded.file.stem}.{code}.po")
        places.append(loaded.file.parent / name)
    places += [Path.cwd() / "scenarios" / name, user_scenario_dir() / name]
    places.append(Path(str(resources.files("scenarios"))) / name)
    return next((place for place in places if place.is_file()), None)


def read_po(path: Path) -> polib.POFile:
    """The PO file at `path`; :class:`TranslationError` naming it if it cannot be read."""
    try:
        return polib.pofile(str(path), wrapwidth=0)
    except (OSError, ValueError, UnicodeDecodeError) as error:
        raise TranslationError(f"{path}: not a readable PO file ({error})") from None


@dataclass(frozen=True, slots=True)
class Usable:
    """What a translation gives a scenario: translated lines by id, and how many of the
    scenario's lines are shown as written instead."""

    lines: dict[str, str]
    as_written: int


def usable_lines(loaded: LoadedScenario, po: polib.POFile) -> Usable:
    """The lines of `po` that translate `loaded` as it is now."""
    source = scenario_lines(loaded.scenario)
    lines = {}
    for entry in po:
        line = entry.msgctxt
        if (
            line in source
            and entry.msgstr
            and not entry.obsolete
            and not entry.fuzzy
            and entry.msgid == source[line]
            and placeholders(entry.msgstr) == placeholders(source[line])
        ):
            lines[line] = entry.msgstr
    return Usable(lines, len(source) - len(lines))


def translated(loaded: LoadedScenario, code: str | None = None) -> LoadedScenario:
    """`loaded` in language `code` (default: :func:`current_language`); as written when
    the language is None. :class:`TranslationError` if there is no such translation."""
    code = code or current_language()
    if code is None:
        return loaded
    path = translation_file(loaded, code)
    if path is None:
        raise TranslationError(
            f"there is no '{code}' translation of {loaded.scenario.id}: write "
            f"{loaded.scenario.id}.{code}.po (`rapport strings export {loaded.scenario.id} "
            f"--lang {code}`) beside the scenario, in ./scenarios or in {user_scenario_dir()}"
        )
    usable = usable_lines(loaded, read_po(path))
    return translate(loaded, usable.lines, str(path))
