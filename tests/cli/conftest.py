"""Run the real `rapport` command line in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

Runner = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def rapport(tmp_path: Path, rapport_home: Path) -> Runner:
    """`rapport(*args)` runs `python -m game ARGS` in a temp folder with no stdin."""

    def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "RAPPORT_HOME": str(rapport_home), "NO_COLOR": "1"}
        return subprocess.run(
            [sys.executable, "-m", "game", *args],
            cwd=cwd or tmp_path,
            env=env,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=120,
        )

    return run
