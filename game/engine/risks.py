"""What an event's answer risks, in words, so a player sees it before choosing."""

from __future__ import annotations

from game.common.names import first_name
from game.engine.text import percent
from game.scenario.models import Effect, Scenario


def risk_notes(scenario: Scenario, effects: list[Effect], target: str | None) -> tuple[str, ...]:
    """One short note per risky effect: promises that may break, trust lost, rivals
    invited in, price cuts and departures. Empty when the answer risks nothing."""
    names = {p.id: first_name(p.name) for p in scenario.customer.people}
    names |= {c.id: c.name for c in scenario.competitors}
    turn_name = scenario.calendar.turn_name.lower()

    def who_text(who: str | list[str]) -> str:
        ids = who if isinstance(who, list) else [who]
        shown = [
            "everyone"
            if i == "all"
            else names.get(target or "", "them")
            if i == "target"
            else names.get(i, i)
            for i in ids
        ]
        return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]

    notes: list[str] = []
    for effect in effects:
        if effect.promise is not None:
            promise = effect.promise
            if promise.reliability == "supplier":
                odds = "kept as often as your deliveries arrive on time"
            else:
                odds = f"kept about {percent(promise.reliability)} of the time"
            notes.append(f"a promise ({odds}); broken, it costs more trust than it earns")
        elif effect.trust is not None and effect.trust.delta < 0:
            notes.append(f"costs trust with {who_text(effect.trust.who)}")
        elif effect.satisfaction is not None and effect.satisfaction < 0:
            notes.append("lowers satisfaction")
        elif effect.offer is not None:
            notes.append(
                f"invites {names.get(effect.offer.competitor, 'a rival')} to make an offer"
            )
        elif effect.discount is not None:
            discount = effect.discount
            plural = "s" if discount.turns != 1 else ""
            notes.append(
                f"a {percent(discount.rate)} price cut for {discount.turns} {turn_name}{plural}: "
                "pleases now, builds no trust"
            )
        elif effect.leave is not None:
            notes.append(f"{names.get(effect.leave.who, 'someone')} leaves")
        elif effect.reliability is not None and effect.reliability < 0:
            notes.append("makes your deliveries less reliable")
    return tuple(notes)
