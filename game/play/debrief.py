"""The debrief: what a run's numbers mean, as data for the app and as Markdown.

No Textual here: the debrief screen renders this data, and the Markdown export
is what a trainer shares.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from game.bots import QUICK_BOTS, make_bot, play
from game.coach.advice import (
    decided_differently,
    departure_lines,
    gap_lines,
    share_of_gap,
    why_they_left,
)
from game.coach.results import SATISFIED
from game.common.errors import UserError
from game.engine import Game, LogEntry
from game.play.team_parts import team_lines, team_parts
from game.scenario.models import Lesson
from scoring.loyalty import snapshot
from scoring.score import Score

if TYPE_CHECKING:
    from game.coach.analysis import Analysis

KEY_MOMENTS = 4


@dataclass(frozen=True)
class WalkTest:
    """What would stay if one person walked out today."""

    person: str
    name: str
    role: str
    kept: float  # share of company loyalty that would stay
    before: float = 0.0  # company loyalty now
    left: float = 0.0  # company loyalty if they left: what the score's resilience part counts
    you: bool = False  # the player's own rep

    @property
    def who(self) -> str:
        """How the debrief names them: the player is "you"."""
        return f"you ({self.name}, {self.role})" if self.you else f"{self.name} ({self.role})"


@dataclass(frozen=True)
class BotRun:
    bot: str
    score: int
    company_loyalty: float
    satisfaction: float
    defections: int


@dataclass
class Debrief:
    scenario_title: str
    scenario_id: str
    seed: int
    player: str
    finished: bool
    turn: int
    score: Score
    loyalty: list[float]
    satisfaction: list[float]
    built: list[LogEntry]
    leaked: list[LogEntry]
    walk: list[WalkTest]
    defections: list[dict[str, Any]]
    lessons: list[Lesson]
    final: dict[str, float]
    bots: list[BotRun] = field(default_factory=list)
    seed_hidden: bool = False  # a workshop game: the seed is not shown to the player
    analysis: Analysis | None = None  # the turning points, once the expert has looked
    reflection: tuple[str, ...] = ()  # the player's own answers, as run-log notes
    currency: str = "$"
    team: list[str] = field(default_factory=list)
    """An account team's game: each trainee's part, in words (empty for one player)."""

    def satisfaction_apart(self) -> str:
        """Satisfaction of the people still buying and of those who left, told apart: the
        account's figure can rise as unhappy people leave."""
        still = f"Satisfaction of the people still buying: {_pct(self.final['satisfaction'])}"
        if not self.defections:
            return still + "."
        gone = sum(item["satisfaction"] for item in self.defections) / len(self.defections)
        satisfied = sum(item["satisfaction"] >= SATISFIED for item in self.defections)
        return (
            f"{still}; of the {len(self.defections)} who left, {_pct(gone)} on average as they "
            f"went ({satisfied} of them satisfied)."
        )

    @property
    def own_run(self) -> BotRun:
        """The player's own figures, in the shape of a bot's, to rank beside them."""
        return BotRun(
            "you",
            self.score.total,
            self.final["company_loyalty"],
            self.final["satisfaction"],
            len(self.defections),
        )


#: A teammate is listed in the walk-out test only if their leaving would cost at least this.
WALK_MATTERS = 0.005
NO_ONE_LEFT = "There is no company loyalty left for anyone to take away."
#: Said of the rest of the team.
NO_ONE_ELSE = (
    "Nobody else on your side holds loyalty of their own: their leaving would change nothing."
)


def make_debrief(game: Game, player: str, team: tuple[str, ...] = ()) -> Debrief:
    """The debrief of `game` so far (complete once the game is over); for a team's game,
    with each of the `team`'s players' part."""
    entries = [e for e in game.log_entries if e.kind != "turn"]
    built = sorted(
        (e for e in entries if e.loyalty_delta > 0.0005), key=lambda e: -e.loyalty_delta
    )[:KEY_MOMENTS]
    leaked = sorted(
        (e for e in entries if e.loyalty_delta < -0.0005), key=lambda e: e.loyalty_delta
    )[:KEY_MOMENTS]
    snap = snapshot(game.graph)
    walk = []
    for person, without in sorted(snap.without.items(), key=lambda item: item[1]):
        if snap.company_loyalty - without < WALK_MATTERS:
            continue  # no loyalty of their own: their leaving would change nothing
        kept = without / snap.company_loyalty if snap.company_loyalty > 1e-9 else 1.0
        data = game.graph.nodes[person]
        walk.append(
            WalkTest(
                person,
                data.get("name", person),
                data.get("role", ""),
                kept,
                snap.company_loyalty,
                without,
                bool(data.get("player")),
            )
        )
    final = game.timeline[-1] if game.finished else {"turn": game.turn, **game.metrics()}
    return Debrief(
        scenario_title=game.scenario.title,
        scenario_id=game.scenario.id,
        seed=game.seed,
        player=player,
        finished=game.finished,
        turn=game.turn,
        score=game.score(),
        loyalty=[t["company_loyalty"] for t in game.timeline],
        satisfaction=[t["satisfaction"] for t in game.timeline],
        built=sorted(built, key=lambda e: e.turn),
        leaked=sorted(leaked, key=lambda e: e.turn),
        walk=walk,
        defections=[
            d.as_dict() | {"name": game.graph.nodes[d.who].get("name", d.who)}
            for d in game.defections
        ],
        lessons=list(game.scenario.lessons),
        final=final,
        currency=game.scenario.account.currency,
        team=team_lines(team_parts(game, team), game.scenario.time_unit) if team else [],
    )


