"""The interface's own sentences (every `_()` in the code) as a PO file for translators,
extracted with Babel; a language's catalogue brought up to date with polib."""

from __future__ import annotations

from pathlib import Path

import polib
from babel.messages.extract import extract_from_dir

import game
from game import __version__
from game.common.i18n import PSEUDO, pseudo


def interface_template() -> polib.POFile:
    """Every sentence marked with `_()` in Rapport's code, with where it is."""
    root = Path(game.__file__).parent
    po = polib.POFile(wrapwidth=0)
    po.header = "The sentences of Rapport's interface: `rapport strings interface`."
    po.metadata = {
        "Project-Id-Version": f"Rapport {__version__}",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    found: dict[str, polib.POEntry] = {}
    for filename, line, message, _comments, _context in extract_from_dir(
        str(root), method_map=[("**.py", "python")], keywords={"_": None}
    ):
        if not isinstance(message, str) or not message:
            continue
        where = (f"game/{filename}", str(line))
        if message in found:
            found[message].occurrences.append(where)
            continue
        entry = polib.POEntry(msgid=message, msgstr="", occurrences=[where])
        if "python-format" not in entry.flags and "{" in message:
            entry.flags.append("python-brace-format")
        found[message] = entry
        po.append(entry)
    return po


def interface_catalogue(language: str, previous: polib.POFile | None) -> polib.POFile:
    """The catalogue for `language`: `previous` merged with the sentences of the code as
    it is now (new sentences empty, those no longer used obsolete); in the
    pseudo-language, every sentence filled in."""
    template = interface_template()
    template.metadata["Language"] = language
    if language == PSEUDO:
        for entry in template:
            entry.msgstr = pseudo(entry.msgid)
        return template
    if previous is None:
        return template
    previous.merge(template)
    previous.metadata["Language"] = language
    return previous
