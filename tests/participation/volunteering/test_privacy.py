"""A volunteer's e-mail and phone are seen by nobody else: every page of the hub (and the
town's pages that link to it), its API, its exports and the e-mails to the other side are
crawled as an association manager, an administrator and another resident."""

from urllib.parse import urldefrag, urlparse

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from tests.conftest import client_for

from .conftest import VOLUNTEER_EMAIL, VOLUNTEER_PHONE

SECRETS = (VOLUNTEER_EMAIL, VOLUNTEER_PHONE, escape(VOLUNTEER_EMAIL), "0612345678")
LINK = __import__("re").compile(r'(?:href|action)="([^"#]+)')
# Pages that end a session or act by GET would spoil the crawl.
SKIP = ("/compte/deconnexion", "/langue/", "/i18n/", "/courriels/")


def crawl(client, starts: list[str], limit: int = 400) -> dict[str, bytes]:
    """Every same-site page reachable from ``starts`` by GET (links and form targets)."""
    seen: dict[str, bytes] = {}
    queue = list(starts)
    while queue and len(seen) < limit:
        url = urldefrag(queue.pop(0))[0].replace("&amp;", "&")
        parsed = urlparse(url)
        if parsed.netloc or not url.startswith("/") or url in seen or url.startswith(SKIP):
            continue
        response = client.get(url)
        seen[url] = response.content
        if response.get("Content-Type", "").startswith("text/html"):
            queue.extend(LINK.findall(response.content.decode()))
    return seen


def hub_starts(world) -> list[str]:
    hub = world["hub"]
    args = [hub.space.slug, hub.pk]
    return [
        "/",
        reverse("participation:space", args=[hub.space.slug]),
        reverse("volunteering:detail", args=args),
        reverse("volunteering_admin:index", args=args),
        reverse("volunteering_api:associations", args=args),
        reverse("volunteering_api:agenda", args=args),
        reverse("volunteering:volunteer_search", args=[*args, world["association"].slug]),
        reverse("volunteering:contact", args=[*args, world["contact"].pk]),
        *(
            reverse("volunteering_admin:export", args=[*args, name])
            for name in ("associations", "agenda", "chiffres")
        ),
    ]


@pytest.mark.parametrize("who", ["manager", "admin", "resident"])
def test_no_page_api_or_export_shows_the_volunteers_address_or_phone(hub_world, town_a, who):
    client = client_for(town_a)
    client.force_login(hub_world[who])
    pages = crawl(client, hub_starts(hub_world))
    hub_pages = [url for url in pages if "/volunteering/" in url]
    assert len(hub_pages) >= 10
    for url, content in pages.items():
        text = content.decode(errors="replace")
        for secret in SECRETS:
            assert secret not in text, f"{secret} on {url} as {who}"


def test_the_manager_sees_the_volunteer_by_name_only(hub_world, town_a):
    client = client_for(town_a)
    client.force_login(hub_world["manager"])
    hub = hub_world["hub"]
    page = client.get(
        reverse(
            "volunteering:association_manage",
            args=[hub.space.slug, hub.pk, hub_world["association"].slug],
        )
    ).content.decode()
    assert "Camille" in page
    assert VOLUNTEER_EMAIL not in page


def test_e_mails_to_the_association_never_name_the_volunteers_address(hub_world):
    to_association = [m for m in mail.outbox if VOLUNTEER_EMAIL not in m.to]
    assert to_association, "the association was told of the application and the messages"
    for message in to_association:
        for secret in SECRETS:
            assert secret not in message.body
            assert secret not in message.subject
            assert secret not in str(message.extra_headers)
        assert not message.reply_to
