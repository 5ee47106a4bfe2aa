"""Notice when a scenario file is saved (for `rapport play FILE --watch`)."""

from __future__ import annotations

from pathlib import Path


class FileWatcher:
    """Polls a file's modification time and size; no extra dependency, no threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.stamp = self._stamp()

    def _stamp(self) -> tuple[int, int] | None:
        try:
            stat = self.path.stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def changed(self) -> bool:
        """True once after each save (or deletion) of the file."""
        stamp = self._stamp()
        if stamp == self.stamp:
            return False
        self.stamp = stamp
        return True
