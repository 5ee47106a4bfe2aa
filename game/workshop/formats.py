"""The leaderboard as a terminal table, CSV, JSON or one self-contained HTML page.

Player names are shown literally everywhere: escaped in HTML, never read as
markup, and protected against spreadsheet formula injection in CSV.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Sequence

from game.workshop.board.store import Standing

COLUMNS = (
    "rank",
    "player",
    "score",
    "par",
    "vs_par",
    "workshop",
    "scenario",
    "seed",
    "games",
    "finished",
    "time",
)
NUMERIC = {"rank", "score", "par", "vs_par", "seed", "games"}
HIDDEN_SEED = "hidden"


def _row(standing: Standing) -> dict[str, object]:
    """One standing as plain values: par and vs_par are None without par; a hidden seed is None."""
    entry = standing.entry
    return {
        "rank": standing.rank,
        "player": entry.player,
        "score": entry.score,
        "par": entry.par,
        "vs_par": entry.margin,
        "workshop": entry.workshop,
        "scenario": entry.scenario,
        "seed": None if standing.seed_hidden else entry.seed,
        "games": standing.games,
        "time": entry.created[:19].replace("T", " "),
        "finished": entry.finished,
    }


def _shown(row: dict[str, object]) -> dict[str, str]:
    """A row as text for people: a signed margin, "-" for no par, "hidden" for a hidden seed."""
    shown = {key: str(value) for key, value in row.items()}
    margin = row["vs_par"]
    shown["vs_par"] = "-" if margin is None else f"{margin:+d}"
    shown["par"] = "-" if row["par"] is None else str(row["par"])
    shown["seed"] = HIDDEN_SEED if row["seed"] is None else str(row["seed"])
    shown["finished"] = "yes" if row["finished"] else "no (round ended)"
    return shown


def ranking_note(ranking: str) -> str:
    """How the board is ordered, in words."""
    if ranking == "par":
        return "Ranked by score minus par (the relationship-builder bot's score on the same seed)."
    return "Ranked by score."


def as_table(standings: Sequence[Standing]) -> str:
    """An aligned text table for the terminal."""
    if not standings:
        return "No scores yet."
    rows = [_shown(_row(s)) for s in standings]
    widths = {c: max(len(c), *(len(r[c]) for r in rows)) for c in COLUMNS}

    def line(values: dict[str, str]) -> str:
        cells = [
            values[c].rjust(widths[c]) if c in NUMERIC else values[c].ljust(widths[c])
            for c in COLUMNS
        ]
        return "  ".join(cells).rstrip()

    return "\n".join([line({c: c for c in COLUMNS}), *(line(r) for r in rows)])


def _safe_cell(value: object) -> object:
    """Keep spreadsheets from running a name like '=HYPERLINK(…)' as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def as_csv(standings: Sequence[Standing]) -> str:
    """One row per player; par and vs_par empty without par, seed "hidden" when hidden."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for standing in standings:
        row = _row(standing)
        if row["seed"] is None:
            row["seed"] = HIDDEN_SEED
        row["finished"] = "yes" if row["finished"] else "no"
        writer.writerow({k: _safe_cell(v) for k, v in row.items()})
    return buffer.getvalue()


def as_json(standings: Sequence[Standing]) -> str:
    """A list of rows: par and vs_par null without par; seed null (seed_hidden true) if hidden."""
    rows = [
        _row(s) | {"seed_hidden": s.seed_hidden, "breakdown": s.entry.breakdown} for s in standings
    ]
    return json.dumps(rows, indent=2, ensure_ascii=False)


def as_html(standings: Sequence[Standing], title: str, ranking: str = "score") -> str:
    """One page, no scripts, no outside files: safe to mail or put on a shared drive."""
    esc = html.escape
    body = (
        "".join(
            "<tr>" + "".join(f'<td class="{c}">{esc(r[c])}</td>' for c in COLUMNS) + "</tr>\n"
            for r in (_shown(_row(s)) for s in standings)
        )
        or f'<tr><td colspan="{len(COLUMNS)}">No scores yet.</td></tr>\n'
    )
    head = "".join(f"<th>{esc(c)}</th>" for c in COLUMNS)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; color: #222; }}
h1 {{ font-size: 1.6rem; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ padding: .4rem .6rem; border-bottom: 1px solid #ddd; text-align: left; }}
td.rank, td.score, td.par, td.vs_par, td.seed, td.games {{ text-align: right; }}
p.note {{ color: #555; }}
tr:nth-child(1) td {{ font-weight: bold; }}
</style>
</head>
<body>
<h1>{esc(title)}</h1>
<p class="note">{esc(ranking_note(ranking))}</p>
<table>
<thead><tr>{head}</tr></thead>
<tbody>
{body}</tbody>
</table>
</body>
</html>
"""
