"""Why each person left, and whether a different last turn would have kept them.

A person approached by a rival decides at the end of a turn (see
`game.engine.approaches`); that turn is the player's last chance. Each departure is
told with the terms it was decided on; for those a rival's offer took, the turn is
played again on `futures` forks of the game as it stood when the turn began, once
with the player's own moves and once with each plan the expert's policies would have
made, and the plan that kept them in the most futures is named.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from game.coach.advice import plan_label
from game.coach.analysis_report import Departure, Move, Terms
from game.coach.decisions import Decision, play_moves
from game.engine.game import Game
from game.engine.state import DefectionRecord

#: A plan for the turn: its moves by id, and as the game listed them.
Plan = tuple[tuple[str, ...], tuple[Move, ...]]


def stayed(game: Game, who: str) -> bool:
    """Whether `who` is still buying from you in `game`."""
    return not any(record.who == who for record in game.defections)


def terms_of(record: DefectionRecord) -> Terms:
    """The terms a departure was decided on, as its record keeps them."""
    return Terms(
        loyalty=round(record.loyalty, 4),
        colleagues=None if record.colleagues is None else round(record.colleagues, 4),
        satisfaction=round(record.satisfaction, 4),
        price_gap=round(record.price_gap, 4),
        chance=None if record.chance is None else round(record.chance, 4),
    )


def kept_in(still: Game, moves: Sequence[str], who: str, salts: Sequence[str]) -> int:
    """In how many futures (forks of `still` by `salts`) playing `moves` for the rest of
    the turn keeps `who`."""
    kept = 0
    for salt in salts:
        fork = still.fork(salt)
        play_moves(fork, moves)
        kept += stayed(fork, who)
    return kept


def departure(
    record: DefectionRecord,
    *,
    name: str,
    last_turn: tuple[Decision, Game] | None,
    plans: Callable[[Game], Mapping[str, Plan]],
    salts: Sequence[str],
) -> Departure:
    """One departure: its terms, and what might have kept them (`last_turn`: the turn
    decision they left at the end of, with a still copy of the game as it began;
    `plans(game)`: the plans to try, by policy)."""
    entry = Departure(
        who=record.who,
        name=name,
        turn=record.turn,
        competitor=record.competitor,
        reason=record.reason,
        stated=record.stated,
        terms=terms_of(record),
    )
    if record.competitor is None or last_turn is None:
        return entry  # their needs changed, or they left before the player's first turn
    decision, still = last_turn
    own = kept_in(still, decision.choices, record.who, salts)
    best: tuple[int, tuple[Move, ...]] | None = None
    for moves, listed in plans(still).values():
        if moves == decision.choices:
            continue
        count = kept_in(still, moves, record.who, salts)
        if best is None or count > best[0]:
            best = (count, listed)
    update: dict[str, object] = {"futures": len(salts), "player_kept_in": own}
    if best is not None:
        update |= {"kept_in": best[0], "instead": plan_label(best[1])}
    return entry.model_copy(update=update)
