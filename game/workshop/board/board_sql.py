"""The SQL every board backend shares: the migrations that build the schema, step
by step, and the statements that keep each player's best entry up to date."""

from __future__ import annotations

from game.workshop.board.room_tables import ROOM_MIGRATION

#: Dialect words the migrations leave open: {id}, {bigint}, {nulls_last}, {float}.
MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE entries (
        id {id},
        workshop TEXT NOT NULL,
        scenario TEXT NOT NULL,
        scenario_hash TEXT NOT NULL,
        seed {bigint} NOT NULL,
        player TEXT NOT NULL,
        score INTEGER NOT NULL,
        breakdown TEXT NOT NULL,
        run_log TEXT NOT NULL,
        created TEXT NOT NULL
    );
    CREATE INDEX entries_board ON entries (workshop, scenario, score DESC, created);
    CREATE INDEX entries_player ON entries (workshop, scenario, player);
    """,
    # Version 2: each player's best entry kept up to date, so a board reads a few rows.
    2: """
    CREATE TABLE best (
        workshop TEXT NOT NULL,
        scenario TEXT NOT NULL,
        player TEXT NOT NULL,
        entry_id {bigint} NOT NULL,
        score INTEGER NOT NULL,
        created TEXT NOT NULL,
        games INTEGER NOT NULL,
        PRIMARY KEY (workshop, scenario, player)
    );
    CREATE INDEX best_board ON best (workshop, scenario, score DESC, created, entry_id);
    CREATE INDEX best_workshop ON best (workshop, score DESC, created, entry_id);
    CREATE INDEX best_all ON best (score DESC, created, entry_id);
    INSERT INTO best (workshop, scenario, player, entry_id, score, created, games)
        SELECT workshop, scenario, player, id, score, created, games FROM (
            SELECT *, ROW_NUMBER() OVER (
                PARTITION BY workshop, scenario, player ORDER BY score DESC, created, id
            ) AS nth, COUNT(*) OVER (PARTITION BY workshop, scenario, player) AS games
            FROM entries
        ) AS ranked WHERE nth = 1;
    """,
    # Version 3: workshops created by a trainer, par on every entry, the best by score - par.
    # Entries from before par was recorded have none: they rank after every entry that has.
    3: """
    CREATE TABLE workshops (
        code TEXT PRIMARY KEY,
        scenario TEXT NOT NULL,
        scenario_hash TEXT NOT NULL,
        seed {bigint} NOT NULL,
        seed_hidden INTEGER NOT NULL,
        first_attempt_only INTEGER NOT NULL,
        ranking TEXT NOT NULL,
        created TEXT NOT NULL
    );
    ALTER TABLE entries ADD COLUMN par INTEGER;
    CREATE TABLE best_par (
        workshop TEXT NOT NULL,
        scenario TEXT NOT NULL,
        player TEXT NOT NULL,
        entry_id {bigint} NOT NULL,
        margin INTEGER,
        created TEXT NOT NULL,
        games INTEGER NOT NULL,
        PRIMARY KEY (workshop, scenario, player)
    );
    CREATE INDEX best_par_board ON best_par
        (workshop, scenario, margin DESC {nulls_last}, created, entry_id);
    CREATE INDEX best_par_workshop ON best_par
        (workshop, margin DESC {nulls_last}, created, entry_id);
    CREATE INDEX best_par_all ON best_par (margin DESC {nulls_last}, created, entry_id);
    INSERT INTO best_par (workshop, scenario, player, entry_id, margin, created, games)
        SELECT workshop, scenario, player, entry_id, NULL, created, games FROM best;
    """,
    # Version 4: the live room (games in progress, pause, injected events, the round's
    # end), and entries scored unfinished when the trainer ended the round.
    4: ROOM_MIGRATION,
}

KEEP_BEST = """
INSERT INTO best (workshop, scenario, player, entry_id, score, created, games)
VALUES (?, ?, ?, ?, ?, ?, 1)
ON CONFLICT (workshop, scenario, player) DO UPDATE SET
    games = best.games + 1,
    entry_id = CASE WHEN excluded.score > best.score THEN excluded.entry_id ELSE best.entry_id END,
    created = CASE WHEN excluded.score > best.score THEN excluded.created ELSE best.created END,
    score = CASE WHEN excluded.score > best.score THEN excluded.score ELSE best.score END
"""

BETTER_MARGIN = (
    "excluded.margin IS NOT NULL AND (best_par.margin IS NULL OR excluded.margin > best_par.margin)"
)
KEEP_BEST_PAR = f"""
INSERT INTO best_par (workshop, scenario, player, entry_id, margin, created, games)
VALUES (?, ?, ?, ?, ?, ?, 1)
ON CONFLICT (workshop, scenario, player) DO UPDATE SET
    games = best_par.games + 1,
    entry_id = CASE WHEN {BETTER_MARGIN} THEN excluded.entry_id ELSE best_par.entry_id END,
    created = CASE WHEN {BETTER_MARGIN} THEN excluded.created ELSE best_par.created END,
    margin = CASE WHEN {BETTER_MARGIN} THEN excluded.margin ELSE best_par.margin END
"""

# In a first-attempt-only workshop the first entry stays the one that ranks.
KEEP_FIRST = """
INSERT INTO {table} (workshop, scenario, player, entry_id, {key}, created, games)
VALUES (?, ?, ?, ?, ?, ?, 1)
ON CONFLICT (workshop, scenario, player) DO UPDATE SET games = {table}.games + 1
"""

ENTRY_COLUMNS = (
    "entries.id, entries.workshop, entries.scenario, entries.scenario_hash, entries.seed, "
    "entries.player, entries.score, entries.par, entries.breakdown, entries.run_log, "
    "entries.created, entries.finished"
)
WORKSHOP_COLUMNS = (
    "code, scenario, scenario_hash, seed, seed_hidden, first_attempt_only, ranking, created"
)
