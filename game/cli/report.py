"""Plain-text reports of run results for the terminal."""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from game.coach.balance import BalanceReport, PersonSummary

#: The width the balance report's tables and reasons are laid out for.
WIDTH = 100
_KEEP = frozenset({"\u200c", "\u200d"})  # joiners inside emoji and some scripts


def printable(text: str) -> str:
    """`text` with nothing a terminal would act on: control and format characters
    (line breaks, escapes, bidirectional overrides) as visible escapes."""
    if text.isascii() and text.isprintable():
        return text
    out = []
    for char in text:
        if unicodedata.category(char).startswith("C") and char not in _KEEP:
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


#: Behaviours under this share of a bot's time are summed into one "others" entry.
SMALL_SHARE = 0.05


def _pct(value: float) -> str:
    return f"{value * 100:.0f}%"


def format_hours(shares: list[tuple[str, float]], small: float = SMALL_SHARE) -> str:
    """Shares of time, biggest first, those under `small` summed when there are several:
    `contact 42% · training 18% · 3 others 7%`."""
    if not shares:
        return "no time spent"
    big = [(b, s) for b, s in shares if s >= small]
    rest = [s for _b, s in shares if s < small]
    if len(rest) == 1:
        big, rest = list(shares), []
    parts = [f"{b} {_pct(s)}" for b, s in big]
    if rest:
        parts.append(f"{len(rest)} others {_pct(sum(rest))}")
    return " · ".join(parts)


def format_result(result: dict[str, Any]) -> str:
    """A readable report of one run (the JSON has the same facts)."""
    final = result["final"]
    score = result["score"]
    who = result.get("player") or result.get("bot") or "unknown player"
    lines = [
        f"{result['scenario']} · seed {result['seed']} · {who}"
        + ("" if result["finished"] else f" · unfinished at turn {result['turns_played']}"),
        "",
        f"Score {score['total']} / 1000",
    ]
    for part in score["breakdown"].values():
        lines.append(f"  {part['label']:<36} {part['value']:6.2f}  {part['points']:6.1f} pts")
    lines += [
        "",
        f"Company loyalty {_pct(final['company_loyalty'])} · resilience {_pct(final['resilience'])}"
        f" · concentration {final['concentration']:.2f} · satisfaction "
        f"{_pct(final['satisfaction'])}",
        f"Revenue {final['revenue']:,.0f} · share kept {_pct(final['share'])} · lifetime value "
        f"{final['lifetime_value']:,.0f}",
    ]
    defections = result["defections"]
    lines += ["", f"Defections: {len(defections)}"]
    for d in defections:
        to = d["competitor"] or "nobody"
        lines.append(
            f"  turn {d['turn']:>2}  {d['who']:<14} to {to:<12} real reason: "
            f"{d['reason']:<13} (said: {d['stated_reason']}) satisfaction "
            f"{_pct(d['satisfaction'])}"
        )
    if score["built"]:
        lines += [
            "",
            "Built trust:  "
            + ", ".join(f"{d['label']} {d['points']:+.1f}" for d in score["built"][:5]),
        ]
    if score["leaked"]:
        lines += [
            "Leaked trust: "
            + ", ".join(f"{d['label']} {d['points']:+.1f}" for d in score["leaked"][:5])
        ]
    return "\n".join(lines)


def format_runs(output: dict[str, Any]) -> str:
    """A table of several runs and their means."""
    lines = [
        f"{output['scenario']} · bot {output['bot']} · seeds {output['seeds'][0]}–"
        f"{output['seeds'][1]}",
        "",
        f"{'seed':>6} {'score':>6} {'loyalty':>8} {'resil.':>7} {'satisf.':>8} "
        f"{'share':>6} {'defections':>10}",
    ]
    for run in output["runs"]:
        f = run["final"]
        lines.append(
            f"{run['seed']:>6} {run['score']['total']:>6} {_pct(f['company_loyalty']):>8} "
            f"{_pct(f['resilience']):>7} {_pct(f['satisfaction']):>8} "
            f"{_pct(f['share']):>6} {len(run['defections']):>10}"
        )
    s = output["summary"]
    m = s["final"]
    lines += [
        "",
        f"{'mean':>6} {s['score']['mean']:>6.0f} {_pct(m['company_loyalty']):>8} "
        f"{_pct(m['resilience']):>7} {_pct(m['satisfaction']):>8} {_pct(m['share']):>6} "
        f"{s['defections']['mean']:>10.2f}",
    ]
    share = s["defections"]["satisfied_share"]
    if share is not None:
        lines.append(
            f"Of {s['defections']['total']} defections, {_pct(share)} left satisfied; "
            f"reasons: " + ", ".join(f"{k} {v}" for k, v in s["defections"]["reasons"].items())
        )
    return "\n".join(lines)


