"""Whether the terminal the game runs in is still there.

A closed terminal window or a dropped SSH connection normally ends the game with a
hang-up signal. A game started in a new session (by a process manager, or with
`setsid`) gets no such signal: its terminal just stops answering, and Textual's
driver then reads end-of-input in a tight loop. The app looks every few seconds and,
once the terminal has gone, ends the game (saved) instead of spinning.
"""

from __future__ import annotations

import os
import sys

#: How often the app looks (an idle check: one system call).
CHECK_SECONDS = 2.0


def terminal_fd() -> int | None:
    """The terminal the game reads its keys from, or None (a pipe: the browser, tests;
    or a system without POSIX terminals, where this check does not apply)."""
    try:
        import termios  # noqa: F401
    except ImportError:
        return None
    stream = sys.__stdin__
    if stream is None:
        return None
    try:
        fd = stream.fileno()
    except (OSError, ValueError):
        return None
    return fd if os.isatty(fd) else None


def terminal_gone(fd: int) -> bool:
    """True once the terminal has hung up (asking for its settings fails)."""
    import termios

    try:
        termios.tcgetattr(fd)
    except (OSError, termios.error):
        return True
    return False
