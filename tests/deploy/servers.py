"""The servers of a multi-node deployment, started by the tests from Debian's packages
(installed by `./agora test`): gunicorn nodes, pgbouncer, nginx; and towns whose pages say
which schema served them."""

from __future__ import annotations

import http.client
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenants.models import Tenant
from tenants.services import town_create
from tests.conftest import database_url_for, towns_remove

LEGAL_NOTICE_PATH = "/mentions-legales/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def program(name: str) -> str:
    """A Debian package's program (in /usr/sbin, off a non-root PATH), or a clear failure."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    assert found, f"{name} introuvable : `./agora test` installe le paquet Debian « {name} »"
    return found


def marker(slug: str) -> str:
    return f"Mentions propres à la collectivité {slug}."


@contextmanager
def towns_with_their_own_page(count: int, prefix: str) -> Iterator[list[str]]:
    """`count` committed towns, each with a published legal notice naming it, read from its
    own schema on every request (not cached): a page served with another town's search_path
    shows that town's text (or no page). Removed afterwards."""
    from theming.models import LegalPage

    slugs = [f"{prefix}-{number:02d}" for number in range(count)]
    try:
        for slug in slugs:
            town = town_create(
                slug=slug,
                name=f"Commune {slug}",
                kind=Tenant.Kind.COMMUNE,
                population=5_000,
                status=Tenant.Status.ACTIVE,
            )
            with tenant_context(town.tenant):
                LegalPage.objects.create(
                    kind=LegalPage.Kind.LEGAL_NOTICE, body=marker(slug), published_at=timezone.now()
                )
        connection.set_schema_to_public()
        yield slugs
    finally:
        connection.set_schema_to_public()
        towns_remove(slugs)


def http_get(port: int, host: str, path: str, *, tls: bool = False) -> tuple[int, str]:
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=30, context=context)
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": host})
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


