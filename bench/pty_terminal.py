"""A program in a real pseudo-terminal, for the benchmarks: keys written to it, its
output read back as bursts of screen text with their times (see key_response.py)."""

from __future__ import annotations

import codecs
import contextlib
import fcntl
import os
import re
import select
import struct
import subprocess
import termios
import time
from dataclasses import dataclass
from pathlib import Path

#: Escape sequences: colours and styles (dropped) and everything else, cursor moves
#: included (replaced by a space, so words on different lines do not run together).
SGR = re.compile(r"\x1b\[[0-9;:]*m")
#: Operating-system commands, which draw nothing (Textual sets the mouse pointer's shape,
#: OSC 22, when a screen is pushed, some time before it paints).
OSC = re.compile(r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")
ESCAPE = re.compile(
    r"\x1b\[[0-9;:?<>=$ ]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]"
)


def screen_text(data: str) -> str:
    """The printable text of terminal output, whitespace collapsed."""
    return " ".join(ESCAPE.sub(" ", SGR.sub("", data)).split())


@dataclass
class Burst:
    """The output that followed one key (or one wait)."""

    start: float
    last: float | None = None  # time of the last byte read
    size: int = 0
    raw: str = ""  # the output, decoded
    drawn: bool = False  # anything but OSC came
    timed_out: bool = False

    @property
    def text(self) -> str:
        return screen_text(self.raw)

    def add(self, other: Burst) -> None:
        """Take in the output of a later read."""
        self.last = other.last or self.last
        self.size += other.size
        self.raw += other.raw
        self.drawn = self.drawn or other.drawn
        self.timed_out = self.timed_out or other.timed_out

    @property
    def ms(self) -> float | None:
        """From the key to the last byte; None if the key drew nothing."""
        return (self.last - self.start) * 1e3 if self.drawn and self.last else None


class Terminal:
    """A program running in a pseudo-terminal of a given size."""

    def __init__(
        self, command: list[str], cwd: Path, env: dict[str, str], size: tuple[int, int]
    ) -> None:
        self.master, slave = os.openpty()
        columns, rows = size
        env = {**env, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(rows)}
        try:
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
            self.process = subprocess.Popen(
                command,
                cwd=cwd,
                env=env,
                stdin=slave,
                stdout=slave,
                stderr=slave,
                start_new_session=True,
            )
        except BaseException:
            os.close(self.master)
            raise
        finally:
            os.close(slave)
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.stray = 0  # bytes that came after a key's repaint had settled, before the next key

    def _read(self, timeout: float) -> bytes | None:
        """Bytes available within `timeout` seconds; None if none came, b"" at end of output."""
        ready, _, _ = select.select([self.master], [], [], max(0.0, timeout))
        if not ready:
            return None
        try:
            return os.read(self.master, 1 << 16)
        except OSError:  # EIO: the program has gone
            return b""

    def read_until_quiet(
        self, start: float, settle: float, timeout: float, first: float | None = None
    ) -> Burst:
        """Read until the output has been quiet for `settle` seconds after its last byte.

        The first byte that draws is awaited for `first` seconds (default: `timeout`), so
        a slow key is not taken for one that draws nothing, and output that draws nothing
        (OSC) does not start the quiet window; all reading stops `timeout` seconds after
        `start`.
        """
        burst = Burst(start)
        chunks: list[str] = []
        deadline = start + timeout
        first_by = start + (timeout if first is None else first)
        while True:
            now = time.perf_counter()
            quiet_until = burst.last + settle if burst.drawn and burst.last else first_by
            if now >= quiet_until:
                break
            if now >= deadline:
                burst.timed_out = True
                break
            data = self._read(min(quiet_until, deadline) - now)
            if data is None:
                continue
            if not data:
                output = screen_text("".join(chunks))[-500:]
                raise RuntimeError(f"{self.process.args!r} ended: {output}")
            burst.last = time.perf_counter()
            burst.size += len(data)
            chunks.append(self.decoder.decode(data))
            burst.drawn = burst.drawn or bool(OSC.sub("", chunks[-1]))
        burst.raw = "".join(chunks)
        return burst

    def wait_for(self, marker: str, settle: float, timeout: float, key: str = "") -> Burst:
        """Write `key` (if any), read until `marker` has shown, then until quiet for `settle` s."""
        start = time.perf_counter()
        if key:
            os.write(self.master, key.encode())
        burst = Burst(start)
        while marker not in burst.text:
            left = start + timeout - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"no {marker!r} within {timeout:g} s: {burst.text[-500:]!r}")
            burst.add(self.read_until_quiet(time.perf_counter(), 0.05, left))
        burst.add(self.read_until_quiet(time.perf_counter(), settle, timeout, first=settle))
        return burst

    def press(self, key: str, settle: float, timeout: float) -> Burst:
        """Write `key` and read the repaint it causes (after dropping any output unasked)."""
        self.stray += self.stray_output()
        start = time.perf_counter()
        os.write(self.master, key.encode())
        return self.read_until_quiet(start, settle, timeout)

    def stray_output(self) -> int:
        """How many bytes came unasked since the last read (read and dropped)."""
        size = 0
        while data := self._read(0):
            size += len(data)
        return size

    def close(self) -> None:
        """Kill the program (this one process, by its id) and close the terminal."""
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        os.close(self.master)
