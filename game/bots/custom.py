"""Custom bots: a Python file that defines `choose(view) -> choice id`.

The file may also define `reset(seed)`, called before each game, and `NAME`.
See `docs/bots.md` for the view it receives.
"""

from __future__ import annotations

import importlib.util
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from game.common.errors import UserError
from game.engine.view import GameView


class CustomBotError(UserError, ValueError):
    """A bot file that cannot be used; the message names the file and the problem."""


class FileBot:
    """A bot backed by a user's Python module."""

    def __init__(self, path: Path, module: ModuleType) -> None:
        self.path = path
        self.module = module
        self.name = str(getattr(module, "NAME", path.stem))
        self._choose: Callable[[GameView], Any] = module.choose
        self._reset: Callable[[int], Any] | None = getattr(module, "reset", None)

    def reset(self, seed: int) -> None:
        if self._reset is not None:
            self._call(self._reset, seed)

    def choose(self, view: GameView) -> str:
        return self._call(self._choose, view)

    def _call(self, function: Callable[..., Any], argument: Any) -> Any:
        try:
            return function(argument)
        except Exception as error:  # a user's bot can fail in any way
            where = _user_frame(error, self.path)
            raise CustomBotError(
                f"{self.path}{where}: {function.__name__}() failed: {type(error).__name__}: {error}"
            ) from None


def load_bot_file(path: str | Path) -> FileBot:
    """Import a bot from a Python file; raise :class:`CustomBotError` if it is unusable."""
    file = Path(path)
    if not file.is_file():
        raise CustomBotError(f"{file}: no such bot file")
    name = f"rapport_custom_bot_{abs(hash(str(file.resolve())))}"
    spec = importlib.util.spec_from_file_location(name, file)
    if spec is None or spec.loader is None:
        raise CustomBotError(f"{file}: not a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except SyntaxError as error:
        raise CustomBotError(
            f"{file}:{error.lineno}:{error.offset}: syntax error: {error.msg}"
        ) from None
    except Exception as error:
        raise CustomBotError(
            f"{file}{_user_frame(error, file)}: importing failed: {type(error).__name__}: {error}"
        ) from None
    if not callable(getattr(module, "choose", None)):
        raise CustomBotError(f"{file}: defines no function choose(view)")
    return FileBot(file, module)


def _user_frame(error: BaseException, path: Path) -> str:
    """':LINE' of the deepest frame inside the bot file, if any."""
    line = ""
    for frame in traceback.extract_tb(error.__traceback__):
        if Path(frame.filename) == path or Path(frame.filename).resolve() == path.resolve():
            line = f":{frame.lineno}"
    return line
