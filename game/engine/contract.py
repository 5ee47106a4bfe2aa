"""A contract's end: the customer's buying centre decides to renew, re-tender or leave.

`notice` turns before the contract ends, every person still buying weighs the
competitor's bid on the same terms as a competitor's offer (their loyalty and their
colleagues', the price and reliability gap, satisfaction, the pull of a former rep).
The buying centre's chance to look elsewhere is the influence-weighted mean of their
chances to leave; one keyed die decides. With a chance `p`, it leaves outright with
chance p² (everyone goes to the competitor), re-tenders with chance p − p² (the
competitor makes every buyer an offer, decided as offers are), and renews otherwise.
The flag `contract` says which: "renewed", "tender" or "left".
"""

from __future__ import annotations

from game.engine.approaches import approach, can_be_approached, defect, terms
from game.engine.rng import Dice
from game.engine.state import Approach
from game.engine.text import percent
from game.engine.world import World


def review_contract(world: World, dice: Dice) -> None:
    """At the end of the turn `notice` before the contract ends, the decision."""
    contract = world.scenario.account.contract
    state = world.state
    if contract is None or state.turn != contract.ends - contract.notice:
        return
    competitor_id = contract.competitor or world.scenario.competitors[0].id
    competitor = world.competitor(competitor_id)
    nodes = world.nodes
    buyers = [
        p
        for p in world.rules.stakeholder_ids
        if can_be_approached(world, p) and nodes[p]["influence"] > 0
    ]
    if not buyers:
        return
    bids = {
        who: terms(world, Approach(who, competitor_id, state.turn, state.turn, 0.0, "contract"))
        for who in buyers
    }
    weight = sum(nodes[p]["influence"] for p in buyers)
    chance = sum(nodes[p]["influence"] * bids[p].chance for p in buyers) / weight
    roll = dice.roll("contract", state.turn, competitor_id)
    since = world.narrator.mark()
    ends = f"{world.scenario.calendar.turn_name.lower()} {contract.ends}"
    customer = world.scenario.customer.name
    if roll < chance * chance:
        state.flags["contract"] = "left"
        for who in buyers:
            reason = bids[who].hazard.draw_reason(dice.roll("reason", "contract", who))
            defect(
                world, who, competitor_id, reason, price_gap=bids[who].price_gap, terms=bids[who]
            )
        text = (
            f"The contract ends in {ends}: {customer} gives the business to "
            f"{competitor.name} (a {percent(chance)} chance to look elsewhere)."
        )
    elif roll < chance:
        state.flags["contract"] = "tender"
        for who in buyers:
            approach(world, competitor_id, dice, who=who, extra_discount=0.0, occasion="tender")
        text = (
            f"The contract ends in {ends}: {customer} puts it out to tender, and "
            f"{competitor.name} bids to everyone who buys (a {percent(chance)} chance to "
            "look elsewhere)."
        )
    else:
        state.flags["contract"] = "renewed"
        text = (
            f"The contract ends in {ends}: {customer} renews it with you (a "
            f"{percent(chance)} chance to look elsewhere)."
        )
    world.narrator.tell("offer", text, cause="offer", since=since)
    world.moved()
