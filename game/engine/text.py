"""Fill `{actor}`, `{target}` and friends into scenario text, nothing else.

Deliberately not `str.format`: scenario text must never reach attributes of
Python objects, and unknown braces are left as they are.
"""

from __future__ import annotations

import re

_PLACEHOLDER = re.compile(r"\{(actor|target|introducer|customer|supplier)\}")


def fill(template: str, values: dict[str, str]) -> str:
    """Replace known placeholders in `template` with `values`."""
    if "{" not in template:
        return template
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def percent(value: float) -> str:
    """0.4237 -> '42%'."""
    return f"{value * 100:.0f}%"


def points(value: float) -> str:
    """A change in company loyalty as signed points out of 100: 0.0123 -> '+1.2 pts'."""
    return f"{value * 100:+.1f} pts"
