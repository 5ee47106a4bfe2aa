"""Plain-text reports of run results for the terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from game.balance import BalanceReport


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
            "Built loyalty:  "
            + ", ".join(f"{d['label']} {d['points']:+.1f}" for d in score["built"][:5]),
        ]
    if score["leaked"]:
        lines += [
            "Leaked loyalty: "
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
    """The balance table, the people each bot worked with and how it spent its time, the
    lessons with their numbers, and what no run reached."""
    from game.balance import TABLE_METRICS

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
    missing = report.unreached()
    lines += [
        "",
        "Never reached by any run:"
        if missing
        else "Every action, event and answer was reached by some run.",
    ]
    lines += [f"  - {item}" for item in missing]
    return "\n".join(lines)
