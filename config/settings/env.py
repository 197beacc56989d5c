"""The environment, read once; every settings module takes its values from here."""

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()


def database_from_url(url: str) -> dict:
    """Django's DATABASES entry for a postgres URL, including the ``?host=/socket/dir`` form
    that the embedded server hands out (django-environ does not read that query parameter)."""
    parts = urlsplit(url)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    # An unreachable server (host down, network cut) fails in seconds, not after the kernel's
    # TCP timeout: the request gets the 503 page (core.unavailable) while the worker is free.
    query.setdefault("connect_timeout", env("DATABASE_CONNECT_TIMEOUT", default="5"))
    # Behind pgbouncer in transaction mode (docs/scaling.md): the town's schema is set inside
    # each transaction (tenants/postgresql_backend), no server-side cursor (a named cursor
    # outlives the transaction's server connection) and no prepared statement (pgbouncer
    # 1.18 does not follow them from one server connection to another).
    pooling = env.bool("DATABASE_TRANSACTION_POOLING", default=False)
    if pooling:
        query["prepare_threshold"] = None
    else:
        # Only the cursors of ``connection.prepared_cursor()`` prepare (Django's own bind
        # client-side): after this many runs of a statement on a connection.
        query["prepare_threshold"] = int(query.get("prepare_threshold", 5))
    return {
        "ENGINE": "tenants.postgresql_backend",
        "NAME": unquote(parts.path.lstrip("/")) or "agora",
        "USER": unquote(parts.username or "") or "postgres",
        "PASSWORD": unquote(parts.password or ""),
        "HOST": query.pop("host", parts.hostname or ""),
        "PORT": query.pop("port", str(parts.port or "")),
        "CONN_MAX_AGE": env.int("CONN_MAX_AGE", default=60),
        # A connection kept across requests is checked before reuse: after a PostgreSQL
        # restart, the first request reconnects instead of failing on the dead socket.
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": query,
        "TRANSACTION_POOLING": pooling,
        # A backend keeps ~0.15 MB of catalogue per town it served: closed after this many
        # (tenants/postgresql_backend; 0: never).
        "MAX_TOWNS_PER_CONNECTION": env.int("DATABASE_MAX_TOWNS_PER_CONNECTION", default=500),
        "DISABLE_SERVER_SIDE_CURSORS": pooling,
    }


def redis_url_with_db(url: str, db: int) -> str:
    """The same Redis server, another logical database (tests keep off the dev server's data)."""
    parts = urlsplit(url)
    return parts._replace(path=f"/{db}").geturl()
