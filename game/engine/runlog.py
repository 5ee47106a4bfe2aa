"""Run logs: the scenario, its content hash, the seed and the ordered choices.

A run log is all it takes to rebuild a game exactly, so saves, leaderboards
and bot runs all store run logs, never scores. This module only converts to
and from JSON text; reading and writing files is the caller's job.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from game.common.errors import UserError
from game.common.seeds import RANGE as SEED_RANGE
from game.common.seeds import seed_problem

FORMAT = "rapport-runlog"
VERSION = 1
MAX_NOTES = 10
MAX_NOTE = 2000  # characters in one of the player's notes
MAX_CHOICES = 100_000
MAX_TEXT = 200  # characters in the player's or bot's name, or the hash
MAX_INJECTED = 100  # events a trainer put into one game
#: A scenario id, as the scenario format defines it: never a path.
SCENARIO_ID = re.compile(r"[a-z][a-z0-9-]{0,59}")
#: A game's own id: 32 hexadecimal digits (a UUID), fixed when the game starts.
GAME_ID = re.compile(r"[0-9a-f]{32}")
#: An event's or a person's id, as the scenario format defines ids.
EVENT_ID = re.compile(r"[a-z][a-z0-9_]{0,63}")
#: Control characters and the bidirectional overrides that can disguise text.
UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class RunLogError(UserError, ValueError):
    """Text that is not a usable run log; the message says what is wrong."""


@dataclass(frozen=True, slots=True)
class Injected:
    """One of the scenario's events that a workshop's trainer put into the game: it fires
    at the start of `turn`, whatever its condition and chance. `id` is the injection's
    number in its workshop, so a board can check it was really the trainer's."""

    id: int
    event: str
    turn: int

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "event": self.event, "turn": self.turn}

    @classmethod
    def from_dict(cls, data: Any, number: int) -> Injected:
        where = f'run log: "injected" item {number}'
        if not isinstance(data, dict):
            raise RunLogError(f"{where} must be an object with id, event and turn")
        ident, event, turn = data.get("id"), data.get("event"), data.get("turn")
        for name, value in (("id", ident), ("turn", turn)):
            if type(value) is not int or not 1 <= value <= 1_000_000:
                raise RunLogError(f'{where}: "{name}" must be a whole number from 1')
        if not isinstance(event, str) or not EVENT_ID.fullmatch(event):
            raise RunLogError(f'{where}: "event" must be an event id')
        assert isinstance(ident, int) and isinstance(turn, int)
        return cls(ident, event, turn)


@dataclass(frozen=True, slots=True)
class RunLog:
    scenario: str
    scenario_hash: str
    seed: int
    choices: tuple[str, ...]
    player: str | None = None
    bot: str | None = None
    practice: bool = False
    """Played in practice mode (undo, rewind, what-if): never accepted by a board."""
    notes: tuple[str, ...] = ()
    """The player's own words after the game (the debrief's reflection); never scored."""
    injected: tuple[Injected, ...] = ()
    """Events the workshop's trainer put into the game, each at the start of its turn."""
    game_id: str | None = None
    """The game's own id, fixed when a player starts it: its learning records' registration."""
    team: tuple[str, ...] = ()
    """A team game: the teammate each trainee played, the lead first (empty: one player)."""

    def __post_init__(self) -> None:
        """Refuse a seed out of range, and text that is not safe to store or show."""
        problem = seed_problem(self.seed)
        if problem:
            raise RunLogError(f'run log: "seed" {problem}')
        _check_text('"scenario"', self.scenario)
        if not SCENARIO_ID.fullmatch(self.scenario):
            raise RunLogError(
                f'run log: "scenario" {self.scenario[:80]!r} is not a scenario id (lower-case '
                "letters, digits and dashes, up to 60 characters)"
            )
        for field, value in (
            ("scenario_hash", self.scenario_hash),
            ("player", self.player),
            ("bot", self.bot),
        ):
            if value is not None:
                _check_text(f'"{field}"', value)
                if len(value) > MAX_TEXT:
                    raise RunLogError(f'run log: "{field}" is longer than {MAX_TEXT} characters')
        if self.game_id is not None and not GAME_ID.fullmatch(self.game_id):
            raise RunLogError('run log: "game" must be 32 hexadecimal digits')
        if len(self.notes) > MAX_NOTES:
            raise RunLogError(f'run log: more than {MAX_NOTES} "notes"')
        for number, note in enumerate(self.notes, 1):
            _check_text(f"note {number}", note)
            if len(note) > MAX_NOTE:
                raise RunLogError(f"run log: note {number} is longer than {MAX_NOTE} characters")
        if not _is_safe("".join(self.choices)):  # one pass; look for the culprit only if needed
            for number, choice in enumerate(self.choices, 1):
                _check_text(f"choice {number} of {len(self.choices)}", choice)

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
        if self.practice:
            data["practice"] = True
        if self.notes:
            data["notes"] = list(self.notes)
        if self.injected:
            data["injected"] = [item.to_dict() for item in self.injected]
        if self.game_id is not None:
            data["game"] = self.game_id
        if self.team:
            data["team"] = list(self.team)
        return data

    def to_json(self) -> str:
        """The run log as JSON text (one choice per line, so it diffs well)."""
        return json.dumps(self.to_dict(), indent=1, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str | bytes) -> RunLog:
        """Parse run-log JSON; raise :class:`RunLogError` naming the problem."""
        try:
            data = json.loads(text, parse_int=_parse_int)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            where = (
                f" at line {error.lineno}, column {error.colno}"
                if isinstance(error, json.JSONDecodeError)
                else ""
            )
            raise RunLogError(f"not a run log: the text is not valid JSON{where}") from None
        except RecursionError:
            raise RunLogError("not a run log: the JSON nests too deeply") from None
        except ValueError as error:
            raise RunLogError(f"not a run log: {error}") from None
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: Any) -> RunLog:
        """A run log from parsed JSON; :class:`RunLogError` naming the first field that
        is wrong."""
        _check_format(data)
        scenario, digest, seed, choices = _game_fields(data)
        player, bot, practice, notes = _player_fields(data)
        game_id = data.get("game")
        if game_id is not None and not isinstance(game_id, str):
            raise RunLogError('run log: "game" must be 32 hexadecimal digits')
        team = data.get("team", [])
        if (
            not isinstance(team, list)
            or len(team) > 4
            or not all(isinstance(t, str) and EVENT_ID.fullmatch(t) for t in team)
        ):
            raise RunLogError('run log: "team" must be a list of up to 4 people\'s ids')
        injected = data.get("injected", [])
        if not isinstance(injected, list) or len(injected) > MAX_INJECTED:
            raise RunLogError(f'run log: "injected" must be a list of at most {MAX_INJECTED}')
        return cls(
            scenario,
            digest,
            seed,
            tuple(choices),
            player=player,
            bot=bot,
            practice=practice,
            notes=tuple(notes),
            injected=tuple(Injected.from_dict(item, n) for n, item in enumerate(injected, 1)),
            game_id=game_id,
            team=tuple(team),
        )


