"""The base of every error that is the user's to fix (bad scenario, bad run log,
bad bot). Front ends show its message and exit 1; anything else is a bug."""


class UserError(Exception):
    """A problem with the user's input, with a message that says what and where."""


def quoted(text: str, limit: int = 40) -> str:
    """`text` as a message quotes it: in quotes, cut short (saying how long it was) if it
    is longer than `limit`, so a hostile or mistaken input never floods the message."""
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}… ({len(text):,} characters)"
