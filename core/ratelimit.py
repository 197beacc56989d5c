"""Rate limits and the sign-in lock-out, counted in Redis through the Django cache.

One function per need, called by the service (or the form) that both the page and the API go
through, so the two cannot drift: ``rate_limit("vote", account=voter.pk)`` counts one attempt
for the account and one for the client's address, and refuses with ``TooManyRequests`` (429,
a page or the API's JSON, with Retry-After) past ``settings.RATE_LIMITS[action]``. Counters
are fixed windows (SET NX EX then INCR, in one Lua script for all scopes: one round trip); their
keys carry the town's schema (django-tenants' cache key function), so each town counts its
own.

The client's address is the request's REMOTE_ADDR, or, when that is one of
``settings.TRUSTED_PROXIES``, the last address of X-Forwarded-For that is not a trusted proxy:
a header sent by anyone else is ignored, so it cannot be forged to escape a limit. It is kept
for the request's duration by ``ClientAddressMiddleware`` (services take no request).

A limit never blocks the site: when Redis cannot be reached, the attempt is let through and
the fault logged (the cache's own errors are for the pages to ride out).

Why not a library: docs/security.md.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import logging
import math
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import ngettext
from django_redis import get_redis_connection
from redis.commands.core import Script
from redis.exceptions import RedisError

from .errors import TooManyRequests

logger = logging.getLogger(__name__)

_client_address: ContextVar[str | None] = ContextVar("client_address", default=None)


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net, strict=False) for net in settings.TRUSTED_PROXIES)


def client_address(request: HttpRequest) -> str:
    """The address of whoever sent the request, through our own proxies only."""
    address = request.META.get("REMOTE_ADDR", "") or ""
    if not _trusted(address):
        return address
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([a for a in forwarded if a]):
        if not _trusted(hop):
            return hop
        address = hop
    return address


class ClientAddressMiddleware:
    """Keeps the client's address for the services that count attempts by address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        token = _client_address.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            _client_address.reset(token)


def current_client_address() -> str | None:
    """The address of the request being served; None outside a request (a command, a task)."""
    return _client_address.get()


def _key(*parts: object) -> str:
    # Hashed: an e-mail address typed by anyone becomes a fixed-size key with no spaces.
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).hexdigest()[:32]
    return f"rl:{parts[0]}:{digest}"


def _wait_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Trop de tentatives en peu de temps. Par sécurité, réessayez dans %(minutes)d minute.",
        "Trop de tentatives en peu de temps. Par sécurité, réessayez dans %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


# Each key created at 0 with its expiry if missing, then incremented; Redis runs a script
# atomically. One command and one reply: a MULTI/EXEC of the same had two commands a key, each
# packed and its reply parsed in Python, which a vote paid for.
_COUNT_SCRIPT = """
local counts = {}
for i, key in ipairs(KEYS) do
  redis.call('SET', key, 0, 'EX', ARGV[i], 'NX')
  counts[i] = redis.call('INCR', key)
end
return counts
"""


@functools.cache
def _count_script(redis) -> Script:
    # EVALSHA, and EVAL once when the server does not have the script yet (redis-py's Script).
    return redis.register_script(_COUNT_SCRIPT)


def _count(windows: list[tuple[str, int]]) -> list[int]:
    """One more in each (key, seconds) window, in one round trip to Redis (a vote pays for
    it), atomically (``_COUNT_SCRIPT``). The keys go through the cache's key function: they
    carry the schema."""
    redis = get_redis_connection("default")
    return _count_script(redis)(
        keys=[cache.make_key(key) for key, _seconds in windows],
        args=[seconds for _key, seconds in windows],
    )


def _seconds_left(key: str, default: int) -> int:
    ttl = get_redis_connection("default").ttl(cache.make_key(key))
    return ttl if ttl and ttl > 0 else default


def rate_limit(action: str, *, account: object = None, **others: object) -> None:
    """Count one attempt of ``action`` for each scope it has a limit for: ``account``, the
    client's ``ip`` (from the request) and any other named value (``address=email``); raise
    TooManyRequests when one is over its limit."""
    values = {"account": account, "ip": current_client_address(), **others}
    limits = [
        (_key(action, scope, values[scope]), count, seconds, scope)
        for scope, (count, seconds) in settings.RATE_LIMITS.get(action, {}).items()
        if values.get(scope) not in (None, "")
    ]
    if not limits:
        return
    try:
        counts = _count([(key, seconds) for key, _count_, seconds, _scope in limits])
        for (key, count, seconds, scope), used in zip(limits, counts, strict=True):
            if used > count:
                logger.warning("rate limit %s per %s reached", action, scope)
                left = _seconds_left(key, seconds)
                raise TooManyRequests(_wait_message(left), retry_after=left)
    except RedisError:
        logger.exception("rate limit %s not counted: Redis unavailable", action)


# --- the sign-in lock-out ------------------------------------------------------------------


def _lockout_scopes(email: str) -> dict[str, str]:
    scopes = {"account": (email or "").strip().lower()}
    address = current_client_address()
    if address:
        scopes["ip"] = address
    return {scope: value for scope, value in scopes.items() if value}


def sign_in_check(email: str) -> None:
    """Refuse (429) while the account typed, or the client's address, is locked out."""
    try:
        for scope, value in _lockout_scopes(email).items():
            ttl = cache.ttl(_key("sign-in-lock", scope, value))
            if ttl:  # django-redis: 0 when the key does not exist, None when it never expires
                raise TooManyRequests(_wait_message(ttl), retry_after=ttl)
    except RedisError:
        logger.exception("sign-in lock-out not checked: Redis unavailable")


def sign_in_failed(email: str) -> None:
    """A wrong password: after ``failures`` of them (counted per account and per address
    within ``window`` seconds), lock that account or address out for ``base`` seconds,
    doubled at each further failure, up to ``max`` seconds."""
    try:
        for scope, value in _lockout_scopes(email).items():
            policy = settings.SIGN_IN_LOCKOUT[scope]
            [failures] = _count([(_key("sign-in-failures", scope, value), policy["window"])])
            over = failures - policy["failures"]
            if over >= 0:
                delay = min(policy["base"] * 2**over, policy["max"])
                cache.set(_key("sign-in-lock", scope, value), 1, timeout=delay)
                logger.warning("sign-in locked out per %s for %d s", scope, delay)
    except RedisError:
        logger.exception("sign-in failure not counted: Redis unavailable")


def sign_in_succeeded(email: str) -> None:
    """The account's own failures are forgotten (not its address's: others share it)."""
    try:
        cache.delete(_key("sign-in-failures", "account", (email or "").strip().lower()))
    except RedisError:
        logger.exception("sign-in failures not reset: Redis unavailable")
