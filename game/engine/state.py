"""The mutable state of one game, in one object, plus the records it keeps."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

import networkx as nx

from game.engine.loyalty_cache import LoyaltyCache

LogKind = Literal[
    "action",
    "introduction",
    "event",
    "decision",
    "delivery",
    "promise",
    "offer",
    "defection",
    "departure",
    "arrival",
    "leak",
    "endorsement",
    "order",
    "info",
    "turn",
]


class LogEntry(NamedTuple):
    """One line of the event log: what happened and why, with its effect on loyalty."""

    turn: int
    kind: LogKind
    text: str
    cause: str = ""
    loyalty_delta: float = 0.0


@dataclass(frozen=True, slots=True)
class DefectionRecord:
    """A stakeholder who took their business to a competitor."""

    turn: int
    who: str
    competitor: str | None
    reason: Literal["relationship", "price", "needs changed"]
    satisfaction: float
    loyalty: float
    stated: Literal["relationship", "price", "needs changed"]
    colleagues: float | None = None
    """Their colleagues' average loyalty when they decided (None: no one else buys)."""
    price_gap: float = 0.0
    """How much cheaper the offer was than your price."""
    chance: float | None = None
    """Their chance to leave when they decided (None: their needs changed)."""
    since: int | None = None
    """The turn the offer was made."""
    met: bool = True
    """Whether they had met you (False: they went by their colleagues' loyalty)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "turn": self.turn,
            "who": self.who,
            "competitor": self.competitor,
            "reason": self.reason,
            "stated_reason": self.stated,
            "satisfaction": round(self.satisfaction, 4),
            "loyalty": round(self.loyalty, 4),
            "colleagues": None if self.colleagues is None else round(self.colleagues, 4),
            "price_gap": round(self.price_gap, 4),
            "chance": None if self.chance is None else round(self.chance, 4),
            "offered": self.since,
            "met": self.met,
        }


@dataclass(frozen=True, slots=True)
class Approach:
    """A competitor's offer that a customer person is weighing (they are *in play*)."""

    who: str
    competitor: str
    since: int
    """The turn the offer was made."""
    decides: int
    """The turn at whose end they decide."""
    discount: float
    """The offer's own cut, beyond the competitor's price and any match of your discount."""
    occasion: str
    """What made the offer (a regular approach, or an event's), for its dice."""


@dataclass(slots=True)
class GameState:
    """Everything that changes during a game. The graph holds all relationships."""

    graph: nx.DiGraph
    loyalty: LoyaltyCache
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    succ: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    turn: int = 1
    time_left: float = 0.0
    reliability: float = 0.9
    discount: float = 0.0
    discount_turns: int = 0
    price_taught: float = 0.0
    """The discount rates given so far, added up: how far the customer has learnt to buy
    on price."""
    anchor: float = 0.0
    """The cut the customer now expects on every order: each discount that ends leaves
    part of itself in the price they will pay (`defection.anchoring`)."""
    rival_discount: dict[str, float] = field(default_factory=dict)
    """Each competitor's answer to your discount: the cut it matched, while yours lasts."""
    revenue: float = 0.0
    potential_revenue: float = 0.0
    """What every order would have brought at full share and list price."""
    margin_earned: float = 0.0
    """Gross margin on the orders booked: a discount comes straight off it."""
    sales: int = 0
    sale_turns: list[int] = field(default_factory=list)
    """The turn of each sale made during the game, in order."""
    promises_kept: int = 0
    promises_broken: int = 0
    flags: dict[str, bool | int | float | str] = field(default_factory=dict)
    fired: dict[str, int] = field(default_factory=dict)
    pending: list[str] = field(default_factory=list)
    uses: Counter[tuple[str, str | None]] = field(default_factory=Counter)
    last_used: dict[tuple[str, str | None], int] = field(default_factory=dict)
    touches: Counter[tuple[str, str]] = field(default_factory=Counter)
    defections: list[DefectionRecord] = field(default_factory=list)
    approaches: dict[str, Approach] = field(default_factory=dict)
    """Customer people weighing a competitor's offer, by person."""
    departures: dict[str, str | None] = field(default_factory=dict)
    """Supplier people who left, and the competitor each joined (None for none)."""
    customer_departures: list[str] = field(default_factory=list)
    """Customer people who retired or moved on, in order."""
    attribution: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    """Trust won or lost per cause, in points of influence-weighted average trust."""
    log: list[LogEntry] = field(default_factory=list)
    timeline: list[dict[str, float]] = field(default_factory=list)
    choices_made: list[str] = field(default_factory=list)
    seats: tuple[str, ...] = ()
    """A team game: the teammate each trainee plays (seat 0 leads: it also plays every
    teammate not listed, and answers events). Empty for one player."""
    hours: list[float] = field(default_factory=list)
    """A team game: each seat's time left this turn."""
    injected: list[tuple[int, str, int]] = field(default_factory=list)
    """Events a workshop's trainer put into the game: (injection id, event id, turn)."""
    finished: bool = False
    end_reason: str = ""
