"""A real learning record store for the tests: Ralph (`ralph-malph` on PyPI) with its
file-system backend, on a free loopback port.

`ralph runserver` writes every batch of statements to one file with the "create"
operation, so with the file-system backend only the first POST ever succeeds (the next
answer 500: "already exists and overwrite is not allowed"). The launcher below starts
the same Ralph API with uvicorn, as `runserver` does, with one change: its
file-system LRS backend appends. Everything else (routes, validation, basic auth,
duplicate ids, paging) is Ralph's own.

Ralph lives in a virtual environment of its own, outside Rapport's dependencies: the
one named by RAPPORT_TEST_RALPH (the path of its `ralph` program), or one made once in
the user's cache folder (`pip install 'ralph-malph[cli,lrs]' requests bcrypt`, under a
lock, so parallel test workers make it once).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.workshop.serve_harness import free_port

RALPH_REQUIREMENTS = ["ralph-malph[cli,lrs]>=5.1,<6", "requests>=2.31", "bcrypt>=4.1"]
USER, PASSWORD = "rapport", "test-password"
START_SECONDS = 60
LAUNCHER = """
import sys
import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend
FSLRSBackend.default_operation_type = BaseOperationType.APPEND
uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def ralph_program() -> Path:
    """Ralph's `ralph` program, installed into the cache folder on first use."""
    given = os.environ.get("RAPPORT_TEST_RALPH")
    if given:
        return Path(given)
    from platformdirs import user_cache_path

    venv = user_cache_path("rapport-tests", appauthor=False) / "ralph-5"
    program = venv / "bin" / "ralph"
    if program.exists():
        return program
    venv.parent.mkdir(parents=True, exist_ok=True)
    import fcntl

    with (venv.parent / "ralph.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not program.exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            installed = subprocess.run(
                [str(venv / "bin" / "pip"), "install", "-q", *RALPH_REQUIREMENTS],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
            )
            if installed.returncode != 0:
                program.unlink(missing_ok=True)
                raise AssertionError(f"Ralph could not be installed:\n{installed.stderr[-3000:]}")
    return program


@dataclass
class Ralph:
    """A running Ralph LRS."""

    port: int
    process: subprocess.Popen[bytes]

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/xAPI"

    def headers(self) -> dict[str, str]:
        token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        return {"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3"}

    def statements(self) -> list[dict[str, Any]]:
        """Every statement the LRS holds (following its pages)."""
        found: list[dict[str, Any]] = []
        url = f"{self.endpoint}/statements?limit=500"
        while url:
            request = urllib.request.Request(url, headers=self.headers())
            with urllib.request.urlopen(request, timeout=10) as response:
                page = json.loads(response.read())
            found += page["statements"]
            more = page.get("more")
            url = f"http://127.0.0.1:{self.port}{more}" if more else ""
        return found


def credentials_env() -> dict[str, str]:
    """What a Rapport process needs in its environment to reach the test LRS."""
    return {"RAPPORT_LRS_USER": USER, "RAPPORT_LRS_PASSWORD": PASSWORD}


@contextlib.contextmanager
def running_ralph(folder: Path, port: int | None = None) -> Iterator[Ralph]:
    """Start Ralph with its file-system backend in `folder`; stop it on leaving."""
    program = ralph_program()
    python = program.parent / "python"
    digest = subprocess.run(
        [
            str(python),
            "-c",
            "import bcrypt,sys; print(bcrypt.hashpw(sys.argv[1].encode(), "
            "bcrypt.gensalt(4)).decode())",
            PASSWORD,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    folder.mkdir(parents=True, exist_ok=True)
    auth = folder / "auth.json"
    auth.write_text(
        json.dumps(
            [
                {
                    "username": USER,
                    "hash": digest,
                    "scopes": ["all"],
                    "agent": {"mbox": "mailto:trainer@example.com", "objectType": "Agent"},
                }
            ]
        )
    )
    (folder / "data").mkdir(exist_ok=True)
    port = port or free_port()
    log = (folder / "ralph.log").open("wb")
    environment = {
        **os.environ,
        "RALPH_AUTH_FILE": str(auth),
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(folder / "data"),
    }
    process = subprocess.Popen(
        [str(python), "-c", LAUNCHER, str(port)],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        cwd=folder,
        start_new_session=True,  # its reloader's child goes down with it
    )
    ralph = Ralph(port, process)
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                ralph.statements()
                break
            except (OSError, urllib.error.URLError):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        "Ralph did not start: " + (folder / "ralph.log").read_text()[-2000:]
                    ) from None
                time.sleep(0.2)
        yield ralph
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
