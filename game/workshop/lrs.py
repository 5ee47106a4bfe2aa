"""Sending learning records to an LRS, through a queue on disk that loses nothing.

Statements are written to the queue first (one file each, named by the statement's
id, written atomically), then sent in batches; a file is removed only once the LRS
has accepted its statement, and its id is remembered as sent, so the same statement
is never queued or sent again. While the LRS cannot be reached the statements wait,
and every later attempt (the next move, the next game, `rapport lrs send`) sends
them. A lock file keeps two processes from sending one queue at once.

Credentials come from the environment (`RAPPORT_LRS_USER`, `RAPPORT_LRS_PASSWORD`),
never from the command line, and never appear in a message.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from game.common.errors import UserError, quoted
from game.common.files import write_text_atomic
from game.common.paths import user_data_dir
from game.workshop.xapi import XAPI_VERSION

USER_VARIABLE = "RAPPORT_LRS_USER"
PASSWORD_VARIABLE = "RAPPORT_LRS_PASSWORD"
BATCH = 50
TIMEOUT_SECONDS = 10.0
#: The LRS will never take these statements (malformed, or not valid xAPI): kept aside
#: as `.refused`.
REFUSED = (400, 422)
#: The LRS already holds statements with these ids. The ids are fixed per game and
#: event, so it holds these events (sent live, then again from an export): delivered.
ALREADY_THERE = 409


class LrsError(UserError):
    """The LRS address or credentials cannot be used; the message says why."""


@dataclass(frozen=True)
class Lrs:
    """A learning record store: its xAPI endpoint, and the credentials to reach it."""

    endpoint: str
    """The xAPI base URL, such as https://lrs.example.com/xAPI (statements are below it)."""
    user: str | None = None
    password: str | None = None

    @classmethod
    def from_url(cls, url: str) -> Lrs:
        """The LRS at `url`, with credentials from the environment; :class:`LrsError` if the
        address is not usable or holds a password."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise LrsError(
                f"--lrs {quoted(url)} must be the LRS's xAPI address, such as "
                "https://lrs.example.com/xAPI"
            )
        if parts.username or parts.password:
            raise LrsError(
                "--lrs must not hold a user name or password: put them in the environment "
                f"variables {USER_VARIABLE} and {PASSWORD_VARIABLE}"
            )
        return cls(
            url.rstrip("/"),
            os.environ.get(USER_VARIABLE) or None,
            os.environ.get(PASSWORD_VARIABLE) or None,
        )

    @property
    def statements_url(self) -> str:
        return f"{self.endpoint}/statements"

    def headers(self) -> dict[str, str]:
        headers = {
            "X-Experience-API-Version": XAPI_VERSION,
            "Content-Type": "application/json",
        }
        if self.user is not None:
            token = base64.b64encode(f"{self.user}:{self.password or ''}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        return headers

    def post(self, statements: Sequence[dict[str, Any]]) -> None:
        """Send a batch; raise :class:`SendFailed` if the LRS did not take it."""
        body = json.dumps(list(statements)).encode()
        request = urllib.request.Request(
            self.statements_url, data=body, method="POST", headers=self.headers()
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                response.read()
        except urllib.error.HTTPError as error:
            detail = error.read()[:200].decode("utf-8", "replace")
            raise SendFailed(f"the LRS answered {error.code}: {detail}", error.code) from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise SendFailed(f"the LRS at {self.endpoint} cannot be reached ({reason})") from None


class SendFailed(Exception):
    """A batch the LRS did not take: it stays queued."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Flushed:
    """What one attempt to empty the queue did."""

    sent: int
    waiting: int
    problem: str | None = None


@dataclass(frozen=True)
class _Outcome:
    """What posting some statements did: the ids the LRS now holds (`new` of them sent
    now), why some were refused, and why sending stopped (the LRS cannot be reached)."""

    delivered: set[str]
    new: int
    problem: str | None = None
    stopped: str | None = None