def rounded_to_total(values: list[float], total: int) -> list[int]:
    """Whole numbers near `values` that add up to `total` (largest remainders first)."""
    floors = [int(v // 1) for v in values]
    short = total - sum(floors)
    order = sorted(range(len(values)), key=lambda i: -(values[i] - floors[i]))
    for i in order[: max(0, short)]:
        floors[i] += 1
    return floors


def bot_runs(game: Game) -> list[BotRun]:
    """Every quick built-in bot on the same scenario and seed, for comparison: like with
    like, so a game still in progress is set beside the bots at the same turn."""
    runs = []
    until = None if game.finished else game.turn
    for name in QUICK_BOTS:
        other = Game(game.scenario, game.seed, scenario_hash=game.scenario_hash, narrate=False)
        play(other, make_bot(name), until_turn=until)
        now = other.timeline[-1] if other.finished else other.metrics()
        runs.append(
            BotRun(
                name,
                other.score().total,
                now["company_loyalty"],
                now["satisfaction"],
                len(other.defections),
            )
        )
    return sorted(runs, key=lambda r: -r.score)


def _pct(value: float) -> str:
    return f"{value * 100:.0f}%"


def _md(text: str) -> str:
    """Text safe inside Markdown: no markup from players or scenarios is interpreted."""
    escaped = text.replace("\\", "\\\\")
    for char in "`*_[]<>#|":
        escaped = escaped.replace(char, "\\" + char)
    return " ".join(escaped.split())


def to_markdown(debrief: Debrief, *, when: dt.datetime | None = None) -> str:
    """The debrief as a Markdown document a trainer can share."""
    d = debrief
    stamp = (when or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
    state = "finished" if d.finished else f"in progress, turn {d.turn}"
    lines = [
        f"# Debrief: {_md(d.scenario_title)}",
        "",
        f"Player: **{_md(d.player)}** · scenario `{d.scenario_id}` · "
        f"{'workshop seed' if d.seed_hidden else f'seed {d.seed}'} · {state} · "
        f"{stamp}",
        "",
    ]
    lines += _md_score(d) + _md_over_time(d) + _md_trust(d)
    if d.reflection:
        lines += ["", "## Your reflection", ""]
        lines += [f"- {_md(note)}" for note in d.reflection]
    if d.analysis is not None:
        lines += ["", *turning_points_markdown(d.analysis)]
    lines += _md_who_could_leave(d) + _md_lessons_and_bots(d)
    return "\n".join(lines) + "\n"


def _md_score(d: Debrief) -> list[str]:
    """The score, part by part; the final loyalty, satisfaction, share and value; the team."""
    lines = [
        f"## Score: {d.score.total} / 1000",
        "",
        "| part | how much | points |",
        "|---|---:|---:|",
    ]
    shown = rounded_to_total([p.points for p in d.score.parts], d.score.total)
    lines += [
        f"| {p.label} | {_pct(p.value)} | {points} |"
        for p, points in zip(d.score.parts, shown, strict=True)
    ]
    lines.append(f"| **total** | | **{d.score.total}** |")
    f = d.final
    lines += [
        "",
        f"Company loyalty {_pct(f['company_loyalty'])}, satisfaction of the people still "
        f"buying {_pct(f['satisfaction'])}, share of the business kept {_pct(f['share'])}. "
        f"The customer's lifetime value at this loyalty (the margin it would bring over "
        f"the years it is likely to stay): {d.currency}{d.score.lifetime_value:,.0f}.",
        "",
    ]
    if d.team:
        lines += ["## The team", "", *(f"- {_md(line)}" for line in d.team), ""]
    return lines


def _md_over_time(d: Debrief) -> list[str]:
    """Loyalty and satisfaction, turn by turn."""
    lines = [
        "## Loyalty and satisfaction over time",
        "",
        "| turn | company loyalty | satisfaction |",
        "|---:|---:|---:|",
    ]
    return lines + [
        f"| {turn} | {_pct(loyalty)} | {_pct(satisfaction)} |"
        for turn, (loyalty, satisfaction) in enumerate(zip(d.loyalty, d.satisfaction, strict=True))
    ]


def _md_trust(d: Debrief) -> list[str]:
    """What built and what leaked trust, and the moments that moved loyalty most."""
    lines = [
        "",
        "## What built trust",
        "",
        "In points of trust (0–100), weighted by each person's say in buying.",
        "",
    ]
    lines += [f"- {driver.label}: {driver.points:+.1f}" for driver in d.score.built] or [
        "- nothing"
    ]
    lines += ["", "## What leaked trust", ""]
    lines += [f"- {driver.label}: {driver.points:+.1f}" for driver in d.score.leaked] or [
        "- nothing"
    ]
    lines += ["", "## Key moments", ""]
    return lines + [
        f"- Turn {entry.turn}: {_md(entry.text)} ({entry.loyalty_delta * 100:+.1f} "
        "pts of company loyalty)"
        for entry in sorted([*d.built, *d.leaked], key=lambda e: e.turn)
    ]


def _md_who_could_leave(d: Debrief) -> list[str]:
    """The walk-out test, and who left and why."""
    lines = ["", "## If someone walked out today", ""]
    lines += [
        f"- If {_md(test.who)} left, company loyalty would go from "
        f"{_pct(test.before)} to {_pct(test.left)}."
        for test in d.walk
    ]
    lines.append(f"- {NO_ONE_ELSE}" if d.walk else f"- {NO_ONE_LEFT}")
    if d.defections:
        lines += ["", "## Stakeholders who left", ""]
        lines += [d.satisfaction_apart(), ""]
        lines += [
            f"- Turn {item['turn']}: {_md(item['name'])} "
            f"{why_they_left(item['reason'], item['stated_reason'])}; satisfaction "
            f"{_pct(item['satisfaction'])}"
            for item in d.defections
        ]
    return lines


def _md_lessons_and_bots(d: Debrief) -> list[str]:
    """What the scenario teaches, and the built-in bots on the same seed."""
    lines: list[str] = []
    if d.lessons:
        lines += ["", "## What this scenario teaches", ""]
        lines += [f"- {_md(lesson.text)}" for lesson in d.lessons]
    if d.bots:
        lines += [
            "",
            "## The built-in bots on the same seed"
            + ("" if d.finished else f", up to turn {d.turn}"),
            "",
            "| bot | score | company loyalty | satisfaction | defections |",
            "|---|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {'**you**' if r.bot == 'you' else r.bot} | {r.score} | "
            f"{_pct(r.company_loyalty)} | {_pct(r.satisfaction)} | {r.defections} |"
            for r in sorted([d.own_run, *d.bots], key=lambda run: -run.score)
        ]
    return lines


def turning_points_markdown(analysis: Analysis) -> list[str]:
    """The gap to the expert, the turning points, the departures and the takeaways as
    Markdown lines."""
    a = analysis
    lines = ["## Against the expert", ""]
    lines += [_md(line) + "\n" for line in gap_lines(a)]
    lines += [
        "## Turning points",
        "",
        _md(decided_differently(a.decisions, a.differed, len(a.moments)))
        + f" Each of those was played out both ways on {a.settings.forks} or more forks of "
        "the game, with the same dice for both: each loss is the expected score the "
        "decision cost against the expert's choice, and what it cost on this seed.",
        "",
    ]
    for number, m in enumerate(a.moments, 1):
        what = f" (event: {_md(m.event)})" if m.kind == "event" and m.event else ""
        lines += [
            f"{number}. **Turn {m.turn}**{what}: about {m.loss:.0f} points (± {m.error:.0f}); "
            f"on this seed {m.on_seed:.0f}{share_of_gap(m, a)}",
            f"   - You: {_md(m.choice)}",
            f"   - The expert: {_md(m.expert)}",
            f"   - Why: {_md(m.why)}",
        ]
    if a.moments:
        lines.append("")
    if a.departures:
        lines += ["### Why they left", ""]
        lines += [f"- {_md(line)}" for line in departure_lines(a)]
        lines.append("")
    lines += ["### Takeaways", ""]
    lines += [f"- {_md(line)}" for line in a.takeaways]
    return lines


class DebriefExportError(UserError):
    """The debrief could not be written; the message names the file and why."""


def export_debrief(debrief: Debrief, *, workshop: str | None = None) -> Path:
    """Write `debrief` as Markdown in the player's debriefs folder; return the path."""
    from game.common.files import write_text_atomic
    from game.common.paths import debriefs_dir

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    which = f"workshop-{workshop}" if debrief.seed_hidden else f"seed{debrief.seed}"
    path = debriefs_dir() / f"{debrief.scenario_id}-{which}-{stamp}.md"
    try:
        write_text_atomic(path, to_markdown(debrief))
    except OSError as error:
        raise DebriefExportError(f"Could not write {path}: {error.strerror}") from None
    return path
