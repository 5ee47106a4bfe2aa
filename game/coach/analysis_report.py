"""The turning-point analysis as data: the file format of `rapport analyse --json` and
of the analysis saved beside a run log (pydantic models; no game logic)."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from game.common.errors import UserError
from game.engine.runlog import RunLog

FORMAT: Literal["rapport-analysis"] = "rapport-analysis"
VERSION: Literal[2] = 2


class AnalysisError(UserError, ValueError):
    """A saved analysis that cannot be read; the message says why."""


_Text = Annotated[str, Field(max_length=2000)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Move(_Model):
    """One move of a decision: what it was, its behaviour tag, whom it was for, its time."""

    id: _Text
    label: _Text
    behaviour: _Text
    person: _Text | None = None  # the target's id
    name: _Text | None = None  # the target's name and role
    cost: float = 0.0


class Moment(_Model):
    """A turning point: a decision where the expert's choice was worth clearly more."""

    turn: int
    kind: Literal["turn", "event"]
    choice: _Text  # what the player did
    expert: _Text  # what the expert would have done
    loss: float  # expected score points lost, the expert's choice against the player's
    error: float = 0.0  # standard error of `loss`
    why: _Text
    event: _Text | None = None  # the event's title, for an answer
    played: tuple[Move, ...] = ()
    advised: tuple[Move, ...] = ()
    on_seed: float = 0.0  # what the expert's choice was worth on the game's own dice


class Settings(_Model):
    forks: int
    horizon: int | None
    continuation: str


class Phase(_Model):
    """A third of the game: what its decisions cost against the expert's."""

    name: _Text
    first: int
    last: int
    loss: float
    decisions: int  # decisions in it where the expert would have done otherwise


class Terms(_Model):
    """What a person weighed when they left."""

    loyalty: float  # their own loyalty to you
    colleagues: float | None  # their colleagues' still buying from you (None: no one)
    satisfaction: float
    price_gap: float  # how much cheaper the rival was (negative: dearer)
    chance: float | None  # their chance to leave as they decided (None: needs changed)


class Departure(_Model):
    """Someone who took their business elsewhere, and what might have kept them."""

    who: _Text  # the person's id
    name: _Text  # name and role
    turn: int
    competitor: _Text | None
    reason: _Text  # the real reason
    stated: _Text  # what they said
    terms: Terms
    futures: int = 0  # futures of their last turn played (0: nothing could have kept them)
    kept_in: int = 0  # in how many of them `instead` kept them
    player_kept_in: int = 0  # in how many the player's own moves that turn kept them
    instead: _Text | None = None  # the named different choice for that turn


class Analysis(_Model):
    """The turning points of one game, and what to take from them."""

    format: Literal["rapport-analysis"] = FORMAT
    version: Literal[2] = VERSION
    scenario: _Text
    scenario_hash: _Text
    seed: int
    log: _Text  # digest of the run log's choices: which game this analysis is of
    player: _Text | None = None
    bot: _Text | None = None
    finished: bool
    score: int
    decisions: int  # decisions looked at
    differed: int  # of them, where the expert would have done something else
    moments: tuple[Moment, ...]
    takeaways: tuple[_Text, ...]
    settings: Settings
    time_unit: _Text = "h"
    # The whole result against the expert's, in score points, on the same seed. The
    # expert's play (its continuation) from the same start scores `expert_score` on the
    # game's own dice and `expert_expected` on average over `futures` other futures.
    # `gap` = `expert_score` − `score`. `explained` is the sum, over every decision where
    # the expert would have chosen otherwise, of what its choice would have been worth on
    # the game's own dice with the same play after it: the part of the gap the
    # decisions account for, one by one. `phases` splits it by thirds of the game.
    expert_score: float | None = None
    expert_expected: float | None = None
    futures: int = 0
    gap: float | None = None
    explained: float | None = None
    phases: tuple[Phase, ...] = ()
    departures: tuple[Departure, ...] = ()

    @property
    def explained_share(self) -> float | None:
        """The share of the gap the decisions explain (None when there is no gap)."""
        if self.gap is None or self.explained is None or self.gap <= 1:
            return None
        return self.explained / self.gap

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=1, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str | bytes) -> Analysis:
        """A saved analysis; :class:`AnalysisError` if it is not one."""
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            raise AnalysisError("not an analysis: the text is not valid JSON") from None
        try:
            return cls.model_validate(data)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "the file"
            raise AnalysisError(f"not an analysis: {where}: {first['msg']}") from None

    def matches(self, log: RunLog) -> bool:
        """Whether this is the analysis of `log`."""
        return (
            self.scenario == log.scenario
            and self.scenario_hash == log.scenario_hash
            and self.seed == log.seed
            and self.log == log_digest(log)
        )


def log_digest(log: RunLog) -> str:
    """A digest of the run log's game (scenario, hash, seed and choices)."""
    text = json.dumps([log.scenario, log.scenario_hash, log.seed, list(log.choices)])
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()
