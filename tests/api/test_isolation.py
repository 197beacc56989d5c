"""A token of town A gets nothing of town B on any endpoint of the API. The endpoints are read
from town B's own schema, so a new endpoint is covered without touching this test; their path
parameters are filled with B's real ids and slugs."""

from __future__ import annotations

import pytest
from django_tenants.utils import tenant_context

from accounts.services import api_token_obtain
from participation.demo import demo_content_seed
from tests.api.helpers import town_values
from tests.conftest import client_for
from tests.participation.factories import AdminFactory, ParticipantFactory

REFUSED = {400, 401, 403, 404, 405}


@pytest.fixture
def town_b_seeded(town_b):
    """Town B filled as a demo town: its ids, slugs and texts."""
    with tenant_context(town_b):
        admin = AdminFactory(email="mairie@ville-b.fr")
        demo_content_seed(admin=admin, residents=[ParticipantFactory(email="b@ville-b.fr")])
        return town_values()


def _operations(schema: dict):
    for path, operations in schema["paths"].items():
        for method in operations:
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method


def test_a_token_of_town_a_gets_nothing_of_town_b(town_a, town_b, town_b_seeded):
    values = town_b_seeded
    with tenant_context(town_a):
        _token, key = api_token_obtain(user=ParticipantFactory(email="a@ville-a.fr"))
    schema = client_for(town_b).get("/api/v1/schema/?format=json").json()
    operations = list(_operations(schema))
    assert len(operations) >= 25
    checked = 0
    for path, method in operations:
        url = values.filled(path)
        if url is None:
            continue
        for host_town in (town_b, town_a):
            if host_town is town_a and "{" not in path:
                continue  # A's own resources on A's host: nothing of B to name
            client = client_for(host_town)
            auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
            if method == "get":
                response = client.get(url, **auth)
            else:
                response = getattr(client, method)(
                    url, data="{}", content_type="application/json", **auth
                )
            where = f"{method.upper()} {url} on {host_town.slug}"
            assert response.status_code in REFUSED, (where, response.status_code)
            body = response.content.decode()
            assert not any(text in body for text in values.texts), where
            if host_town is town_b and path != "/api/v1/auth/token/":
                assert response.status_code == 401, where
            checked += 1
    assert checked >= 40
