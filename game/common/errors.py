"""The base of every error that is the user's to fix (bad scenario, bad run log,
bad bot). Front ends show its message and exit 1; anything else is a bug."""


class UserError(Exception):
    """A problem with the user's input, with a message that says what and where."""
