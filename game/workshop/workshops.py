"""Workshops: codes, and the workshops a trainer creates on a board.

A created workshop fixes the scenario (by id and content hash), the seed and
the rules: whether only each player's first game ranks, and whether the
board ranks by score or by score minus par. Created without a seed, it gets
a fresh random one that is stored on the board and never shown to players,
so nobody can rehearse the workshop's dice beforehand.
"""

from __future__ import annotations

import re
import secrets

from game.common.errors import UserError, quoted
from game.common.seeds import seed_problem
from game.scenario import LoadedScenario, ScenarioError
from game.scenario.catalog import ScenarioNotFound, find_scenario_id, resolve_scenario
from game.workshop.board.store import RANKINGS, Ranking, Workshop

WORKSHOP_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")
RANDOM_SEED_LIMIT = 2**31


def workshop_code(raw: str) -> str:
    """A workshop code, checked and upper-cased: letters, digits, - and _, up to 32."""
    code = raw.strip()
    if not WORKSHOP_CODE.match(code):
        raise UserError(f"workshop code {quoted(raw)} must be 1 to 32 letters, digits, - or _")
    return code.upper()


def new_workshop(
    code: str,
    scenario: str,
    *,
    seed: int | None = None,
    first_attempt_only: bool = False,
    ranking: Ranking = "score",
) -> Workshop:
    """A workshop record for `scenario` (an id or a path); a random hidden seed if none."""
    if ranking not in RANKINGS:
        raise UserError(f"ranking {ranking!r} must be one of {', '.join(RANKINGS)}")
    problem = None if seed is None else seed_problem(seed)
    if problem:
        raise UserError(f"the workshop's seed {problem}")
    try:
        loaded = resolve_scenario(scenario)
    except (ScenarioNotFound, ScenarioError) as error:
        raise UserError(f"the workshop's scenario cannot be used: {error}") from None
    return Workshop(
        code=workshop_code(code),
        scenario=loaded.scenario.id,
        scenario_hash=loaded.content_hash,
        seed=secrets.randbelow(RANDOM_SEED_LIMIT) if seed is None else seed,
        seed_hidden=seed is None,
        first_attempt_only=first_attempt_only,
        ranking=ranking,
    )


def workshop_scenario(workshop: Workshop, path: str | None = None) -> LoadedScenario:
    """The workshop's scenario on this machine, checked to be the version it was created with.

    `path` is a scenario file to use instead of looking the id up (for a
    scenario that is neither bundled nor in ./scenarios or the user folder).
    """
    try:
        loaded = resolve_scenario(path) if path else find_scenario_id(workshop.scenario)
    except (ScenarioNotFound, ScenarioError) as error:
        raise UserError(
            f"workshop {workshop.code} plays scenario '{workshop.scenario}', which cannot be "
            f"loaded here: {error}"
        ) from None
    if loaded.scenario.id != workshop.scenario:
        raise UserError(
            f"workshop {workshop.code} plays scenario '{workshop.scenario}', "
            f"not '{loaded.scenario.id}'"
        )
    if loaded.content_hash != workshop.scenario_hash:
        raise UserError(
            f"this machine's scenario '{workshop.scenario}' is not the version workshop "
            f"{workshop.code} was created with; install the same Rapport version (or scenario "
            "file) as the trainer's"
        )
    return loaded