class Process:
    """A server in a process group of its own, stopped (TERM, then KILL) with its children."""

    def __init__(self, command: list[str], *, env: dict[str, str] | None = None, log: Path):
        self.log = log
        with log.open("wb") as output:
            self.process = subprocess.Popen(
                command,
                cwd=settings.BASE_DIR,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_port(self, port: int, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.alive(), f"{self.log.name} s'est arrêté :\n{self.log.read_text()}"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"{self.log.name} n'écoute pas sur {port}:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.alive():
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait()


class GunicornNode(Process):
    """One web node: gunicorn on its own port, on the test database (or `database_url`), with
    its access log in `directory` (which node served what)."""

    def __init__(
        self, directory: Path, name: str, *, database_url: str | None = None, env=(), workers=2
    ):
        self.port = free_port()
        self.access_log = directory / f"{name}-access.log"
        environ = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "AGORA_TEST_RUN_ID": settings.TEST_RUN_ID,
            "DATABASE_URL": database_url or database_url_for(connection.settings_dict),
            "CONN_MAX_AGE": "600",
            **dict(env),
        }
        super().__init__(
            [
                str(Path(settings.BASE_DIR) / ".venv" / "bin" / "gunicorn"),
                "config.wsgi:application",
                "--bind", f"127.0.0.1:{self.port}",
                "--workers", str(workers),
                "--threads", "4",
                "--access-logfile", str(self.access_log),
                "--log-level", "warning",
            ],
            env=environ,
            log=directory / f"{name}.log",
        )  # fmt: skip

    def wait_ready(self, host: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.alive(), f"gunicorn s'est arrêté :\n{self.log.read_text()}"
            try:
                if http_get(self.port, host, "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"gunicorn ne répond pas :\n{self.log.read_text()}")

    def requests_served(self, path: str) -> int:
        if not self.access_log.exists():
            return 0
        return sum(f"GET {path} " in line for line in self.access_log.read_text().splitlines())


def served_by(nodes: list[GunicornNode], path: str, total: int, timeout: float = 10.0) -> list[int]:
    """How many requests for ``path`` each node logged, once they add up to ``total`` (or
    after ``timeout`` seconds): gunicorn writes an access line after the answer has gone, so
    the last line may come a moment after the client read its answer."""
    deadline = time.monotonic() + timeout
    while True:
        served = [node.requests_served(path) for node in nodes]
        if sum(served) >= total or time.monotonic() > deadline:
            return served
        time.sleep(0.05)


@contextmanager
def gunicorn_nodes(directory: Path, host: str, **options) -> Iterator[list[GunicornNode]]:
    """Two web nodes answering on `host`, stopped afterwards."""
    nodes: list[GunicornNode] = []
    try:
        for name in ("node-1", "node-2"):
            nodes.append(GunicornNode(directory, name, **options))
        for node in nodes:
            node.wait_ready(host)
        yield nodes
    finally:
        for node in nodes:
            node.stop()


def _run_as(directory: Path, database_host: str) -> str | None:
    """Servers refuse to run as root (pgbouncer) or should not: the user to switch to, who
    can reach the database's socket directory, and the files it writes made its own."""
    if os.geteuid() != 0:
        return None
    owner = Path(database_host).stat().st_uid if database_host.startswith("/") else None
    user = pwd.getpwuid(owner).pw_name if owner else "nobody"
    directory.chmod(0o777)
    for parent in directory.parents:
        if parent == Path("/"):
            break
        parent.chmod(parent.stat().st_mode | 0o011)  # traversable
    return user


class Pgbouncer(Process):
    """pgbouncer in transaction mode in front of the test database's server, with fewer
    server connections than clients: each server connection serves many towns in turn."""

    def __init__(self, directory: Path, *, pool_size: int = 3):
        db = connection.settings_dict
        self.port = free_port()
        self.database = db["NAME"]
        target = [f"dbname={db['NAME']}", f"user={db['USER']}"]
        if db["HOST"]:
            target.append(f"host={db['HOST']}")
        if db["PORT"]:
            target.append(f"port={db['PORT']}")
        if db["PASSWORD"]:
            target.append(f"password={db['PASSWORD']}")
        user = _run_as(directory, db["HOST"] or "")
        ini = directory / "pgbouncer.ini"
        ini.write_text(
            "[databases]\n"
            f"{db['NAME']} = {' '.join(target)}\n"
            "[pgbouncer]\n"
            "listen_addr = 127.0.0.1\n"
            f"listen_port = {self.port}\n"
            "unix_socket_dir =\n"
            "auth_type = any\n"
            "pool_mode = transaction\n"
            f"default_pool_size = {pool_size}\n"
            "max_client_conn = 500\n"
            "ignore_startup_parameters = extra_float_digits\n"
            + (f"user = {user}\n" if user else "")
        )
        ini.chmod(0o644)
        super().__init__([program("pgbouncer"), str(ini)], log=directory / "pgbouncer.log")
        self.wait_port(self.port)

    def url(self) -> str:
        user = connection.settings_dict["USER"]
        return f"postgresql://{user}@127.0.0.1:{self.port}/{self.database}"


NGINX_TEMPLATE = Path(settings.BASE_DIR) / "deploy" / "nginx" / "agora.conf"


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"deploy/nginx/agora.conf ne contient plus « {old} »"
    return text.replace(old, new)


def self_signed_certificate(directory: Path, domain: str) -> tuple[Path, Path]:
    """A certificate for DOMAIN and *.DOMAIN, as the wildcard one of deploy/nginx."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, domain)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName(domain), x509.DNSName(f"*.{domain}")]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "fullchain.pem", directory / "privkey.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


def nginx_site(template: str, *, nodes: list[int], http_port: int, https_port: int, files: Path):
    """deploy/nginx/agora.conf with this machine's ports, paths and certificate: every other
    line (server names, proxy headers, compression, media headers) as deployed."""
    domain = settings.PLATFORM_DOMAIN
    cert_file, key_file = self_signed_certificate(files, domain)
    site = _replace_once(
        template,
        "    server 127.0.0.1:8000;\n",
        "".join(f"    server 127.0.0.1:{port};\n" for port in nodes),
    )
    for old, new in (
        ("listen 80 default_server;", f"listen 127.0.0.1:{http_port} default_server;"),
        ("listen [::]:80 default_server;", ""),
        ("listen 443 ssl http2 default_server;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("listen [::]:443 ssl http2 default_server;", ""),
        ("/etc/letsencrypt/live/example.fr/fullchain.pem", str(cert_file)),
        ("/etc/letsencrypt/live/example.fr/privkey.pem", str(key_file)),
        ("/srv/agora/var/static/", f"{settings.STATIC_ROOT}/"),
        ("/srv/agora/var/media/", f"{settings.MEDIA_ROOT}/"),
        ("/var/www/acme", str(files / "acme")),
    ):
        site = _replace_once(site, old, new)
    return site.replace("example.fr", domain)


class Nginx(Process):
    """nginx (not as a daemon) with deploy's site in front of the given gunicorn ports."""

    def __init__(self, directory: Path, nodes: list[int]):
        self.http_port, self.https_port = free_port(), free_port()
        directory.mkdir()
        _run_as(directory, "")  # as root, nginx's workers run as nobody: files they may write
        (directory / "acme").mkdir()
        (directory / "temp").mkdir()
        site = directory / "agora.conf"
        site.write_text(
            nginx_site(
                NGINX_TEMPLATE.read_text(),
                nodes=nodes,
                http_port=self.http_port,
                https_port=self.https_port,
                files=directory,
            )
        )
        temp = directory / "temp"
        conf = directory / "nginx.conf"
        conf.write_text(
            "daemon off;\n"
            "worker_processes 1;\n"
            f"pid {directory / 'nginx.pid'};\n"
            f"error_log {directory / 'error.log'};\n"
            "events { worker_connections 256; }\n"
            "http {\n"
            "  include /etc/nginx/mime.types;\n"
            f"  access_log {directory / 'access.log'};\n"
            + "".join(
                f"  {kind}_temp_path {temp / kind};\n"
                for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
            )
            + f"  include {site};\n"
            "}\n"
        )
        command = [program("nginx"), "-c", str(conf), "-p", str(directory)]
        command += ["-e", str(directory / "error.log")]
        check = subprocess.run([*command, "-t"], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        super().__init__(command, log=directory / "nginx.log")
        self.wait_port(self.https_port)
