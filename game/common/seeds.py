"""Seeds: whole numbers that fit in 64 bits, from -2**63 to 2**63 - 1.

The bound keeps a seed exact wherever it is stored (a signed 64-bit SQLite or
PostgreSQL integer, JSON read by any tool) and cheap to turn into text. This
module has no imports, so the command line can use it without the engine.
"""

from __future__ import annotations

MIN_SEED = -(2**63)
MAX_SEED = 2**63 - 1
RANGE = "seeds run from -2**63 to 2**63 - 1"


def describe_number(value: int) -> str:
    """`value` as text, or its size if it is too long to print."""
    if -(10**30) < value < 10**30:
        return str(value)
    digits = int(abs(value).bit_length() * 0.30103) + 1
    return f"{'-' if value < 0 else ''}a number of about {digits:,} digits"


def seed_problem(value: object) -> str | None:
    """Why `value` cannot be a seed, or None if it can."""
    if not isinstance(value, int) or isinstance(value, bool):
        return "must be a whole number"
    if not MIN_SEED <= value <= MAX_SEED:
        return f"{describe_number(value)} is out of range ({RANGE})"
    return None
