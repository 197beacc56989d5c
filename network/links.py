"""Absolute addresses of the network's pages (on the platform's host), for e-mails and for
the hand-over sent from a town's host, whose own URLs do not hold the network's."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from core.hosts import console_url


def network_url(name: str, *args, fragment: str = "") -> str:
    path = reverse(f"network:{name}", args=args, urlconf=settings.PUBLIC_SCHEMA_URLCONF)
    return console_url(path) + (f"#{fragment}" if fragment else "")
