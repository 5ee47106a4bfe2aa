"""Run logs: the scenario, its content hash, the seed and the ordered choices.

A run log is all it takes to rebuild a game exactly, so saves, leaderboards
and bot runs all store run logs, never scores. This module only converts to
and from JSON text; reading and writing files is the caller's job.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from game.errors import UserError

FORMAT = "rapport-runlog"
VERSION = 1
MAX_CHOICES = 100_000


class RunLogError(UserError, ValueError):
    """Text that is not a usable run log; the message says what is wrong."""


@dataclass(frozen=True, slots=True)
class RunLog:
    scenario: str
    scenario_hash: str
    seed: int
    choices: tuple[str, ...]
    player: str | None = None
    bot: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "scenario": self.scenario,
            "scenario_hash": self.scenario_hash,
            "seed": self.seed,
            "choices": list(self.choices),
        }
        if self.player is not None:
            data["player"] = self.player
        if self.bot is not None:
            data["bot"] = self.bot
        return data

    def to_json(self) -> str:
        """The run log as JSON text (one choice per line, so it diffs well)."""
        return json.dumps(self.to_dict(), indent=1, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str | bytes) -> RunLog:
        """Parse run-log JSON; raise :class:`RunLogError` naming the problem."""
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            where = (
                f" at line {error.lineno}, column {error.colno}"
                if isinstance(error, json.JSONDecodeError)
                else ""
            )
            raise RunLogError(f"not a run log: the text is not valid JSON{where}") from None
        except RecursionError:
            raise RunLogError("not a run log: the JSON nests too deeply") from None
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: Any) -> RunLog:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise RunLogError(f'not a run log: expected a JSON object with "format": "{FORMAT}"')
        if data.get("version") != VERSION:
            raise RunLogError(
                f"run log version {data.get('version')!r} is not supported "
                f"(this Rapport reads version {VERSION})"
            )
        scenario, digest, seed = data.get("scenario"), data.get("scenario_hash"), data.get("seed")
        choices = data.get("choices")
        if not isinstance(scenario, str) or not scenario:
            raise RunLogError('run log: "scenario" must be a scenario id')
        if not isinstance(digest, str) or not digest.startswith("sha256:"):
            raise RunLogError('run log: "scenario_hash" is missing or malformed')
        if not isinstance(seed, int) or isinstance(seed, bool):
            raise RunLogError('run log: "seed" must be a whole number')
        if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
            raise RunLogError('run log: "choices" must be a list of choice ids')
        if len(choices) > MAX_CHOICES:
            raise RunLogError(f"run log: more than {MAX_CHOICES:,} choices")
        player, bot = data.get("player"), data.get("bot")
        if player is not None and not isinstance(player, str):
            raise RunLogError('run log: "player" must be text')
        if bot is not None and not isinstance(bot, str):
            raise RunLogError('run log: "bot" must be text')
        return cls(scenario, digest, seed, tuple(choices), player=player, bot=bot)
