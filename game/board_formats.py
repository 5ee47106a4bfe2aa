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

from scoring.leaderboard import Standing

COLUMNS = ("rank", "player", "score", "workshop", "scenario", "seed", "games", "time")


def _row(standing: Standing) -> dict[str, object]:
    entry = standing.entry
    return {
        "rank": standing.rank,
        "player": entry.player,
        "score": entry.score,
        "workshop": entry.workshop,
        "scenario": entry.scenario,
        "seed": entry.seed,
        "games": standing.games,
        "time": entry.created[:19].replace("T", " "),
    }


def as_table(standings: Sequence[Standing]) -> str:
    """An aligned text table for the terminal."""
    if not standings:
        return "No scores yet."
    rows = [_row(s) for s in standings]
    widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) for c in COLUMNS}
    right = {"rank", "score", "seed", "games"}

    def line(values: dict[str, object]) -> str:
        cells = [
            str(values[c]).rjust(widths[c]) if c in right else str(values[c]).ljust(widths[c])
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
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for standing in standings:
        writer.writerow({k: _safe_cell(v) for k, v in _row(standing).items()})
    return buffer.getvalue()


def as_json(standings: Sequence[Standing]) -> str:
    rows = [_row(s) | {"breakdown": s.entry.breakdown} for s in standings]
    return json.dumps(rows, indent=2, ensure_ascii=False)


def as_html(standings: Sequence[Standing], title: str) -> str:
    """One page, no scripts, no outside files: safe to mail or put on a shared drive."""
    esc = html.escape
    body = (
        "".join(
            "<tr>" + "".join(f'<td class="{c}">{esc(str(r[c]))}</td>' for c in COLUMNS) + "</tr>\n"
            for r in (_row(s) for s in standings)
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
td.rank, td.score, td.seed, td.games {{ text-align: right; }}
tr:nth-child(1) td {{ font-weight: bold; }}
</style>
</head>
<body>
<h1>{esc(title)}</h1>
<table>
<thead><tr>{head}</tr></thead>
<tbody>
{body}</tbody>
</table>
</body>
</html>
"""
