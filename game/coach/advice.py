"""Turning points in words: why the expert's choice differs, and the takeaways."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from game.coach.analysis_report import Analysis, Moment, Move

#: A decision costs at least this many points, and `REPORT_Z` standard errors, to be a
#: turning point.
MIN_LOSS = 5.0
TAKEAWAYS = 3

#: Behaviour tags as plain English, for the reasons and takeaways.
BEHAVIOUR_WORDS = {
    "contact": "regular contact",
    "special_needs": "help with special needs",
    "training": "training",
    "industry_info": "industry news",
    "business_review": "business reviews",
    "product_ideas": "asking for product ideas",
    "networking": "networking and introductions",
    "company_communication": "company communication",
    "account_plan": "account planning",
    "innovation": "innovations",
    "delivery": "deliveries",
    "service": "service and support",
    "discount": "discounts",
    "loyalty_program": "the loyalty programme",
    "selling": "selling",
    "other": "other moves",
    "decline": "saying no",
}


def behaviour_words(tag: str) -> str:
    """A behaviour tag as plain English."""
    return BEHAVIOUR_WORDS.get(tag, tag.replace("_", " "))


def _hours(value: float, unit: str) -> str:
    return f"{value:g}{unit}" if unit in ("h", "d") else f"{value:g} {unit}"


def plan_label(moves: Sequence[Move], most: int = 4) -> str:
    """A turn's moves as one line: the first few labels, and how many more."""
    if not moves:
        return "none: ended the turn"
    labels = [move.label for move in moves[:most]]
    if len(moves) > most:
        labels.append(f"{len(moves) - most} more")
    return "; ".join(labels)


def _by_behaviour(moves: Iterable[Move]) -> dict[str, float]:
    hours: dict[str, float] = {}
    for move in moves:
        hours[move.behaviour] = hours.get(move.behaviour, 0.0) + move.cost
    return hours


def _by_person(moves: Iterable[Move]) -> dict[str, float]:
    hours: dict[str, float] = {}
    for move in moves:
        if move.name:
            hours[move.name] = hours.get(move.name, 0.0) + move.cost
    return hours


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def turn_why(mine: Sequence[Move], theirs: Sequence[Move], unit: str) -> str:
    """Why the expert's turn differs: the behaviours, the people, the time."""
    expert, player = _by_behaviour(theirs), _by_behaviour(mine)
    tags = sorted(
        set(expert) | set(player), key=lambda t: (-abs(expert.get(t, 0) - player.get(t, 0)), t)
    )
    more = [
        f"{behaviour_words(t)} (+{_hours(expert.get(t, 0) - player.get(t, 0), unit)})"
        for t in tags
        if expert.get(t, 0) - player.get(t, 0) > 1e-9
    ][:3]
    less = [
        f"{behaviour_words(t)} (−{_hours(player.get(t, 0) - expert.get(t, 0), unit)})"
        for t in tags
        if player.get(t, 0) - expert.get(t, 0) > 1e-9
    ][:3]
    parts = []
    if more:
        parts.append(f"more time on {_and(more)}")
    if less:
        parts.append(f"less on {_and(less)}")
    sentence = (
        "The expert would have spent " + " and ".join(parts)
        if parts
        else "The expert would have spent its time on the same kinds of move"
    )
    seen, met = _by_person(theirs), _by_person(mine)
    missed = [name for name in sorted(seen, key=lambda n: -seen[n]) if name not in met][:2]
    if missed:
        sentence += f", and would have worked with {_and(missed)}, whom you left out this turn"
    elif not parts:
        skipped = [name for name in sorted(met, key=lambda n: -met[n]) if name not in seen][:2]
        if skipped:
            sentence += f", but not with {_and(skipped)}"
        else:
            sentence += ", in another order or with other people on your side"
    spent, used = sum(m.cost for m in theirs), sum(m.cost for m in mine)
    if abs(spent - used) > 1e-9:
        sentence += f" ({_hours(spent, unit)} used against your {_hours(used, unit)})"
    return sentence + "."


def _move_words(move: Move, unit: str) -> str:
    cost = _hours(move.cost, unit) if move.cost else "no time"
    details = [behaviour_words(move.behaviour), cost]
    if move.name:
        details.append(move.name)
    return f"“{move.label}” ({', '.join(details)})"


def answer_why(mine: Move, theirs: Move, unit: str) -> str:
    return (
        f"The expert would have answered {_move_words(theirs, unit)} "
        f"rather than {_move_words(mine, unit)}."
    )


