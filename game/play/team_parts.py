"""An account team's debrief: each trainee's part in the team's game.

Read from the game itself: the moves each seat's teammate made and the time they
took, the customer's people they were introduced to, and how much the customer's
people who still buy trust that teammate now. The team's loyalty is the game's.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.engine import END, Game


@dataclass(frozen=True)
class TeamPart:
    """One trainee's part."""

    player: str
    teammate: str
    moves: int
    hours: float
    met: tuple[str, ...]
    trust: float
    """The average trust in their teammate of the customer's people still buying."""


def team_parts(game: Game, players: tuple[str, ...]) -> list[TeamPart]:
    """Each seat's part, in seat order (empty for a game of one player)."""
    if not game.team:
        return []
    moves = [0] * len(game.team)
    hours = [0.0] * len(game.team)
    met: list[list[str]] = [[] for _ in game.team]
    actions = {a.id: a.cost for a in game.scenario.actions}
    intro_cost = game.scenario.introductions.cost
    for choice in game.choices_made:
        if choice == END or choice.startswith("event:"):
            continue
        kind, _, rest = choice.partition(":")
        if kind == "intro":
            _introducer, _, person = rest.partition(":")
            actor = _introduced_by(game, person)
            cost = intro_cost
            met[game.seat_of(actor)].append(game.full_name(person))
        else:
            actor = rest.partition(":")[0]
            cost = actions.get(kind, 0.0)
        seat = game.seat_of(actor)
        moves[seat] += 1
        hours[seat] += cost
    buying = [
        p
        for p, data in game.graph.nodes(data=True)
        if data.get("side") == "customer" and data.get("met") and not data.get("defected")
    ]
    parts = []
    for seat, teammate in enumerate(game.team):
        trust = sum(game.trust(p, teammate) for p in buying) / len(buying) if buying else 0.0
        parts.append(
            TeamPart(
                players[seat] if seat < len(players) else f"Seat {seat + 1}",
                game.full_name(teammate),
                moves[seat],
                hours[seat],
                tuple(met[seat]),
                trust,
            )
        )
    return parts


def _introduced_by(game: Game, person: str) -> str | None:
    """Which of your people the customer's `person` was introduced to (the one they trust
    most, as the introduction gave it)."""
    best, value = None, -1.0
    for teammate in game.team:
        trust = game.trust(person, teammate)
        if trust > value:
            best, value = teammate, trust
    return best


def team_lines(parts: list[TeamPart], unit: str) -> list[str]:
    """The team's parts in words, one line each."""
    lines = []
    for part in parts:
        met = f"; met {', '.join(part.met)}" if part.met else ""
        lines.append(
            f"{part.player} played {part.teammate}: {part.moves} "
            f"move{'' if part.moves == 1 else 's'}, "
            f"{part.hours:g}{unit} spent{met}; the customer's trust in them now "
            f"{part.trust:.0%}."
        )
    return lines
