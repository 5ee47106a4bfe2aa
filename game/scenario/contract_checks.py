"""The checks of a scenario's contract: it ends within the game, its decision comes
after the game starts, and the competitor it names exists."""

from __future__ import annotations

from game.scenario.models import Scenario

Loc = tuple[str | int, ...]


def contract_problems(scenario: Scenario) -> list[tuple[Loc, str, str]]:
    """(where, code, message) for each problem of the scenario's contract."""
    contract = scenario.account.contract
    if contract is None:
        return []
    at: Loc = ("account", "contract")
    found: list[tuple[Loc, str, str]] = []
    if contract.ends > scenario.turns:
        found.append(
            (
                (*at, "ends"),
                "R312",
                f"account.contract.ends: turn {contract.ends} is after the last turn "
                f"({scenario.turns}): the contract would never end in the game",
            )
        )
    elif contract.notice >= contract.ends:
        found.append(
            (
                (*at, "notice"),
                "R312",
                f"account.contract.notice: {contract.notice} turns before turn "
                f"{contract.ends} is before the game starts: the decision would never come",
            )
        )
    ids = [c.id for c in scenario.competitors]
    if not ids:  # (the competitor it names is checked with every other reference)
        found.append((at, "R312", "account.contract: a contract needs a competitor to bid"))
    return found
