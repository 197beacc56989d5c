"""Rate limits and the sign-in lock-out, counted in Redis through the Django cache.

One function per need, called by the service (or the form) that both the page and the API go
through, so the two cannot drift: ``rate_limit("vote", account=voter.pk)`` counts one attempt
for the account and one for the client's address, and refuses with ``TooManyRequests`` (429,
a page or the API's JSON, with Retry-After) past ``settings.RATE_LIMITS[action]``. Counters
are fixed windows (``cache.add`` then ``cache.incr``, atomic in Redis); their keys carry the
town's schema (django-tenants' cache key function), so each town counts its own.

The client's address is the request's REMOTE_ADDR, or, when that is one of
``settings.TRUSTED_PROXIES``, the last address of X-Forwarded-For that is not a trusted proxy:
a header sent by anyone else is ignored, so it cannot be forged to escape a limit. It is kept
for the request's duration by ``ClientAddressMiddleware`` (services take no request).

A limit never blocks the site: when Redis cannot be reached, the attempt is let through and
the fault logged (the cache's own errors are for the pages to ride out).

Why not a library: docs/security.md.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import ngettext
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


def _count(key: str, seconds: int) -> tuple[int, int]:
    """One more in the window of ``key``: the count so far and the seconds it has left."""
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=seconds)
        count = 1
    ttl = cache.ttl(key) if hasattr(cache, "ttl") else seconds
    return count or 0, ttl if ttl and ttl > 0 else seconds


def rate_limit(action: str, *, account: object = None, **others: object) -> None:
    """Count one attempt of ``action`` for each scope it has a limit for: ``account``, the
    client's ``ip`` (from the request) and any other named value (``address=email``); raise
    TooManyRequests when one is over its limit."""
    limits = settings.RATE_LIMITS.get(action, {})
    values = {"account": account, "ip": current_client_address(), **others}
    try:
        for scope, (count, seconds) in limits.items():
            value = values.get(scope)
            if value in (None, ""):
                continue
            used, left = _count(_key(action, scope, value), seconds)
            if used > count:
                logger.warning("rate limit %s per %s reached", action, scope)
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
            failures, _left = _count(_key("sign-in-failures", scope, value), policy["window"])
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
