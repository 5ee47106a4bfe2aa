"""The warm parent of `rapport serve`'s games: a process that has imported Textual
and the game once, and forks a ready game for each player who joins.

Run by the server as `python -m game.cli.zygote REQUESTS EVENTS [ARG ...]`,
where REQUESTS and EVENTS are inherited socket descriptors and the ARGs are the
`rapport` command the games run (its scenario is read once, to warm its caches).

- REQUESTS (a datagram-like `SOCK_SEQPACKET` socket) brings one JSON request per
  message, `{"id": N, "args": [...], "env": {...}}`, with the game's standard
  input, output and error as three descriptors (`SCM_RIGHTS`);
- EVENTS (a stream) carries JSON lines back: `{"ready": true}` once warm,
  `{"id": N, "pid": P}` for each game forked, `{"exited": P, "code": C}` when one
  ends, or `{"error": "..."}` if warming up failed.

The parent never starts a thread or an event loop, so forking it is safe; it
ends when the server closes REQUESTS (or dies).
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import select
import signal
import socket
import sys
import traceback
from collections.abc import Sequence
from typing import Any

#: What a game needs before its briefing, imported once in the parent.
PRELOAD = (
    "game.app.app",
    "game.app.web_driver",
    "game.app.screens.briefing",
    "game.app.screens.play",
    "game.engine.game",
    "game.play.session",
    "game.play.saves",
    "game.scenario.catalog",
    "game.workshop.board",
    "game.workshop.live",
)
MAX_REQUEST = 64 * 1024  # bytes of one request: arguments and a few variables


def preload(args: Sequence[str]) -> None:
    """Import what a game needs, and read the scenario the games will play."""
    import importlib

    from game.cli import main as _main  # noqa: F401  (the command line itself)
    from game.cli import play_commands, room_commands, workshop_commands  # noqa: F401

    for name in PRELOAD:
        importlib.import_module(name)
    scenario = _scenario_argument(args)
    if scenario is not None:
        from game.common.errors import UserError
        from game.scenario.catalog import resolve_scenario

        with contextlib.suppress(UserError, OSError):  # each game reports it for itself
            resolve_scenario(scenario)


def _scenario_argument(args: Sequence[str]) -> str | None:
    """The scenario of a `play SCENARIO ...` command, if it names one."""
    if len(args) >= 2 and args[0] == "play" and not args[1].startswith("-"):
        return args[1]
    return None


def serve_requests(requests: socket.socket, events: socket.socket) -> None:
    """Fork a game for each request until the server closes `requests`."""
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_read, False)
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # wakes select through the pipe
    inherited = (requests, events, wake_read, wake_write)
    watched: list[Any] = [requests, wake_read]
    while True:
        readable, _, _ = select.select(watched, [], [])
        if wake_read in readable:
            with contextlib.suppress(BlockingIOError):  # one byte per signal: one read empties it
                os.read(wake_read, 4096)
        _report_exits(events)
        if requests not in readable:
            continue
        try:
            message, fds, _flags, _address = socket.recv_fds(requests, MAX_REQUEST, 3)
        except ConnectionResetError:
            return
        if not message:
            return  # the server has gone
        _fork_game(json.loads(message), fds, events, inherited)


def _fork_game(
    request: dict[str, Any], fds: list[int], events: socket.socket, inherited: tuple[Any, ...]
) -> None:
    """Fork one game on the three descriptors; report its process id."""
    pid = os.fork()
    if pid == 0:
        _run_game(request, fds, inherited)  # never returns
    for fd in fds:
        os.close(fd)
    _send(events, {"id": request["id"], "pid": pid})


def _report_exits(events: socket.socket) -> None:
    """Reap every game that has ended and tell the server its exit code."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        _send(events, {"exited": pid, "code": os.waitstatus_to_exitcode(status)})


def _run_game(request: dict[str, Any], fds: list[int], inherited: tuple[Any, ...]) -> None:
    """(In the forked child.) Become the player's `rapport` process, then exit."""
    code = 1
    try:
        _name_process("rapport-game")
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for item in inherited:
            if isinstance(item, socket.socket):
                item.close()
            else:
                os.close(item)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.environ.update(request["env"])
        sys.argv = ["rapport", *request["args"]]
        from game.cli import main

        main()
        code = 0
    except SystemExit as end:
        code = end.code if isinstance(end.code, int) else (0 if end.code is None else 1)
    except BaseException:  # anything else is reported on the game's own error stream
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)


def _name_process(name: str) -> None:
    """The name `ps` and `top` show, where the system lets a process rename itself."""
    with contextlib.suppress(OSError), open("/proc/self/comm", "w") as comm:
        comm.write(name)


def _send(events: socket.socket, message: dict[str, Any]) -> None:
    with contextlib.suppress(OSError):  # the server has gone: the next read ends the loop
        events.sendall(json.dumps(message).encode() + b"\n")


def main(argv: Sequence[str]) -> None:
    """Warm up, report ready, then fork games until the server closes the sockets."""
    requests = socket.socket(fileno=int(argv[0]))
    events = socket.socket(fileno=int(argv[1]))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C stops the server, which stops us
    _name_process("rapport-warm")
    try:
        preload(argv[2:])
    except Exception as error:  # the server starts games the cold way instead
        _send(events, {"error": f"{type(error).__name__}: {error}"})
        return
    gc.collect()
    gc.freeze()  # the warm objects stay shared with every game, not copied on first touch
    _send(events, {"ready": True})
    serve_requests(requests, events)


if __name__ == "__main__":
    main(sys.argv[1:])
