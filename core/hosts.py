"""The host names and absolute URLs of towns."""

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def town_host(slug: str) -> str:
    return f"{slug}.{settings.PLATFORM_DOMAIN}"


def _origin(host: str) -> str:
    port = str(settings.PLATFORM_PORT)
    suffix = f":{port}" if settings.DEBUG and port not in ("", "80", "443") else ""
    return f"{settings.PLATFORM_SCHEME}://{host}{suffix}"


def town_url(tenant, path: str = "/") -> str:
    domain = tenant.get_primary_domain()
    return _origin(domain.domain if domain else town_host(tenant.slug)) + path


def current_town_url(path: str = "/") -> str:
    """An absolute URL on the current town's host: for e-mails sent outside any request."""
    return town_url(connection.tenant, path)


def same_site_url(request: HttpRequest, target: str | None, fallback: str) -> str:
    """``target`` (a ``next`` sent by the browser) when it stays on this very host, else
    ``fallback``: never a redirect to another site (open redirect)."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def console_url(path: str = "/") -> str:
    return _origin(settings.PLATFORM_DOMAIN) + path
