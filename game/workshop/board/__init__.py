"""The leaderboard's stores: one interface, a SQLite file or a PostgreSQL server.

| module | holds |
|---|---|
| `store` | the common interface (`BoardStore`), records and the shared SQL |
| `sqlite_store`, `postgres_store` | a board in one SQLite file, or on a PostgreSQL server |
| `location` | `--db` values: a file path or a postgresql:// URL; `open_board` |
| `urls` | a PostgreSQL URL fit to show (its password hidden) |

Nothing here imports Textual; `scoring` stays pure (no files, no database).
"""

from game.workshop.board.location import BoardLocation, default_db, open_board, parse_location
from game.workshop.board.store import (
    RANKINGS,
    SCHEMA_VERSION,
    BoardError,
    BoardStore,
    Entry,
    Place,
    Ranking,
    Standing,
    Workshop,
    WorkshopExists,
    WorkshopSummary,
)

__all__ = [
    "RANKINGS",
    "SCHEMA_VERSION",
    "BoardError",
    "BoardLocation",
    "BoardStore",
    "Entry",
    "Place",
    "Ranking",
    "Standing",
    "Workshop",
    "WorkshopExists",
    "WorkshopSummary",
    "default_db",
    "open_board",
    "parse_location",
]
