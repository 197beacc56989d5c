"""Every console address, read from the console's urlconf (a page added later is checked too):
closed to visitors, to other accounts and to vendor staff who have not typed a TOTP code."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import User
from tests.factories import UserFactory

# Open on purpose: signing in and its second factor, Stripe's signed calls, a signed share link,
# the language switches, the health check, the icon browsers ask for on their own, the local
# setup's e-mails (only with the local settings: tests/tenants/test_local_mail.py) and the
# question Caddy asks before a certificate (tests/tenants/test_custom_domains.py).
OPEN = {
    "accounts:login",
    "accounts:logout",
    "console:otp_verify",
    "console:otp_enrol",
    "console:otp_no_device",
    "billing:stripe_webhook",
    "training:material_shared",
    "set_language",
    "language",
    "healthz",
    "local_mail",
    "favicon",
    "tls_certificate_allowed",
}
ARGUMENTS = {
    "slug": "ville-a",
    "pk": "1",
    "invitee_id": "1",
    "material_id": "1",
    "user_id": "1",
    "key": "cle",
}


def _console_urls(patterns=None, prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    """(name, path) of every route, its arguments filled in."""
    urls = []
    for entry in get_resolver("config.urls_public").url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            urls += _console_urls(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            path = route
            for name, value in ARGUMENTS.items():
                for converter in ("slug", "int", "str"):
                    path = path.replace(f"<{converter}:{name}>", value)
            urls.append((f"{namespace}{entry.name}", "/" + path))
    return urls


# The network forum on the same host has its own door (its members' session, or the console's
# verified staff) and answers 403 with the way in: tests/network/test_access.py.
CLOSED = [
    (name, path)
    for name, path in _console_urls()
    if name not in OPEN and not name.startswith("network:")
]


def test_the_list_covers_the_console():
    names = {name for name, _path in CLOSED}
    assert {"home", "console:wizard", "billing:plan_create", "training:plan"} <= names
    assert all("<" not in path for _name, path in CLOSED), CLOSED


def _visitor(kind: str) -> Client:
    client = Client(HTTP_HOST="localhost")
    if kind == "other_account":
        client.force_login(UserFactory(email="habitant@exemple.fr"))
    elif kind == "staff_without_code":
        client.force_login(UserFactory(email="sans-code@agora.test", role=User.Role.VENDOR_STAFF))
    return client


@pytest.mark.parametrize(
    ("visitor", "sent_to"),
    [
        ("anonymous", "/compte/connexion/?next="),
        ("other_account", "/compte/connexion/?next="),
        # No device: only the page saying to ask a colleague for an enrolment link.
        ("staff_without_code", "/double-authentification/sans-appareil/"),
    ],
)
@pytest.mark.parametrize(("name", "path"), CLOSED, ids=[name for name, _path in CLOSED])
def test_console_pages_are_closed_without_a_verified_staff_account(
    platform, town_a, visitor, sent_to, name, path
):
    client = _visitor(visitor)

    answered = 0
    for method in ("get", "post"):
        response = getattr(client, method)(path, {"confirmation": "ville-a", "name": "X"})
        if response.status_code == 405:  # an action asked with the other method: nothing done
            continue
        answered += 1
        assert response.status_code == 302, (method, path)
        assert response["Location"].startswith(sent_to), (method, path)
    assert answered, path


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/", "q"),
        ("/", "formule"),
        ("/journal/", "action"),
        ("/journal/", "compte"),
        ("/formations/", "collectivite"),
    ],
)
def test_a_nul_character_in_a_filter_is_dropped_not_a_500(console_client, town_a, path, parameter):
    response = console_client.get(path, {parameter: "ville\x00-a"})

    assert response.status_code == 200
