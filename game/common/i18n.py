"""The interface's own words in the player's language, through gettext.

Code marks each sentence the interface shows with `_()`: `_("End turn")`. The words
are looked up in the catalogue of the language in use: `game/locale/CODE.po` among
Rapport's own files, or `CODE.po` in the user's `locale` folder (which wins), read with
polib. Without a catalogue, or for a sentence it lacks, the English stands. The
pseudo-language `qps` accents every letter, to show at a glance what is not marked.

Set the language before the interface's modules are imported (`rapport play --lang`
does): key bindings take their words when their class is defined.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from importlib import resources
from pathlib import Path

from game.common.paths import user_data_dir

#: The pseudo-language, for testing that every line goes through a translation.
PSEUDO = "qps"
#: What pseudo-translation leaves as it is: placeholders, Rich markup, %-formats.
KEEP = re.compile(r"\{[^{}]*\}|\[[^\[\]]*\]|%\(\w+\)[sdf]|%[sdf]")
_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "åƀçđéƒĝĥîĵķļɱñöþǫŕšŧûṽŵẋýžÅƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŦÛṼŴẊÝŽ",
)


def pseudo(text: str) -> str:
    """`text` in the pseudo-language: letters accented, placeholders and markup kept."""
    parts, last = [], 0
    for match in KEEP.finditer(text):
        parts += [text[last : match.start()].translate(_ACCENTED), match.group()]
        last = match.end()
    parts.append(text[last:].translate(_ACCENTED))
    return "".join(parts)


class Catalogue(gettext.NullTranslations):
    """Translations from a table (read from a PO file), English where it has none."""

    def __init__(self, table: dict[str, str]) -> None:
        super().__init__()
        self.table = table

    def gettext(self, message: str) -> str:
        return self.table.get(message) or message


class PseudoCatalogue(gettext.NullTranslations):
    """Every sentence in the pseudo-language."""

    def gettext(self, message: str) -> str:
        return pseudo(message)


_catalogue: gettext.NullTranslations = gettext.NullTranslations()


def _(message: str) -> str:
    """`message` in the interface's language."""
    return _catalogue.gettext(message)


def catalogue_file(code: str) -> Path | None:
    """The interface's catalogue for language `code` (None: there is none)."""
    places = [
        user_data_dir() / "locale" / f"{code}.po",
        Path(str(resources.files("game"))) / "locale" / f"{code}.po",
    ]
    return next((place for place in places if place.is_file()), None)


def read_catalogue(path: Path) -> dict[str, str]:
    """The translated, not fuzzy, entries of the PO file at `path` (empty if unreadable:
    the interface then speaks English rather than fail)."""
    import polib

    try:
        po = polib.pofile(str(path))
    except (OSError, ValueError, UnicodeDecodeError):
        return {}
    return {
        e.msgid: e.msgstr for e in po.translated_entries() if not e.fuzzy and _is_text(e.msgstr)
    }


def _is_text(text: str) -> bool:
    """No control character (tabs and line breaks apart): a catalogue cannot put a
    terminal escape into the game (such a sentence stays in English)."""
    return all(
        char in "\n\t\u200c\u200d" or not unicodedata.category(char).startswith("C")
        for char in text
    )


def use_interface_language(code: str | None) -> bool:
    """Speak language `code` from now on (None: English); whether a catalogue was found."""
    global _catalogue
    if code is None:
        _catalogue = gettext.NullTranslations()
        return True
    if code == PSEUDO:
        _catalogue = PseudoCatalogue()
        return True
    path = catalogue_file(code)
    _catalogue = gettext.NullTranslations() if path is None else Catalogue(read_catalogue(path))
    return path is not None
