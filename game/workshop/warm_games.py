"""Games started warm: the server's side of :mod:`game.cli.zygote`.

Starting a game the cold way is a new Python process that imports Textual and
the game: about half a second of processor time before anything shows, so a
room of 40 players opening the page at once waits for 40 imports. A warm
parent imports them once when the server starts; each player's game is then a
fork of it, on its own pipes, in its own folder. Where that is not possible (no
`fork` on this system, or the parent failed to start or has died), games start
the cold way and the server says so in its log.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
import json
import logging
import os
import signal
import socket
from collections.abc import Mapping, Sequence

log = logging.getLogger("rapport.serve")

READY_SECONDS = 60.0  # the most the warm parent may take to import and read the scenario
FORK_SECONDS = 30.0  # the most one fork may take to be reported
#: Games run as `python -m game ...` can be forked from the parent.
WARMABLE = ("-m", "game")
#: The exit code of a game whose warm parent died before it ended: unknown.
ORPHAN_CODE = -1


def warmable(command: Sequence[str]) -> bool:
    """True when games of `command` can start warm on this system."""
    return (
        hasattr(os, "fork")
        and hasattr(socket, "send_fds")
        and hasattr(socket, "SOCK_SEQPACKET")
        and len(command) >= 3
        and tuple(command[1:3]) == WARMABLE
    )


class WarmProcess:
    """A forked game, as textual-serve and the room use a subprocess: its pipes,
    its process id, its exit code once it has ended."""

    def __init__(
        self,
        pid: int,
        stdin: asyncio.StreamWriter,
        stdout: asyncio.StreamReader,
        stderr: asyncio.StreamReader,
        ended: asyncio.Future[int],
    ) -> None:
        self.pid = pid
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self._ended = ended

    @property
    def returncode(self) -> int | None:
        if not self._ended.done():
            return None
        if self._ended.exception() is None:
            return self._ended.result()
        return None if _exists(self.pid) else ORPHAN_CODE

    async def wait(self) -> int:
        """The exit code, once the game has ended."""
        try:
            code = await asyncio.shield(self._ended)
        except OSError:  # the warm parent has gone, so no one reports the end: watch for it
            while _exists(self.pid):
                await asyncio.sleep(0.1)
            code = ORPHAN_CODE
        self.stdin.close()
        return code

    def kill(self) -> None:
        """Stop the game at once (its parent reaps it and reports the end)."""
        if self.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)


class WarmGames:
    """The warm parent and the games forked from it."""

    def __init__(self, command: Sequence[str], environment: Mapping[str, str]) -> None:
        self.command = list(command)
        self.environment = dict(environment)
        self._ids = itertools.count(1)
        self._forks: dict[int, asyncio.Future[tuple[int, asyncio.Future[int]]]] = {}
        self._ends: dict[int, asyncio.Future[int]] = {}
        self._ready: asyncio.Future[bool] | None = None
        self._requests: socket.socket | None = None
        self._process: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None
        self._events: asyncio.StreamWriter | None = None
        self._closing = False

    @property
    def alive(self) -> bool:
        return self._ready is not None and self._ready.done() and self._ready.result()

    async def start(self) -> None:
        """Start the warm parent; it reports ready once it has imported the game."""
        loop = asyncio.get_running_loop()
        self._ready = loop.create_future()
        requests, their_requests = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        events, their_events = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self._process = await asyncio.create_subprocess_exec(
                self.command[0],
                "-m",
                "game.cli.zygote",
                str(their_requests.fileno()),
                str(their_events.fileno()),
                *self.command[3:],
                stdin=asyncio.subprocess.DEVNULL,
                env=self.environment,
                pass_fds=(their_requests.fileno(), their_events.fileno()),
            )
        except OSError as error:
            log.warning("Games will start the slow way: no warm parent (%s).", error)
            self._ready.set_result(False)
            requests.close()
            events.close()
            return
        finally:
            their_requests.close()
            their_events.close()
        requests.setblocking(False)
        self._requests = requests
        # Both ends are kept: dropping the writer would close the connection.
        reader, self._events = await asyncio.open_unix_connection(sock=events)
        self._reader = asyncio.create_task(self._read_events(reader))

    async def spawn(
        self, args: Sequence[str], environment: Mapping[str, str]
    ) -> WarmProcess | None:
        """A game forked from the warm parent, or None if it cannot (start it cold)."""
        if self._ready is None or self._requests is None:
            return None
        try:
            ready = await asyncio.wait_for(asyncio.shield(self._ready), READY_SECONDS)
        except TimeoutError:
            log.warning("The warm parent is not ready after %.0f s.", READY_SECONDS)
            return None
        if not ready:
            return None
        changed = {k: v for k, v in environment.items() if self.environment.get(k) != v}
        return await self._fork(list(args), changed)

    async def _fork(self, args: list[str], environment: dict[str, str]) -> WarmProcess | None:
        loop = asyncio.get_running_loop()
        stdin_read, stdin_write = os.pipe()
        stdout_read, stdout_write = os.pipe()
        stderr_read, stderr_write = os.pipe()
        ours = [stdin_write, stdout_read, stderr_read]
        theirs = [stdin_read, stdout_write, stderr_write]
        request_id = next(self._ids)
        forked: asyncio.Future[tuple[int, asyncio.Future[int]]] = loop.create_future()
        self._forks[request_id] = forked
        message = json.dumps({"id": request_id, "args": args, "env": environment}).encode()
        try:
            await self._send(message, theirs)
            pid, ended = await asyncio.wait_for(forked, FORK_SECONDS)
        except (OSError, TimeoutError) as error:
            log.warning("A game could not start warm (%s); starting it the slow way.", error)
            for fd in ours:
                os.close(fd)
            return None
        finally:
            self._forks.pop(request_id, None)
            for fd in theirs:
                os.close(fd)
        return WarmProcess(pid, *await _streams(ours), ended)

    async def _send(self, message: bytes, fds: list[int]) -> None:
        assert self._requests is not None
        for _ in range(1000):
            try:
                socket.send_fds(self._requests, [message], fds)
                return
            except BlockingIOError:  # the parent is busy forking: its queue is full
                await asyncio.sleep(0.01)
        raise OSError("the warm parent does not take requests")

    async def _read_events(self, reader: asyncio.StreamReader) -> None:
        """Dispatch the parent's reports until it ends."""
        loop = asyncio.get_running_loop()
        assert self._ready is not None
        while line := await reader.readline():
            event = json.loads(line)
            if "ready" in event:
                self._ready.set_result(True)
                log.info("Games start warm (forked from a parent that has loaded the game).")
            elif "error" in event:
                log.warning("Games will start the slow way: %s", event["error"])
            elif "pid" in event:
                ended = self._ends[event["pid"]] = loop.create_future()
                forked = self._forks.get(event["id"])
                if forked is not None and not forked.done():
                    forked.set_result((event["pid"], ended))
            elif "exited" in event:
                end = self._ends.pop(event["exited"], None)
                if end is not None and not end.done():
                    end.set_result(event["code"])
        if not self._ready.done():
            self._ready.set_result(False)
        elif self._ready.result() and not self._closing:
            log.warning("The warm parent has ended; new games start the slow way.")
        self._ready = loop.create_future()
        self._ready.set_result(False)
        gone = OSError("the warm parent has ended")
        for fork in self._forks.values():
            if not fork.done():
                fork.set_exception(gone)
        for end in self._ends.values():
            if not end.done():
                end.set_exception(gone)

    async def close(self) -> None:
        """Stop forking (games already running go on until their players leave)."""
        self._closing = True
        if self._requests is not None:
            self._requests.close()
            self._requests = None
        if self._process is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._process.wait(), 5)
            if self._process.returncode is None:
                self._process.kill()
                await self._process.wait()
        if self._events is not None:
            self._events.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _same(protocol: asyncio.StreamReaderProtocol) -> asyncio.StreamReaderProtocol:
    return protocol


async def _streams(
    fds: list[int],
) -> tuple[asyncio.StreamWriter, asyncio.StreamReader, asyncio.StreamReader]:
    """asyncio streams over a game's standard input (ours to write), output and error."""
    loop = asyncio.get_running_loop()
    stdin_fd, stdout_fd, stderr_fd = fds
    write_protocol = asyncio.StreamReaderProtocol(asyncio.StreamReader())
    transport, _ = await loop.connect_write_pipe(
        functools.partial(_same, write_protocol), os.fdopen(stdin_fd, "wb", buffering=0)
    )
    stdin = asyncio.StreamWriter(transport, write_protocol, None, loop)
    readers = []
    for fd in (stdout_fd, stderr_fd):
        reader = asyncio.StreamReader(limit=2**16)
        read_protocol = asyncio.StreamReaderProtocol(reader)
        await loop.connect_read_pipe(
            functools.partial(_same, read_protocol), os.fdopen(fd, "rb", buffering=0)
        )
        readers.append(reader)
    return stdin, readers[0], readers[1]
