"""Small, careful file helpers: atomic writes and size-limited reads."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from game.common.errors import UserError


def write_text_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder.

    The old file stays whole until the new one is complete and synced, so a
    process killed mid-write never leaves half a file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_bytes_limited(path: Path, limit: int, what: str) -> bytes:
    """Read a file of at most `limit` bytes; raise :class:`UserError` naming the problem."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise UserError(f"{path}: not a file")
        if size > limit:
            raise UserError(f"{path}: {size:,} bytes is too big for {what} (at most {limit:,})")
        return path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except PermissionError:
        raise UserError(f"{path}: permission denied") from None
