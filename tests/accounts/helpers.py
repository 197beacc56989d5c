"""Small helpers shared by the account tests."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from django.core import mail

LINK_RE = re.compile(r"https?://\S+")


def page_text(response) -> str:
    """The response body with HTML entities decoded (French apostrophes come out escaped)."""
    return html.unescape(response.content.decode())


def links_in_last_email() -> list[str]:
    assert mail.outbox, "aucun e-mail envoyé"
    return LINK_RE.findall(mail.outbox[-1].body)


def only_link_in_last_email() -> str:
    links = links_in_last_email()
    assert len(links) == 1, links
    return links[0]


def path_of(url: str) -> str:
    return urlsplit(url).path


def host_of(url: str) -> str:
    return urlsplit(url).netloc
