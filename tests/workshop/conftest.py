"""Run logs of finished games, and real boards: SQLite files and a throwaway PostgreSQL server.

The PostgreSQL server is started once per test session (per xdist worker;
`--dist loadgroup` keeps the PostgreSQL tests on one): `initdb` and `pg_ctl`
from Debian's `postgresql` package, in a temporary folder, on a free port,
as an unprivileged user (PostgreSQL refuses to run as root), trusting local
connections; it is stopped and deleted at the end. Where no server can be
started, the PostgreSQL tests are skipped with the reason.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from game.bots import make_bot, play
from game.engine import Game
from game.scenario.catalog import load_bundled

PG_USER = "rapport"
PG_GROUP = "postgres"  # xdist_group of every test that needs the server
START_TIMEOUT = 60


@pytest.fixture(scope="session")
def finished_logs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """100 run logs of finished sand-supplier games (the idle bot: quick to replay)."""
    folder = tmp_path_factory.mktemp("logs")
    loaded = load_bundled("sand-supplier")
    paths = []
    for seed in range(100):
        game = play(
            Game(loaded.scenario, seed, scenario_hash=loaded.content_hash), make_bot("idle")
        )
        path = folder / f"run{seed}.json"
        path.write_text(game.run_log(player=f"Seed {seed}").to_json())
        paths.append(path)
    return paths


def edited(path: Path, **changes: object) -> str:
    data = json.loads(path.read_text())
    data.update(changes)
    return json.dumps(data)


# ---------------------------------------------------------------------- PostgreSQL


@dataclass(frozen=True)
class PostgresServer:
    port: int
    folder: Path

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{PG_USER}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh, empty database on the server; its URL."""
        import psycopg

        name = f"board_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name}")
        return self.url(name)


def _postgres_bin() -> Path | None:
    """The folder of initdb and pg_ctl: Debian keeps them out of PATH."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=_version_key)
    return Path(versions[-1]).parent if versions else None


def _version_key(path: str) -> tuple[int, ...]:
    version = Path(path).parent.parent.name
    return tuple(int(part) for part in version.split(".") if part.isdigit())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_user() -> dict[str, object]:
    """subprocess arguments that drop root to `nobody` (PostgreSQL will not run as root)."""
    if os.geteuid() != 0:
        return {}
    return {"user": "nobody", "group": "nogroup", "extra_groups": []}


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server of our own for this session, stopped and deleted at the end."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed (pip install 'psycopg[binary]')")
    bin_dir = _postgres_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (Debian: apt-get install postgresql)")
    user = _as_user()
    # As root the server runs as `nobody`, who must reach the folder: /tmp, not a private TMPDIR.
    base = "/tmp" if user and Path("/tmp").is_dir() else None
    folder = Path(tempfile.mkdtemp(prefix="rapport-pg-", dir=base))
    data = folder / "data"
    if user:
        shutil.chown(folder, "nobody", "nogroup")
    run = {"cwd": folder, "capture_output": True, "text": True, "stdin": subprocess.DEVNULL}
    init = subprocess.run(
        [
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-U",
            PG_USER,
            "--auth=trust",
            "--encoding=UTF8",
            "--no-sync",
        ],
        timeout=START_TIMEOUT,
        **run,
        **user,
    )
    if init.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"initdb could not create a PostgreSQL cluster: {init.stderr.strip()[-500:]}")
    started = None
    for _attempt in range(5):  # another process may take the free port first
        port = _free_port()
        options = (
            f"-p {port} -c listen_addresses=127.0.0.1 -k {folder} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60"
        )
        start = subprocess.run(
            [
                *(str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w"),
                *("-t", str(START_TIMEOUT), "-o", options, "start"),
            ],
            timeout=START_TIMEOUT + 10,
            **run,
            **user,
        )
        if start.returncode == 0:
            started = PostgresServer(port, folder)
            break
    if started is None:
        log = (
            (folder / "log").read_text(errors="replace")[-800:] if (folder / "log").exists() else ""
        )
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"the PostgreSQL server did not start: {log.strip()}")
    try:
        yield started
    finally:
        subprocess.run(
            [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            timeout=START_TIMEOUT,
            **run,
            **user,
        )
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def pg_url(postgres_server: PostgresServer) -> str:
    """The URL of a new, empty database on the session's PostgreSQL server."""
    return postgres_server.new_database()


POSTGRES = pytest.param("postgres", marks=pytest.mark.xdist_group(PG_GROUP))
BACKENDS = ["sqlite", POSTGRES]


@pytest.fixture
def board_location(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """A new, empty board: a SQLite file, or a PostgreSQL database (parametrize with BACKENDS)."""
    backend = getattr(request, "param", "sqlite")
    if backend == "sqlite":
        return tmp_path / "board.db"
    return request.getfixturevalue("pg_url")