class StatementQueue:
    """The statements waiting for one LRS, in a folder of their own."""

    def __init__(self, lrs: Lrs, folder: Path | None = None) -> None:
        self.lrs = lrs
        digest = hashlib.sha256(lrs.endpoint.encode()).hexdigest()[:16]
        self.folder = folder or user_data_dir() / "lrs-queue" / digest
        self.pending = self.folder / "pending"
        self.sent_file = self.folder / "sent.txt"

    def _sent_ids(self) -> set[str]:
        try:
            return set(self.sent_file.read_text(encoding="utf-8").split())
        except FileNotFoundError:
            return set()

    def put(self, statements: Sequence[dict[str, Any]]) -> int:
        """Queue the statements not queued or sent before; how many were new."""
        self.pending.mkdir(parents=True, exist_ok=True)
        sent = self._sent_ids()
        added = 0
        for statement in statements:
            ident = str(statement["id"])
            path = self.pending / f"{ident}.json"
            if ident in sent or path.exists():
                continue
            write_text_atomic(path, json.dumps(statement, ensure_ascii=False))
            added += 1
        return added

    def waiting(self) -> list[Path]:
        """The queued statements, oldest first."""
        if not self.pending.is_dir():
            return []
        return sorted(self.pending.glob("*.json"), key=lambda path: path.stat().st_mtime_ns)

    def flush(self) -> Flushed:
        """Send what waits, in batches; stop at the first batch the LRS cannot be reached for."""
        with self._lock() as locked:
            if not locked:
                return Flushed(0, len(self.waiting()), "another process is sending this queue")
            sent, problem = 0, None
            files = self.waiting()
            for start in range(0, len(files), BATCH):
                batch = {}
                for path in files[start : start + BATCH]:
                    try:
                        batch[path] = json.loads(path.read_text(encoding="utf-8"))
                    except (OSError, ValueError):
                        path.replace(path.with_suffix(".damaged"))  # kept, never sent
                outcome = self._deliver(list(batch.values()))
                with self.sent_file.open("a", encoding="utf-8") as record:
                    record.write("".join(f"{ident}\n" for ident in outcome.delivered))
                    record.flush()
                    os.fsync(record.fileno())
                for path, statement in batch.items():
                    if statement["id"] in outcome.delivered:
                        path.unlink(missing_ok=True)
                    elif outcome.stopped is None:  # the LRS will never take it: kept aside
                        path.replace(path.with_suffix(".refused"))
                if outcome.stopped is not None:
                    return Flushed(sent + outcome.new, len(self.waiting()), outcome.stopped)
                problem = outcome.problem or problem
                sent += outcome.new
            return Flushed(sent, 0, problem)

    def _deliver(self, statements: list[dict[str, Any]]) -> _Outcome:
        """Post a batch; if the LRS refuses it as a whole, find out statement by statement."""
        try:
            self.lrs.post(statements)
            return _Outcome({s["id"] for s in statements}, len(statements))
        except SendFailed as error:
            if error.status not in (*REFUSED, ALREADY_THERE):
                return _Outcome(set(), 0, stopped=str(error))
            if len(statements) > 1:
                return self._one_by_one(statements)
            if error.status == ALREADY_THERE:
                return _Outcome({statements[0]["id"]}, 0)
            return _Outcome(set(), 0, problem=str(error))

    def _one_by_one(self, statements: list[dict[str, Any]]) -> _Outcome:
        delivered: set[str] = set()
        new, problem = 0, None
        for statement in statements:
            outcome = self._deliver([statement])
            if outcome.stopped is not None:
                return _Outcome(delivered, new, problem, outcome.stopped)
            delivered |= outcome.delivered
            new += outcome.new
            problem = outcome.problem or problem
        return _Outcome(delivered, new, problem)

    @contextlib.contextmanager
    def _lock(self) -> Iterator[bool]:
        """An exclusive lock on the queue (False if another process holds it)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / "lock").open("a") as handle:
            try:
                import fcntl

                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            except ImportError:  # no flock (Windows): one sender per machine is the rule
                pass
            yield True
