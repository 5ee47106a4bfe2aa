"""`rapport analyse`: a game's turning points, as the expert sees them."""

from __future__ import annotations

import json
import os
import sys
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

import click

from game.cli import CONTEXT, version_option

if TYPE_CHECKING:
    from game.coach.analysis import Analysis


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _unsafe(char: str) -> bool:
    """Control and formatting characters (bidirectional overrides too), surrogates, and
    unassigned code points: what a terminal could act on or show misleadingly."""
    return unicodedata.category(char).startswith("C")


def _safe(text: str) -> str:
    """Scenario or player text safe to print: each unsafe character shown as an escape."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(_escape(char) if _unsafe(char) else char for char in text)


def format_analysis(analysis: Analysis) -> str:
    """A readable report: the turning points, then the takeaways."""
    from game.coach.advice import decided_differently, departure_lines, gap_lines, share_of_gap

    a = analysis
    who = a.player or a.bot or "unknown player"
    head = f"Turning points · {a.scenario} · seed {a.seed} · {who} · score {a.score}"
    if not a.finished:
        head += " · unfinished"
    lines = [_safe(head), ""]
    for line in gap_lines(a):
        lines += [_safe(line), ""]
    lines += [
        decided_differently(a.decisions, a.differed, len(a.moments))
        + f" It continues as {a.settings.continuation}, and played each of those both ways "
        f"on {a.settings.forks} forks of the game (the costliest-looking on more).",
        "",
    ]
    for number, m in enumerate(a.moments, 1):
        what = f"answer to “{m.event}”" if m.kind == "event" and m.event else "moves"
        lines += [
            _safe(f"{number}. Turn {m.turn}, your {what}: {m.choice}"),
            _safe(f"   The expert: {m.expert}"),
            f"   Expected loss: {m.loss:.0f} points (± {m.error:.0f}); on this seed: "
            f"{m.on_seed:.0f}{share_of_gap(m, a)}",
            _safe(f"   Why: {m.why}"),
            "",
        ]
    if a.departures:
        lines.append("Why they left")
        lines += [_safe(f"- {line}") for line in departure_lines(a)]
        lines.append("")
    lines.append("Takeaways")
    lines += [_safe(f"- {line}") for line in a.takeaways]
    return "\n".join(lines)


def analysis_json(analysis: Analysis) -> str:
    """The analysis as JSON, with characters a terminal could act on escaped."""
    text = json.dumps(analysis.to_dict(), indent=2, ensure_ascii=False)
    if text.isascii():
        return text
    # Only inside strings can such a character be (the layout's newlines are escaped there).
    return "".join(
        json.dumps(char)[1:-1] if char != "\n" and _unsafe(char) else char for char in text
    )


@click.command(context_settings=CONTEXT)
@click.argument("runlog", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--scenario",
    "scenario_arg",
    help="The scenario (a file, or an id) to replay on, if the log's is not bundled, "
    "in ./scenarios or in your scenarios folder.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a report.")
@click.option(
    "--forks",
    type=click.IntRange(2, 500),
    default=None,
    help="Futures per decision on which the player's choice and the expert's are compared "
    "(default 12; the costliest-looking decisions get four times as many; more is steadier "
    "and slower).",
)
@click.option(
    "--jobs",
    type=click.IntRange(1, 256),
    default=None,
    help="Processes to look at the decisions on (default: one per core). The answer is "
    "the same whatever their number.",
)
@version_option
def analyse(
    runlog: Path, scenario_arg: str | None, as_json: bool, forks: int | None, jobs: int | None
) -> None:
    """Replay a run log with the expert's eye: the turning points that cost the most score.

    At each decision (a turn's moves, an answer to an event) the `expert` bot
    decides what it would have done, and both are played out on the same
    forks of the game, whose future dice are resampled. The turning points are
    the decisions with the largest expected loss in score points; the
    takeaways are drawn from them. Takes a few seconds.
    """
    from game.cli.run_commands import read_runlog, runlog_scenario
    from game.coach.analysis import DEFAULT_FORKS, analyse

    log = read_runlog(runlog)
    loaded = runlog_scenario(runlog, log, scenario_arg)
    show = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if show:
            click.echo(f"\ranalysing: decision {done} of {total}", nl=False, err=True)

    analysis = analyse(
        loaded.scenario,
        log,
        scenario_hash=loaded.content_hash,
        forks=forks or DEFAULT_FORKS,
        progress=progress,
        jobs=jobs or os.cpu_count() or 1,
    )
    if show:
        click.echo("\r\x1b[K", nl=False, err=True)
    click.echo(analysis_json(analysis) if as_json else format_analysis(analysis))


COMMANDS = [analyse]
