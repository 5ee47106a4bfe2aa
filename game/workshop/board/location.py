"""Where a board is: a SQLite file path, or a PostgreSQL URL.

`--db` takes either. Anything that looks like a URL but is not a PostgreSQL
one (`mysql://…`, `http://…`, `sqlite://…`) is refused with a message, never
taken for a file name (which would create a folder named `mysql:`).
"""

from __future__ import annotations

import re
from pathlib import Path

from game.workshop.board.store import BoardError, BoardStore
from game.workshop.board.urls import redact

POSTGRES_SCHEMES = ("postgresql", "postgres")
# Names that are clearly meant as URLs even without "//" (so "postgresql:x" is no file name).
_KNOWN_SCHEMES = (
    *POSTGRES_SCHEMES,
    "mysql",
    "mariadb",
    "sqlite",
    "sqlite3",
    "file",
    "http",
    "https",
    "ftp",
    "ssh",
    "mongodb",
    "redis",
    "mssql",
    "sqlserver",
    "oracle",
    "jdbc",
)
# Two or more letters before the colon: "C:\\boards\\x.db" is a Windows path, not a URL.
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]+):")

BoardLocation = Path | str
"""A SQLite file (`Path`) or a PostgreSQL URL (`str`)."""


def default_db() -> Path:
    """The leaderboard file in the user data folder."""
    from game.common.paths import leaderboard_file

    return leaderboard_file()


def parse_location(raw: str | Path | None) -> BoardLocation:
    """A `--db` value as a file path or a PostgreSQL URL; :class:`BoardError` for other URLs."""
    if raw is None:
        return default_db()
    if isinstance(raw, Path):
        return raw
    text = raw.strip()
    if not text:
        raise BoardError("--db is empty: give a file path or a postgresql:// URL")
    match = _SCHEME.match(text)
    if match is None:
        return Path(raw)
    scheme = match.group(1).lower()
    looks_like_url = text[match.end() :].startswith("//") or scheme in _KNOWN_SCHEMES
    if not looks_like_url:
        return Path(raw)
    if scheme in POSTGRES_SCHEMES and text[match.end() :].startswith("//"):
        return text
    shown = redact(text)
    if scheme in ("sqlite", "sqlite3", "file"):
        raise BoardError(
            f"--db {shown}: {scheme}: URLs are not read; give the SQLite file's path itself "
            "(e.g. --db board.db)"
        )
    if scheme in POSTGRES_SCHEMES:
        raise BoardError(f"--db {shown}: a PostgreSQL URL starts with {scheme}://")
    raise BoardError(
        f"--db {shown}: unsupported database URL scheme '{scheme}'; --db takes a SQLite file "
        "path or a postgresql:// URL"
    )


def describe(location: BoardLocation) -> str:
    """The location for messages (no password)."""
    return redact(location) if isinstance(location, str) else str(location)


def open_board(location: str | Path | None = None) -> BoardStore:
    """Open (creating or migrating if need be) the board at `location` (default: the user's)."""
    where = parse_location(location)
    if isinstance(where, str):
        from game.workshop.board.postgres_store import PostgresBoard

        return PostgresBoard(where)
    from game.workshop.board.sqlite_store import SqliteBoard

    return SqliteBoard(where)
