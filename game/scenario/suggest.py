"""Did-you-mean hints for unknown names."""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches


def did_you_mean(name: str, options: Iterable[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest option, or an empty string."""
    close = get_close_matches(str(name), sorted(set(options)), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def closest(name: str, options: Iterable[str]) -> str | None:
    """The option closest to `name`, if one is close enough."""
    close = get_close_matches(str(name), sorted(set(options)), n=1, cutoff=0.6)
    return close[0] if close else None
