"""Every address of the network, read from the platform's urlconf (a page added later is
checked too): closed to visitors, to accounts that are not the vendor's verified staff, and
to vendor staff who have not typed their TOTP code; they get the page saying how to enter."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from tests.console.test_access import _console_urls
from tests.factories import UserFactory

NETWORK = [(name, path) for name, path in _console_urls() if name.startswith("network:")]
# Leaving asks nothing of anyone: it forgets the network's keys of this browser's session.
OPEN = {"network:leave"}


def test_the_list_covers_the_network():
    names = {name for name, _path in NETWORK}
    assert {"network:home", "network:thread", "network:reply", "network:attachment"} <= names


def _visitor(kind: str) -> Client:
    client = Client(HTTP_HOST="localhost")
    if kind == "other_account":
        client.force_login(UserFactory(email="habitant@exemple.fr"))
    elif kind == "staff_without_code":
        client.force_login(UserFactory(email="sans-code@agora.test", role=User.Role.VENDOR_STAFF))
    return client


@pytest.mark.parametrize("visitor", ["anonymous", "other_account", "staff_without_code"])
@pytest.mark.parametrize(
    ("name", "path"),
    [(name, path) for name, path in NETWORK if name not in OPEN],
    ids=[name for name, _path in NETWORK if name not in OPEN],
)
def test_network_pages_are_closed_to_non_members(platform, visitor, name, path):
    client = _visitor(visitor)
    answered = 0
    for method in ("get", "post"):
        response = getattr(client, method)(path, {"body": "x", "title": "x", "suivre": "1"})
        if response.status_code == 405:
            continue
        answered += 1
        assert response.status_code == 403, (method, path)
        assert "réservé aux équipes des collectivités" in response.content.decode()
    assert answered, path