def format_balance(report: BalanceReport) -> str:
    """The balance table; each customer person's loyalty, reach and defections per bot;
    the metrics asked for; each bot's coverage of the scenario, the people it worked with
    and how it spent its time; the lessons with their numbers; and what no run reached,
    with why. Laid out for 100 columns; user text is escaped (see :func:`printable`)."""
    from game.coach.balance import TABLE_METRICS

    first, last = report.seeds
    lines = [f"{report.scenario.id} · {report.runs} runs per bot (seeds {first}–{last})"]
    lines += [
        f"  {bot}: {len(runs)} runs (seeds {first}–{first + len(runs) - 1})"
        for bot, runs in report.outcomes.items()
        if len(runs) != report.runs
    ]
    lines.append("")
    heads = {
        "score": "score",
        "company_loyalty": "loyalty",
        "resilience": "resilience",
        "concentration": "concentr.",
        "satisfaction": "satisfied",
        "share": "share",
        "defections": "defections",
    }
    width = max([21, *(len(bot) + 2 for bot in report.outcomes)])
    lines.append(f"{'bot':<{width}}" + "".join(f"{heads[m]:>14}" for m in TABLE_METRICS))
    for bot in report.outcomes:
        cells = []
        for metric in TABLE_METRICS:
            mean, spread = report.value(bot, metric), report.spread(bot, metric)
            cells.append(
                f"{mean:>7.0f} ±{spread:<4.0f}"
                if metric == "score"
                else f"{mean:>7.2f} ±{spread:<4.2f}"
            )
        lines.append(f"{bot:<{width}}" + "".join(f"{c:>14}" for c in cells))
    lines += _people_lines(report)
    lines += _asked_lines(report)
    lines += _coverage_lines(report)
    people = len(report.scenario.customer.people)
    lines += ["", f"{'bot':<{width}}{'people':>10}   time by behaviour (means)"]
    for bot in report.outcomes:
        worked = f"{report.value(bot, 'people_worked'):.1f} of {people}"
        lines.append(f"{bot:<{width}}{worked:>10}   {format_hours(report.hours(bot))}")
    verdicts = report.verdicts()
    lines += ["", f"Lessons: {sum(v.passed for v in verdicts)} of {len(verdicts)} hold"]
    for v in verdicts:
        mark = "ok  " if v.passed else "FAIL"
        lines.append(f"  {mark} {v.lesson.id}: {v.text}")
        confidence = v.confidence()
        if confidence:
            lines.append(f"       {confidence}")
    missing = report.unreachable()
    lines += [
        "",
        "Never reached by any run, and why:"
        if missing
        else "Every action, event, answer and person was reached by some run.",
    ]
    for item in missing:
        lines += _wrap(f"- {item.label}: " + "; ".join(item.reasons), "  ", "    ")
    # Bot names (files), conditions and ids come from users: nothing raw reaches the terminal.
    return "\n".join(printable(line) for line in lines)


def _wrap(text: str, first: str, rest: str) -> list[str]:
    """`text` wrapped to the report's width, never inside a `quoted` id or condition."""
    spans = text.split("`")
    joined = "`".join(s.replace(" ", "\0") if i % 2 else s for i, s in enumerate(spans))
    wrapped = textwrap.wrap(
        joined,
        WIDTH,
        initial_indent=first,
        subsequent_indent=rest,
        break_on_hyphens=False,
        break_long_words=False,
    )
    return [line.replace("\0", " ") for line in wrapped]


def _bot_width(report: BalanceReport, indent: int = 0) -> int:
    return max([21, *(len(bot) + 2 for bot in report.outcomes)]) + indent


