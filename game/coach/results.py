"""Plain-data results of finished games, shared by `simulate`, `replay`, balance runs
and the leaderboard. Deterministic: the same game always gives the same dict."""

from __future__ import annotations

import statistics
from collections import defaultdict
from typing import Any

from game.engine import END, TIMELINE_METRICS, Choice, Game
from game.engine.rules import rules_for
from game.scenario.models import Behaviour
from scoring.score import score_run

SATISFIED = 0.6
FINAL_METRICS = (
    "company_loyalty",
    "resilience",
    "concentration",
    "satisfaction",
    "revenue",
    "share",
)


def _round(value: float) -> float:
    return round(float(value), 6)


def run_result(game: Game, *, bot: str | None, timeline: bool = True) -> dict[str, Any]:
    """Everything a report needs about one run, as JSON-ready data."""
    facts = game.facts()
    score = score_run(facts)
    final = game.timeline[-1] if game.finished else {"turn": game.turn, **game.metrics()}
    result: dict[str, Any] = {
        "scenario": game.scenario.id,
        "scenario_hash": game.scenario_hash,
        "seed": game.seed,
        "bot": bot,
        "finished": game.finished,
        "turns_played": int(final["turn"]),
        "score": score.as_dict(),
        "final": {key: _round(final[key]) for key in FINAL_METRICS}
        | {"lifetime_value": _round(score.lifetime_value)},
        "milestones": game.milestones(),
        "defections": [d.as_dict() for d in game.defections],
        "metrics": lesson_metrics(game),
    }
    if timeline:
        result["timeline"] = [
            {"turn": int(t["turn"])} | {key: _round(t[key]) for key in TIMELINE_METRICS}
            for t in game.timeline
        ]
    return result


def lesson_metrics(game: Game) -> dict[str, float]:
    """One run's value of every lesson metric (see `game.scenario.lesson_metrics`).

    `defections_satisfied` is carried along so that `satisfied_share` can be
    pooled over runs.
    """
    facts = game.facts()
    timeline = facts.timeline
    final = facts.final
    score = score_run(facts)
    defections = game.defections
    peak = max(t["company_loyalty"] for t in timeline)
    values: dict[str, float] = {
        "score": score.total,
        "company_loyalty": final["company_loyalty"],
        "resilience": final["resilience"],
        "concentration": final["concentration"],
        "satisfaction": final["satisfaction"],
        "revenue": final["revenue"],
        "share": final["share"],
        "lifetime_value": score.lifetime_value,
        "defections": len(defections),
        "defections_satisfied": sum(d.satisfaction >= SATISFIED for d in defections),
        "promises_kept": facts.promises_kept,
        "promises_broken": facts.promises_broken,
        "loyalty_drop": (peak - final["company_loyalty"]) / peak if peak > 0 else 0.0,
        "first_sale": float(facts.sales >= 1),
        "second_sale": float(facts.sales >= 2),
    }
    nodes = game.graph.nodes
    for person in game.scenario.customer.people:
        values[f"reached.{person.id}"] = float(bool(nodes[person.id]["met"]))
        values[f"defected.{person.id}"] = float(bool(nodes[person.id]["defected"]))
    for competitor in game.scenario.competitors:
        values[f"followed.{competitor.id}"] = float(
            any(d.competitor == competitor.id for d in defections)
        )
    fired = game.events_fired
    for event in game.scenario.events:
        values[f"loss_at.{event.id}"] = _loss_in_turn(timeline, fired.get(event.id))
    for name, value in game.flags.items():
        if isinstance(value, bool | int | float):
            values[f"flag.{name}"] = float(value)
    values |= activity_metrics(game)
    return {key: _round(value) for key, value in values.items()}


def activity_metrics(game: Game) -> dict[str, float]:
    """What the player did: `hours.BEHAVIOUR` (share of the time its moves took that
    went to moves with that tag; all 0 if no move took time), `people_worked`
    (distinct customer people its moves were aimed at) and `people_worked_share`.

    Its moves are its actions, introductions (networking, `introductions.cost` each)
    and event answers other than the default, which is what doing nothing means.
    They are read from `game.choices_made` and the scenario's rules, whose action
    candidates and event answers carry the same ids.
    """
    rules = rules_for(game.scenario)
    moves: dict[str, Choice] = {
        candidate.choice.id: candidate.choice
        for action in rules.actions
        for candidate in action.candidates
    }
    moves |= {choice.id: choice for event in rules.events.values() for choice in event.choices}
    intro_cost = game.scenario.introductions.cost
    hours: defaultdict[str, float] = defaultdict(float)
    people: set[str] = set()
    for choice_id in game.choices_made:
        if choice_id == END:
            continue
        move = moves.get(choice_id)
        if move is None:  # an introduction: intro:INTRODUCER:PERSON
            hours[Behaviour.NETWORKING.value] += intro_cost
            people.add(choice_id.rsplit(":", 1)[-1])
            continue
        if move.default:
            continue
        hours[move.behaviour] += move.cost
        if move.target is not None:
            people.add(move.target)
    spent = sum(hours.values())
    values = {f"hours.{b.value}": hours[b.value] / spent if spent > 0 else 0.0 for b in Behaviour}
    values["people_worked"] = float(len(people))
    values["people_worked_share"] = len(people) / max(len(rules.stakeholder_ids), 1)
    return values


def _loss_in_turn(timeline: list[dict[str, float]], turn: int | None) -> float:
    """Share of company loyalty lost from the start to the end of `turn`."""
    if turn is None or turn >= len(timeline):
        return 0.0
    before, after = timeline[turn - 1]["company_loyalty"], timeline[turn]["company_loyalty"]
    return max(0.0, before - after) / before if before > 0 else 0.0


def summarize(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Means (and spread) over several runs of the same scenario and bot."""
    if not results:
        return {"runs": 0}
    totals = [r["score"]["total"] for r in results]
    defections = [d for r in results for d in r["defections"]]
    summary: dict[str, Any] = {
        "runs": len(results),
        "score": {
            "mean": _round(statistics.fmean(totals)),
            "stdev": _round(statistics.pstdev(totals)),
        },
        "final": {
            key: _round(statistics.fmean(r["final"][key] for r in results))
            for key in (*FINAL_METRICS, "lifetime_value")
        },
        "defections": {
            "mean": _round(len(defections) / len(results)),
            "total": len(defections),
            "satisfied_share": _round(
                sum(d["satisfaction"] >= SATISFIED for d in defections) / len(defections)
            )
            if defections
            else None,
            "reasons": {
                reason: sum(d["reason"] == reason for d in defections)
                for reason in ("relationship", "price", "needs changed")
            },
        },
    }
    return summary
