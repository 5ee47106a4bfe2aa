"""The player's name field: an Input that leaves `?` to the help key."""

from __future__ import annotations

from textual.widgets import Input

#: Characters a name never needs, so that their keys keep working while the field has focus.
LEFT_TO_BINDINGS = frozenset("?")


class NameInput(Input):
    """An Input that does not capture `?`: it opens help, even while typing a name."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """Every printable key but `?` types into the field."""
        if character in LEFT_TO_BINDINGS:
            return False
        return super().check_consume_key(key, character)
