"""Benchmark: a room of browser sessions on `rapport serve`, all joining at once.

    python bench/serve_load.py [--players 40] [--size 100x30]

Starts `rapport serve` on a free loopback port, opens one session alone (the
baseline), then PLAYERS websocket sessions at the same moment, as that many
browser tabs would; once with games started cold (`--no-warm`: a new process
each, as before the warm parent), once warm (forked from the warm parent). For each it
records the time from connecting to the game's first frame (the loading
screen, the first output through the websocket) and to its first real screen
(the scenario's briefing). With every session on its briefing, it reads the
memory of the session processes: RSS (what each would use alone) and PSS
(shared pages split between the processes that share them: what they add up
to), and the processor time each has used. Then it closes every session and
stops the server. Every wait is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import aiohttp

TIMEOUT = 300.0  # seconds: the most any one session may take before the run is abandoned


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def games(server: int) -> list[int]:
    """The game processes of a server: its children, or the children of its warm parent."""
    found = []
    for pid in children(server):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        found += children(pid) if b"game.cli.zygote" in command else [pid]
    return found


def cpu_seconds(pid: int) -> float:
    """Processor time (user and system) a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def memory_kib(pid: int) -> tuple[int, int]:
    """RSS and PSS of a process, in KiB."""
    rss = pss = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1])
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            pss = int(line.split()[1])
    return rss, pss


class Session:
    def __init__(self) -> None:
        self.first_frame: float | None = None
        self.first_screen: float | None = None
        self.websocket: aiohttp.ClientWebSocketResponse | None = None
        self.reader: asyncio.Task[None] | None = None

    async def join(self, client: aiohttp.ClientSession, url: str, width: int, height: int) -> None:
        start = time.perf_counter()
        self.websocket = await client.ws_connect(f"{url}?width={width}&height={height}")
        await self.websocket.send_json(["resize", {"width": width, "height": height}])
        seen = ""
        while "Same Sand" not in seen:
            message = await self.websocket.receive(timeout=TIMEOUT)
            if message.type != aiohttp.WSMsgType.BINARY:
                if message.type == aiohttp.WSMsgType.TEXT:
                    continue
                raise RuntimeError(f"a session closed before its first screen: {message}")
            if self.first_frame is None and len(message.data) > 10:  # as the page decides
                self.first_frame = time.perf_counter() - start
            seen = seen[-100:] + message.data.decode("utf-8", "replace")
        self.first_screen = time.perf_counter() - start
        self.reader = asyncio.create_task(self.keep_reading())

    async def keep_reading(self) -> None:
        """Read on, as a browser does (it also answers the server's heartbeat pings)."""
        assert self.websocket is not None
        async for _message in self.websocket:
            pass


def describe(values: list[float], unit: str = "s") -> str:
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    return (
        f"median {statistics.median(ordered):.2f} {unit}, 90th percentile {p90:.2f} {unit}, "
        f"slowest {ordered[-1]:.2f} {unit}"
    )


async def load(url: str, players: int, width: int, height: int, server_pid: int) -> None:
    sessions = [Session() for _ in range(players)]
    async with aiohttp.ClientSession() as client:
        try:
            started = time.perf_counter()
            await asyncio.wait_for(
                asyncio.gather(*(s.join(client, url, width, height) for s in sessions)),
                TIMEOUT,
            )
            everyone = time.perf_counter() - started
            processes = games(server_pid)
            if len(processes) != players:
                raise RuntimeError(f"{len(processes)} game processes for {players} sessions")
            memory = [memory_kib(pid) for pid in processes]
            cpu = [cpu_seconds(pid) for pid in processes]
            server_rss, _ = memory_kib(server_pid)
        finally:
            await asyncio.gather(
                *(s.websocket.close() for s in sessions if s.websocket is not None),
                return_exceptions=True,
            )
    rss = [m[0] / 1024 for m in memory]
    pss = [m[1] / 1024 for m in memory]
    print(f"{players} session(s) joining at once, {width}x{height}, {os.cpu_count()} cores")
    print(f"  all on their first screen after {everyone:.1f} s")
    print(f"  first frame (loading screen): {describe([s.first_frame or 0 for s in sessions])}")
    print(f"  first screen (briefing):      {describe([s.first_screen or 0 for s in sessions])}")
    print(f"  processor time per session up to its first screen: {describe(cpu)}")
    print(f"  processes per session: {len(processes) / players:g}")
    print(f"  RSS per session: {describe(rss, 'MiB')}")
    print(f"  PSS per session: mean {statistics.mean(pss):.1f} MiB; all {sum(pss) / 1024:.2f} GiB")
    print(f"  server process: {server_rss / 1024:.0f} MiB RSS")


def room(players: int, width: int, height: int, warm: bool) -> None:
    """Start a server, measure one session alone and then `players` at once; stop it."""
    port = free_port()
    home = tempfile.mkdtemp(prefix="rapport-bench-")
    command = [sys.executable, "-m", "game", "serve", "--port", str(port)]
    command += ["--seed", "1", "--max-players", str(players)]
    command += [] if warm else ["--no-warm"]
    print(f"== games started {'warm (forked)' if warm else 'cold (a new process each)'}")
    with open(Path(home) / "serve.log", "w") as console:
        server = subprocess.Popen(
            command,
            env={**os.environ, "RAPPORT_HOME": home},
            stdin=subprocess.DEVNULL,
            stdout=console,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit((Path(home) / "serve.log").read_text()) from None
                time.sleep(0.2)
        url = f"ws://127.0.0.1:{port}/ws"
        asyncio.run(load(url, 1, width, height, server.pid))  # alone: the baseline (and warm-up)
        deadline = time.monotonic() + 60
        while games(server.pid) and time.monotonic() < deadline:  # its game is closing
            time.sleep(0.1)
        print()
        asyncio.run(load(url, players, width, height, server.pid))
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--players", type=int, default=40)
    parser.add_argument("--size", default="100x30", help="terminal size of each tab")
    parser.add_argument("--warm-only", action="store_true", help="skip the cold start")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    for warm in (False, True) if not args.warm_only else (True,):
        room(args.players, width, height, warm)


if __name__ == "__main__":
    main()
