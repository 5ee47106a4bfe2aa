"""The language scenarios are shown in for this process (None: as written).

Only `rapport play --lang` sets it; checking, balancing and scoring always read a
scenario as written. It lives here, not beside the translations in `game.scenario`,
so that the app's first screen can ask without importing the scenario models.
"""

from __future__ import annotations

import re

#: A language code: `fr`, `pt-BR`, `de_CH`, `qps-ploc` (never a path).
LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,2}")

_language: str | None = None


def is_language_code(code: str) -> bool:
    """Whether `code` is a language code."""
    return bool(LANGUAGE.fullmatch(code))


def use_language(code: str | None) -> None:
    """Show scenarios loaded from now on in language `code` (None: as written); the
    caller checks `code` with :func:`is_language_code` first."""
    global _language
    if code is not None and not is_language_code(code):
        raise ValueError(f"not a language code: {code[:40]!r}")
    _language = code


def current_language() -> str | None:
    """The language scenarios are shown in (None: as written)."""
    return _language