def _check_format(data: Any) -> None:
    """A JSON object of this format, in a version this Rapport reads."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise RunLogError(f'not a run log: expected a JSON object with "format": "{FORMAT}"')
    version = data.get("version")
    if type(version) is not int:  # true == 1 and 1.0 == 1 in Python: neither is a version
        raise RunLogError(
            f'run log: "version" must be a whole number such as {VERSION}, '
            f"not {json.dumps(version)[:40]}"
        )
    if version != VERSION:
        raise RunLogError(
            f"run log version {data.get('version')!r} is not supported "
            f"(this Rapport reads version {VERSION})"
        )


def _game_fields(data: dict[str, Any]) -> tuple[str, str, Any, list[str]]:
    """The scenario, its hash, the seed and the choices, each checked (the seed's range
    after the player's fields, see :func:`_player_fields`)."""
    scenario, digest, seed = data.get("scenario"), data.get("scenario_hash"), data.get("seed")
    choices = data.get("choices")
    if not isinstance(scenario, str) or not scenario:
        raise RunLogError('run log: "scenario" must be a scenario id')
    if not isinstance(digest, str) or not digest.startswith("sha256:"):
        raise RunLogError('run log: "scenario_hash" is missing or malformed')
    if isinstance(seed, _LongNumber):
        raise RunLogError(f'run log: "seed" is {seed!r}, out of range ({SEED_RANGE})')
    if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
        raise RunLogError('run log: "choices" must be a list of choice ids')
    if len(choices) > MAX_CHOICES:
        raise RunLogError(f"run log: more than {MAX_CHOICES:,} choices")
    return scenario, digest, seed, choices


def _player_fields(data: dict[str, Any]) -> tuple[str | None, str | None, bool, list[str]]:
    """The player, the bot, practice and the notes, each checked (and the seed's range,
    which the run log reports after them)."""
    player, bot = data.get("player"), data.get("bot")
    if player is not None and not isinstance(player, str):
        raise RunLogError('run log: "player" must be text')
    if bot is not None and not isinstance(bot, str):
        raise RunLogError('run log: "bot" must be text')
    seed = data.get("seed")
    problem = seed_problem(seed)
    if problem is not None or not isinstance(seed, int):
        raise RunLogError(f'run log: "seed" {problem}')
    practice, notes = data.get("practice", False), data.get("notes", [])
    if not isinstance(practice, bool):
        raise RunLogError('run log: "practice" must be true or false')
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        raise RunLogError('run log: "notes" must be a list of texts')
    return player, bot, practice, notes


class _LongNumber:
    """A whole number in the JSON too long to be any field's value (kept as its length)."""

    def __init__(self, digits: int) -> None:
        self.digits = digits

    def __repr__(self) -> str:
        return f"a number of {self.digits:,} digits"


def _parse_int(text: str) -> int | _LongNumber:
    """Python refuses ints over 4,300 digits with a confusing error; say which field has it."""
    digits = len(text.lstrip("-"))
    return _LongNumber(digits) if digits > 30 else int(text)


def _is_safe(value: str) -> bool:
    """True if `value` is valid Unicode without control characters (fast for plain ASCII)."""
    if value.isascii():
        return value.isprintable()
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return UNSAFE.search(value) is None


def _check_text(where: str, value: str) -> None:
    """Raise :class:`RunLogError` if `value` cannot be stored or shown as plain text."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise RunLogError(
            f"run log: {where} is not valid Unicode text: it holds a lone surrogate "
            f"(U+{ord(value[error.start]):04X}) at character {error.start + 1}"
        ) from None
    unsafe = UNSAFE.search(value)
    if unsafe:
        raise RunLogError(
            f"run log: {where} holds a control character (U+{ord(unsafe.group()):04X}) "
            f"at character {unsafe.start() + 1}"
        )
