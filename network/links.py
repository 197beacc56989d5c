"""Absolute addresses of the network's pages (on the platform's host), for e-mails and for
the hand-over sent from a town's host, whose own URLs do not hold the network's."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from core.hosts import console_url, town_url

from .models import NetworkMember

# Where a hand-over may land: a page of the network, nothing else (no open redirect).
_LANDING = re.compile(r"^/reseau/[a-z0-9/-]*$")
NEXT_PARAMETER = "suite"


def network_path(name: str, *args) -> str:
    return reverse(f"network:{name}", args=args, urlconf=settings.PUBLIC_SCHEMA_URLCONF)


def network_url(name: str, *args, fragment: str = "") -> str:
    return console_url(network_path(name, *args)) + (f"#{fragment}" if fragment else "")


def landing_path(value: str | None) -> str:
    """``value`` when it is a page of the network, else the network's home."""
    value = value or ""
    return value if _LANDING.match(value) and "//" not in value else network_path("home")


def member_url(member: NetworkMember, name: str, *args, fragment: str = "") -> str:
    """A page of the network as a member reaches it from an e-mail: a town's staff through
    their town's back office (signed in there, then handed over), the vendor's directly."""
    if member.is_vendor:
        return network_url(name, *args, fragment=fragment)
    query = urlencode({NEXT_PARAMETER: network_path(name, *args)})
    path = reverse("network_town:enter", urlconf=settings.ROOT_URLCONF)
    return town_url(member.tenant, f"{path}?{query}") + (f"#{fragment}" if fragment else "")