def takeaways(
    moments: Sequence[Moment],
    *,
    decisions: int,
    unit: str,
    moves: Sequence[Move] = (),
    closest: Moment | None = None,
) -> list[str]:
    """Three short lessons from the turning points: the behaviour the player under-used,
    the person they neglected, what they leaned on too much, an event answer; without
    turning points, the closest call and where the player's time went (`moves`: every
    move of the game)."""
    if not moments:
        return _steady_takeaways(decisions, moves, closest)[:TAKEAWAYS]
    turns = [m for m in moments if m.kind == "turn"]
    lines = _time_takeaways(turns, unit)
    for m in moments:
        if m.kind == "event":
            lines.append(
                f"Weigh an event's answers: at turn {m.turn}, “{m.expert}” was worth about "
                f"{m.loss:.0f} points more than “{m.choice}”."
            )
            break
    worst = max(moments, key=lambda m: m.loss)
    total = sum(m.loss for m in moments)
    lines.append(
        f"These {len(moments)} decisions cost about {total:.0f} points in all; the "
        f"costliest was turn {worst.turn}'s, about {worst.loss:.0f}."
        if len(moments) > 1
        else f"The one costly decision was turn {worst.turn}'s, about {worst.loss:.0f} points."
    )
    return lines[:TAKEAWAYS]


def _time_takeaways(turns: Sequence[Moment], unit: str) -> list[str]:
    """At the turning points: the behaviour under-used, the person neglected, and the
    behaviour leaned on too much, against the expert's plans."""
    expert: dict[str, float] = {}
    player: dict[str, float] = {}
    for m in turns:
        for tag, hours in _by_behaviour(m.advised).items():
            expert[tag] = expert.get(tag, 0.0) + hours
        for tag, hours in _by_behaviour(m.played).items():
            player[tag] = player.get(tag, 0.0) + hours
    gaps = {t: expert.get(t, 0.0) - player.get(t, 0.0) for t in set(expert) | set(player)}
    under = sorted((t for t in gaps if gaps[t] > 1e-9), key=lambda t: (-gaps[t], t))
    over = sorted((t for t in gaps if gaps[t] < -1e-9), key=lambda t: (gaps[t], t))
    lines = []
    if under:
        t = under[0]
        lines.append(
            f"Spend more time on {behaviour_words(t)}: at these turning points the expert gave "
            f"it {_hours(expert.get(t, 0.0), unit)}, you {_hours(player.get(t, 0.0), unit)}."
        )
    neglected = _neglected(turns)
    if neglected is not None:
        name, count = neglected
        where = "one" if count == 1 else str(count)
        lines.append(
            f"Do not neglect {name}: at {where} of these turning points the expert gave them "
            "more time than you did."
        )
    if over:
        t = over[0]
        lines.append(
            f"Lean less on {behaviour_words(t)}: you gave it {_hours(player.get(t, 0.0), unit)} "
            f"at these turning points, the expert {_hours(expert.get(t, 0.0), unit)}."
        )
    return lines


def _neglected(turns: Sequence[Moment]) -> tuple[str, int] | None:
    """The person the expert gave more time than the player at the most turning points
    (then by the most time), and at how many."""
    people: dict[str, tuple[int, float]] = {}
    for m in turns:
        seen, met = _by_person(m.advised), _by_person(m.played)
        for name, hours in seen.items():
            if hours > met.get(name, 0.0) + 1e-9:
                count, total = people.get(name, (0, 0.0))
                people[name] = (count + 1, total + hours - met.get(name, 0.0))
    if not people:
        return None
    name = min(people, key=lambda n: (-people[n][0], -people[n][1], n))
    return name, people[name][0]


def _steady_takeaways(decisions: int, moves: Sequence[Move], closest: Moment | None) -> list[str]:
    """Without turning points: that the choices held up, the closest call, and where
    the player's time went."""
    lines = [
        f"No decision cost a clear {MIN_LOSS:.0f} points or more: at each of the {decisions} "
        "decisions looked at, your choice held up against the expert's."
    ]
    if closest is not None:
        lines.append(
            f"The closest call was turn {closest.turn}: the expert would have chosen "
            f"“{closest.expert}”, perhaps {closest.loss:.0f} points better, within the noise."
        )
    mix = _by_behaviour(moves)
    spent = sum(mix.values())
    if spent > 0:
        top = sorted(mix, key=lambda t: (-mix[t], t))[:2]
        shares = _and([f"{behaviour_words(t)} ({mix[t] / spent:.0%})" for t in top])
        lines.append(f"Most of your time went to {shares}: keep the habits that worked.")
    lines.append("Try another seed or scenario: the same habits should carry over.")
    return lines


