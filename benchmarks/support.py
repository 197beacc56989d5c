"""What the benchmark scripts share: their own database, Redis database and environment, a
gunicorn on a free loopback port, one timed GET, percentiles. Nothing here imports Django."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def with_database(url: str, name: str) -> str:
    return urlsplit(url)._replace(path=f"/{name}").geturl()


def maintenance_connect(database_url: str):
    import psycopg

    return psycopg.connect(with_database(database_url, "postgres"), autocommit=True)


def database_create(database_url: str, name: str) -> None:
    """A fresh, empty database of the benchmark's own (dropped first if a run left one)."""
    with maintenance_connect(database_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def database_drop(database_url: str, name: str) -> None:
    with maintenance_connect(database_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def bench_environment(
    urls,
    *,
    settings_module: str,
    database: str,
    redis_db: int,
    cache_prefix: str,
    workdir: Path | None = None,
) -> Iterator[dict[str, str]]:
    """The body runs on a database of its own (created empty, dropped after, on SIGTERM too), a
    Redis database and cache prefix of its own, DEBUG off; yields that environment for the
    subprocesses. It is this process's os.environ too: Django, set up later here, reads it.
    `workdir` holds generated modules (settings, urlconf): importable here and there, then erased.
    `urls` are config.services.ensure()'s."""
    from config.settings.env import redis_url_with_db

    environ = dict(os.environ)
    environ.update(
        DJANGO_SETTINGS_MODULE=settings_module,
        DATABASE_URL=with_database(urls.database_url, database),
        REDIS_URL=redis_url_with_db(urls.redis_url, redis_db),
        CACHE_KEY_PREFIX=cache_prefix,
        DEBUG="False",
        LOG_LEVEL="WARNING",
    )
    if workdir is not None:
        sys.path.insert(0, str(workdir))
        environ["PYTHONPATH"] = os.pathsep.join([str(workdir), str(ROOT)])
    environ.pop("SENTRY_DSN", None)
    os.environ.clear()
    os.environ.update(environ)
    # SIGTERM unwinds like Ctrl-C, so that the finally clause below drops the database.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        database_create(urls.database_url, database)
        yield environ
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception as exc:  # Django may not even be set up
            print(f"bench: closing connections: {exc}", file=sys.stderr)
        database_drop(urls.database_url, database)
        import redis

        client = redis.Redis.from_url(environ["REDIS_URL"])
        for key in client.scan_iter(match=f"*:{cache_prefix}:*"):  # schema:prefix:version:key
            client.delete(key)
        # Tasks enqueued on the bench's own Redis database, with no worker to take them.
        client.delete("celery")
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def get(
    port: int, host: str, path: str = "/", *, headers: dict[str, str] | None = None
) -> tuple[int, float]:
    """One GET on a fresh connection (gunicorn's sync workers close after each): the status
    and the seconds it took. ``headers`` are sent besides Host (a session's Cookie...)."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": host, **(headers or {})})
        response = conn.getresponse()
        response.read()
    finally:
        conn.close()
    return response.status, time.perf_counter() - started


class Gunicorn:
    """gunicorn serving the project on a free 127.0.0.1 port, in a session of its own."""

    def __init__(self, env: dict[str, str], *, options: list[str] = ()):
        self.port = free_port()
        command = [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}",
            "--log-level", "warning",
            *options,
        ]  # fmt: skip
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)

    def wait_ready(self, host: str, timeout: float = 120) -> None:
        # Generous: on a machine shared with test suites, starting the workers took over 30 s.
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with status {self.process.returncode}")
            try:
                if get(self.port, host, "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz in time")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