def _coverage_lines(report: BalanceReport) -> list[str]:
    """What share of the scenario's actions, events and answers each bot reached."""
    from game.coach.balance import COVERAGE_KINDS

    width = _bot_width(report)
    lines = ["", f"{'reached in some run':<{width}}" + "".join(f"{k:>13}" for k in COVERAGE_KINDS)]
    for bot in report.outcomes:
        cells = []
        for got, of in report.coverage(bot).values():
            share = f"{got / of * 100:.0f}%" if of else "–"
            cells.append(f"{got:>3}/{of:<3}{share:>5}" if of else f"{'–':>11}")
        lines.append(f"{bot:<{width}}" + "".join(f"{c:>13}" for c in cells))
    return lines


def _share_to(who: str) -> Callable[[PersonSummary], str]:
    return lambda summary: _pct(summary.defected_to.get(who, 0.0))


#: A table's name, the bots it shows, and its cell for one person.
Measure: TypeAlias = "tuple[str, list[str], Callable[[PersonSummary], str]]"


def _people_lines(report: BalanceReport) -> list[str]:
    """Each customer person's mean loyalty at the end, and the share of runs in which
    they were met and in which they defected (and to whom), for each bot: one small
    table per measure, bots down the side, people across (in groups that fit)."""
    people = [p.id for p in report.scenario.customer.people]
    rows = {bot: {p.id: p for p in report.people(bot)} for bot in report.outcomes}
    where = sorted({w for r in rows.values() for p in r.values() for w in p.defected_to})
    label = _bot_width(report, 2)
    widths = {p: max(len(p), 5) + 2 for p in people}
    measures = _people_measures(rows, where)
    lines = ["", "People: mean loyalty at the end, share of runs met, share of runs defected"]
    for group in _groups(people, widths, label):
        lines.append(" " * label + "".join(f"{p:>{widths[p]}}" for p in group))
        for name, shown, cell in measures:
            lines.append(f"  {name}")
            for bot in shown:
                cells = "".join(f"{cell(rows[bot][p]):>{widths[p]}}" for p in group)
                lines.append(f"    {bot:<{label - 4}}" + cells)
    if len(where) == 1:
        lines.append(f"  every defection was to {where[0] or 'no competitor'}")
    return lines


def _groups(people: list[str], widths: dict[str, int], label: int) -> list[list[str]]:
    """People in groups whose columns fit the report's width beside the bots' names."""
    groups: list[list[str]] = [[]]
    for person in people:
        if groups[-1] and label + sum(widths[p] for p in groups[-1]) + widths[person] > WIDTH:
            groups.append([])
        groups[-1].append(person)
    return groups


def _people_measures(rows: dict[str, dict[str, PersonSummary]], where: list[str]) -> list[Measure]:
    """Loyalty, met and defected for every bot; with more than one destination, a table
    per destination with the bots that lost anyone there."""
    bots = list(rows)
    measures: list[Measure] = [
        ("loyalty", bots, lambda s: f"{s.loyalty:.2f}"),
        ("met", bots, lambda s: _pct(s.reached)),
        ("defected", bots, lambda s: _pct(s.defected)),
    ]
    if len(where) > 1:
        for who in where:
            losing = [b for b in bots if any(who in p.defected_to for p in rows[b].values())]
            measures.append((f"defected to {who or 'no competitor'}", losing, _share_to(who)))
    return measures


def _asked_lines(report: BalanceReport) -> list[str]:
    """The metrics asked for with `--metric`: each bot's mean and spread."""
    from game.scenario.lesson_metrics import METRICS, PREFIXED, split_metric

    lines: list[str] = []
    width = _bot_width(report, 2)
    for metric in report.asked:
        prefix, name = split_metric(metric)
        meaning = PREFIXED[prefix] if name is not None else METRICS[metric]
        lines += ["", *textwrap.wrap(f"{metric}: {meaning}", WIDTH, subsequent_indent="  ")]
        for bot in report.outcomes:
            summary = report.summary(bot, metric)
            mean, spread = summary["mean"] or 0.0, summary["stdev"]
            digits = 0 if metric in ("score", "revenue", "lifetime_value") else 3
            value = f"{mean:>10,.{digits}f}"
            value += " (pooled)" if spread is None else f" ±{spread:,.{digits}f}"
            lines.append(f"  {bot:<{width - 2}}{value}")
    return lines
