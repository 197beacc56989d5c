"""What the benchmark scripts share: their own database, a gunicorn on a free loopback port,
one timed GET, percentiles. Nothing here imports Django."""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import time
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def get(port: int, host: str, path: str = "/") -> tuple[int, float]:
    """One GET on a fresh connection (gunicorn's sync workers close after each): the status
    and the seconds it took."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": host})
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

    def wait_ready(self, host: str, timeout: float = 30) -> None:
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
