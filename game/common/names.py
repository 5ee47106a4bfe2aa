"""Player names: trimmed, length-limited, free of control characters; first names.

Names are always *shown* as plain text (never as markup or HTML); cleaning
here only keeps them printable and of a sensible length.
"""

from __future__ import annotations

import unicodedata

MAX_NAME = 40
DEFAULT_NAME = "Player"


def clean_player_name(raw: str | None) -> str:
    """A printable, trimmed name of at most 40 characters ("Player" if nothing is left)."""
    if not raw:
        return DEFAULT_NAME
    kept = []
    for char in unicodedata.normalize("NFC", raw):
        category = unicodedata.category(char)
        if category.startswith("Z") or char in "\t\n\r":
            kept.append(" ")
        elif not category.startswith("C"):
            kept.append(char)
    name = " ".join("".join(kept).split())
    return name[:MAX_NAME].rstrip() or DEFAULT_NAME


#: Titles that come before a name and are never a first name (compared without a dot).
HONORIFICS = frozenset({"dr", "mr", "mrs", "ms", "mx", "prof", "sir", "dame"})


def first_name(name: str) -> str:
    """The first word of `name` that is not an honorific ("Dr. Ana Ruiz" → "Ana").

    A name made only of titles keeps its first word; an empty name gives "".
    """
    words = name.split()
    for word in words:
        if word.rstrip(".").casefold() not in HONORIFICS:
            return word
    return words[0] if words else ""
