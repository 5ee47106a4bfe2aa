"""Player names: trimmed, length-limited, free of control characters.

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
