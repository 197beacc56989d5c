"""A token of town A gets nothing of town B on any endpoint of the API. The endpoints are read
from town B's own schema, so a new endpoint is covered without touching this test; their path
parameters are filled with B's real ids and slugs."""

from __future__ import annotations

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django_tenants.utils import tenant_context

from accounts.services import api_token_obtain
from participation.demo import demo_content_seed
from participation.models import Component, Space
from participation.news.models import NewsPost
from participation.volunteering.models import Association
from tests.conftest import client_for
from tests.participation.factories import AdminFactory, ParticipantFactory

REFUSED = {400, 401, 403, 404, 405}


def _first_pk(model) -> int:
    found = model.objects.order_by("pk").values_list("pk", flat=True).first()
    return found or 1


@pytest.fixture
def town_b_seeded(town_b):
    """Town B filled as a demo town; what identifies its objects, and texts only B has."""
    with tenant_context(town_b):
        admin = AdminFactory(email="mairie@ville-b.fr")
        demo_content_seed(admin=admin, residents=[ParticipantFactory(email="b@ville-b.fr")])
        post = NewsPost.objects.order_by("pk").first()
        association = Association.objects.order_by("pk").first()
        ids = {
            "content_type_id": ContentType.objects.get_for_model(NewsPost).pk,
            "object_id": post.pk if post else 1,
            "slug": association.slug if association else "asso",
        }
        components = {
            c.type_key: (c.space.slug, c.pk) for c in Component.objects.select_related("space")
        }
        secrets = [s.title for s in Space.objects.all()] + [
            c.title for c in Component.objects.all()
        ]
        from participation.budgets.models import Budget
        from participation.polls.models import Poll
        from participation.questions.models import Question
        from participation.surveys.models import Survey

        for name, model in (
            ("budget_id", Budget),
            ("poll_id", Poll),
            ("question_id", Question),
            ("survey_id", Survey),
        ):
            ids[name] = _first_pk(model)
    return ids, components, secrets


def _filled(path: str, ids: dict, components: dict) -> str | None:
    """The path with B's values; None for a module B has no component of."""
    match = re.match(r"/api/v1/espaces/\{space_slug\}/(\w+)/\{component_id\}/", path)
    values = dict(ids)
    if match:
        if match.group(1) not in components:
            return None
        values["space_slug"], values["component_id"] = components[match.group(1)]
    if "{slug}" in path and path.startswith("/api/v1/espaces/{slug}"):
        values["slug"] = next(iter(components.values()))[0]
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)


def _operations(schema: dict):
    for path, operations in schema["paths"].items():
        for method in operations:
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method


def test_a_token_of_town_a_gets_nothing_of_town_b(town_a, town_b, town_b_seeded):
    ids, components, secrets = town_b_seeded
    with tenant_context(town_a):
        _token, key = api_token_obtain(user=ParticipantFactory(email="a@ville-a.fr"))
    schema = client_for(town_b).get("/api/v1/schema/?format=json").json()
    operations = list(_operations(schema))
    assert len(operations) >= 25
    checked = 0
    for path, method in operations:
        url = _filled(path, ids, components)
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
            assert not any(secret in body for secret in secrets), where
            if host_town is town_b and path != "/api/v1/auth/token/":
                assert response.status_code == 401, where
            checked += 1
    assert checked >= 40
