"""The leaderboard: its stores, workshops, submissions, par, room analysis and exports.

| module | holds |
|---|---|
| `store` | the common interface (`BoardStore`), records and the shared SQL |
| `sqlite_store`, `postgres_store` | a board in one SQLite file, or on a PostgreSQL server |
| `location` | `--db` values: a file path or a postgresql:// URL; `open_board` |
| `workshops` | workshop codes; the workshops a trainer creates |
| `submit` | run logs scored by replay, with par, onto the board |
| `par` | the reference bot's score on a seed |
| `room` | what a workshop room did, from the stored run logs |
| `formats` | the board as a table, CSV, JSON or one HTML page |

Nothing here imports Textual; `scoring` stays pure (no files, no database).
"""

from game.board.location import BoardLocation, default_db, open_board, parse_location
from game.board.store import (
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