# ---------------------------------------------------------------------- the whole result


def decided_differently(decisions: int, differed: int, moments: int) -> str:
    """One sentence: how many decisions the expert looked at, would have made otherwise,
    and how many of those cost clearly."""
    sentence = (
        f"The expert replayed your {decisions} decisions and would have decided "
        f"{differed} of them differently"
    )
    if differed and not moments:
        return (
            sentence + f"; none of those cost a clear {MIN_LOSS:.0f} points or more beyond the "
            "noise of the futures it tried."
        )
    return sentence + "."


def _turns(first: int, last: int) -> str:
    return f"turn {first}" if first == last else f"turns {first}–{last}"


def gap_lines(analysis: Analysis) -> list[str]:
    """The whole result against the expert's, on the same seed, and where the gap came
    from: the phases of the game, then the share the decisions account for."""
    a = analysis
    if a.gap is None or a.expert_score is None or a.expert_expected is None:
        return []
    head = (
        f"On this seed the expert's play scores {a.expert_score:.0f} (over {a.futures} "
        f"other futures it averages {a.expert_expected:.0f}); you scored {a.score}."
    )
    if a.gap <= 1:
        return [head + " You matched or beat it: there is no gap to explain."]
    share = a.explained_share or 0.0
    lines = [head + f" The gap is {a.gap:.0f} points."]
    phases = [
        f"the {p.name} ({_turns(p.first, p.last)}) {p.loss:+.0f}"
        for p in a.phases
        if p.decisions and abs(p.loss) >= 0.5
    ]
    covered = "all of it" if share >= 0.995 else f"{share:.0%} of it"
    if phases:
        lines.append(
            f"Your decisions, each played both ways on this seed's own dice, account for "
            f"{covered} ({a.explained:.0f} points): {_and(phases)}."
        )
    else:
        lines.append(
            "No decision of yours differed from the expert's: the gap is the play after them."
        )
    return lines


REASON_WORDS = {
    "price": "the price",
    "relationship": "the relationship",
    "needs changed": "a change in their needs",
}


def _reason(reason: str) -> str:
    return REASON_WORDS.get(reason, reason)


def why_they_left(reason: str, stated: str) -> str:
    """The real reason for a departure and what was said, without saying it twice."""
    if reason == stated:
        return f"left over {_reason(reason)}, and said so"
    return f"named {_reason(stated)}; the real reason: {_reason(reason)}"


def departure_lines(analysis: Analysis) -> list[str]:
    """Each departure as the story it was: its terms, and what might have kept them."""
    lines = []
    for d in analysis.departures:
        t = d.terms
        if d.competitor is None:
            lines.append(
                f"{d.name}'s needs changed in turn {d.turn}, and they stopped buying: "
                "nothing you did could have kept them."
            )
            continue
        colleagues = "" if t.colleagues is None else f", their colleagues' {t.colleagues:.0%}"
        price = (
            f"the rival {t.price_gap:.0%} cheaper" if t.price_gap > 0 else "the rival no cheaper"
        )
        chance = "" if t.chance is None else f": a {t.chance:.0%} chance to leave"
        said = "" if d.stated == d.reason else f" (they named {_reason(d.stated)})"
        line = (
            f"{d.name} left at the end of turn {d.turn} over {_reason(d.reason)}{said}. "
            "Their loyalty "
            f"{t.loyalty:.0%}{colleagues}, satisfaction {t.satisfaction:.0%}, {price}{chance}."
        )
        if d.futures:
            line += f" Your moves that turn kept them in {d.player_kept_in} of {d.futures} futures"
            if d.instead is not None:
                line += f"; “{d.instead}” would have kept them in {d.kept_in}"
            line += "."
        else:
            line += " They decided before your first move."
        lines.append(line)
    return lines


def share_of_gap(moment: Moment, analysis: Analysis) -> str:
    """What a turning point weighed in the whole gap, on this seed ("" with no gap)."""
    if analysis.gap is None or analysis.gap <= 1 or moment.on_seed <= 0:
        return ""
    return f", {min(1.0, moment.on_seed / analysis.gap):.0%} of the gap"
