"""Integration tokens: made by the town's admins only, stored hashed, shown once, limited to
their scopes, refused once expired or revoked, unknown in another town, every use logged."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.models import User
from core.errors import Invalid, NotAllowed
from participation.ideas.models import Proposal
from participation.integrations import services
from participation.integrations.models import IntegrationToken, IntegrationTokenUse
from participation.team.models import AuditEntry
from tests.conftest import client_for
from tests.participation.conftest import logged_in
from tests.participation.factories import (
    AdminFactory,
    ComponentFactory,
    ModeratorFactory,
    ParticipantFactory,
)
from tests.participation.phases_support import running_phase_then

PAGE = "/gestion/integrations/"


@pytest.fixture
def admin(in_town_a):
    return AdminFactory(display_name="Dominique Admin")


@pytest.fixture
def ideas(in_town_a):
    component = ComponentFactory(type_key="ideas")
    running_phase_then(component, kind="collect", then="analysis")
    return component


@pytest.fixture
def polls(ideas):
    return ComponentFactory(type_key="polls", space=ideas.space)


@pytest.fixture
def make_key(admin):
    def make(*scopes: str, days: int = 30) -> str:
        _token, key = services.integration_token_create(
            actor=admin,
            name="Site de la mairie",
            scopes=list(scopes),
            expires_on=timezone.localdate() + datetime.timedelta(days=days),
        )
        return key

    return make


def ideas_url(component) -> str:
    return reverse("ideas_api:proposals", args=[component.space.slug, component.pk])


def polls_url(component) -> str:
    return reverse("polls_api:polls", args=[component.space.slug, component.pk])


def api(tenant, method: str, url: str, key: str, **extra):
    client = client_for(tenant)
    return getattr(client, method)(
        url, HTTP_AUTHORIZATION=f"Bearer {key}", content_type="application/json", **extra
    )


def test_an_admin_makes_a_token_shown_once_stored_hashed_listed_and_audited(town_a, admin):
    browser = logged_in(town_a, admin)
    expires = timezone.localdate() + datetime.timedelta(days=60)
    made = browser.post(
        PAGE,
        {
            "name": "Entrepôt de données",
            "scopes": ["ideas:read", "polls:read"],
            "expires_on": expires.isoformat(),
        },
    )
    assert made.status_code == 200, made.content
    key = made.context["new_key"]
    assert key.startswith("agi_") and key in made.content.decode()
    assert "Copiez-le maintenant" in made.content.decode()

    with tenant_context(town_a):
        token = IntegrationToken.objects.get()
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM integrations_integrationtoken")
            rows = cursor.fetchall()
        entry = AuditEntry.objects.get(action="integrations:tokens")
    assert not any(key in str(value) for value in rows[0])
    assert token.scopes == ["ideas:read", "polls:read"]
    assert token.created_by == admin
    assert timezone.localtime(token.expires_at).date() == expires + datetime.timedelta(days=1)
    assert entry.details["objects"] == {"token_id": str(token.pk), "name": "Entrepôt de données"}
    assert entry.actor_email == admin.email

    listing = browser.get(PAGE).content.decode()
    assert key not in listing
    for shown in (
        "Entrepôt de données",
        token.prefix,
        "ideas:read",
        "Dominique Admin",
        "Jamais utilisé",
    ):
        assert shown in listing


@pytest.mark.parametrize("role", ["anonymous", "citizen", "moderator"])
def test_only_admins_manage_tokens(town_a, admin, make_key, role):
    key = make_key("ideas:read")
    with tenant_context(town_a):
        token = IntegrationToken.objects.get()
        user = {
            "anonymous": None,
            "citizen": ParticipantFactory(),
            "moderator": ModeratorFactory(),
        }[role]
    browser = logged_in(town_a, user)
    for response in (
        browser.get(PAGE),
        browser.post(PAGE, {"name": "x", "scopes": ["ideas:write"], "expires_on": "2099-01-01"}),
        browser.get(f"{PAGE}{token.pk}/"),
        browser.post(f"{PAGE}{token.pk}/revoquer/"),
    ):
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert response["Location"].startswith("/compte/connexion/")
    with tenant_context(town_a):
        assert IntegrationToken.objects.count() == 1
        assert IntegrationToken.objects.get().revoked_at is None
        if user is not None:
            with pytest.raises(NotAllowed):
                services.integration_token_create(
                    actor=user, name="x", scopes=["ideas:read"], expires_on=timezone.localdate()
                )
            with pytest.raises(NotAllowed):
                services.integration_token_revoke(actor=user, token_id=token.pk)
    assert api(town_a, "get", "/api/v1/town/", key).status_code == 403


def test_the_scope_limits_modules_and_writes(town_a, ideas, polls, make_key):
    key = make_key("ideas:read")

    assert api(town_a, "get", ideas_url(ideas), key).status_code == 200
    write = api(
        town_a, "post", ideas_url(ideas), key, data={"title": "Banc", "description": "Ici."}
    )
    assert write.status_code == 403
    assert write.json()["detail"] == (
        "Ce jeton d'intégration n'a pas la portée « ideas:write », requise ici."
    )
    other_module = api(town_a, "get", polls_url(polls), key)
    assert other_module.status_code == 403
    assert "« polls:read »" in other_module.json()["detail"]
    personal = api(town_a, "get", "/api/v1/me/", key)
    assert personal.status_code == 403
    assert personal.json()["detail"] == (
        "Les jetons d'intégration ne donnent pas accès à cette adresse."
    )
    with tenant_context(town_a):
        assert not Proposal.objects.exists()


def test_a_write_scope_writes_as_the_admin_who_made_the_token(town_a, ideas, admin, make_key):
    key = make_key("ideas:write", "spaces:read")

    made = api(town_a, "post", ideas_url(ideas), key, data={"title": "Banc", "description": "Ici."})

    assert made.status_code == 201, made.content
    assert api(town_a, "get", ideas_url(ideas), key).status_code == 200
    assert api(town_a, "get", "/api/v1/town/", key).status_code == 200
    with tenant_context(town_a):
        assert Proposal.objects.get().author == admin


def test_an_expired_token_is_refused(town_a, ideas, make_key):
    key = make_key("ideas:read", days=2)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        assert api(town_a, "get", ideas_url(ideas), key).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=4)):
        refused = api(town_a, "get", ideas_url(ideas), key)
    assert refused.status_code == 401
    assert refused.json()["detail"].startswith("Ce jeton d'intégration a expiré le ")


def test_a_revoked_token_is_refused_and_the_revocation_audited(town_a, ideas, admin, make_key):
    key = make_key("ideas:read")
    with tenant_context(town_a):
        token = IntegrationToken.objects.get()
    browser = logged_in(town_a, admin)

    revoked = browser.post(f"{PAGE}{token.pk}/revoquer/")

    assert revoked.status_code == 302
    refused = api(town_a, "get", ideas_url(ideas), key)
    assert refused.status_code == 401
    assert refused.json()["detail"].startswith("Ce jeton d'intégration a été révoqué le ")
    with tenant_context(town_a):
        token.refresh_from_db()
        entry = AuditEntry.objects.get(action="integrations:revoke")
    assert token.revoked_by == admin
    assert entry.details["objects"] == {"token_id": str(token.pk)}
    assert "Révoqué le" in browser.get(PAGE).content.decode()


def test_a_token_stops_when_its_creator_is_no_longer_an_admin(town_a, ideas, admin, make_key):
    key = make_key("ideas:read")
    with tenant_context(town_a):
        User.objects.filter(pk=admin.pk).update(role=User.Role.CITIZEN)
    refused = api(town_a, "get", ideas_url(ideas), key)
    assert refused.status_code == 401
    assert "n'est plus administrateur" in refused.json()["detail"]


def test_every_use_is_logged(town_a, ideas, polls, admin, make_key):
    key = make_key("ideas:read")
    api(town_a, "get", ideas_url(ideas), key)
    api(town_a, "get", polls_url(polls), key)
    with tenant_context(town_a):
        token = IntegrationToken.objects.get()
        services.integration_token_revoke(actor=admin, token_id=token.pk)
    api(town_a, "get", ideas_url(ideas), key)

    with tenant_context(town_a):
        uses = list(
            IntegrationTokenUse.objects.order_by("pk").values_list("method", "path", "status_code")
        )
    assert uses == [
        ("GET", ideas_url(ideas), 200),
        ("GET", polls_url(polls), 403),
        ("GET", ideas_url(ideas), 401),
    ]
    page = logged_in(town_a, admin).get(f"{PAGE}{token.pk}/").content.decode()
    assert polls_url(polls) in page
    assert "Dernière utilisation" in logged_in(town_a, admin).get(PAGE).content.decode()


def test_a_token_of_town_a_is_unknown_in_town_b(town_a, town_b, ideas, make_key):
    key = make_key("ideas:read", "spaces:read")
    for url in ("/api/v1/town/", "/api/v1/me/"):
        refused = api(town_b, "get", url, key)
        assert refused.status_code == 401
        assert refused.json()["detail"] == "Jeton d'intégration inconnu."
    with tenant_context(town_b):
        assert not IntegrationTokenUse.objects.exists()


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer ",
        "Bearer a b",
        "Bearer caf\xe9",
        "Bearer " + "x" * 10_000,
        "Bearer \x00",
        "bearer\tabc",
        "Token",
        "Token caf\xe9",
        "Basic !!!",
        "\xff\xfe",
        "Bearer agi_" + "é" * 30,
    ],
)
def test_a_malformed_authorization_header_is_never_a_500(town_a, ideas, header):
    for method, url in (
        ("get", ideas_url(ideas)),
        ("post", ideas_url(ideas)),
        ("get", "/api/v1/me/"),
    ):
        response = getattr(client_for(town_a), method)(url, HTTP_AUTHORIZATION=header)
        assert response.status_code in (200, 400, 401, 403), (header, response.status_code)
        assert response.json()


def test_the_service_refuses_bad_input(in_town_a, admin):
    today = timezone.localdate()
    for arguments, field in (
        ({"name": " ", "scopes": ["ideas:read"], "expires_on": today}, "name"),
        ({"name": "x", "scopes": [], "expires_on": today}, "scopes"),
        ({"name": "x", "scopes": ["ideas:admin"], "expires_on": today}, "scopes"),
        (
            {"name": "x", "scopes": ["ideas:read"], "expires_on": today - datetime.timedelta(1)},
            "expires_on",
        ),
        (
            {"name": "x", "scopes": ["ideas:read"], "expires_on": today + datetime.timedelta(400)},
            "expires_on",
        ),
    ):
        with pytest.raises(Invalid) as refused:
            services.integration_token_create(actor=admin, **arguments)
        assert refused.value.field == field
    assert not IntegrationToken.objects.exists()


def test_the_usage_log_is_purged_past_its_retention(admin, make_key, settings):
    from participation.integrations import tasks

    make_key("ideas:read")
    token = IntegrationToken.objects.get()
    now = timezone.now()
    kept_for = datetime.timedelta(days=settings.INTEGRATION_USE_RETENTION_DAYS)
    hour = datetime.timedelta(hours=1)
    for at in (now - kept_for - hour, now - kept_for + hour, now):
        IntegrationTokenUse.objects.create(
            token=token, at=at, method="GET", path="/api/v1/", status_code=200
        )
    assert services.integration_token_uses_purge(now=now) == 1
    assert IntegrationTokenUse.objects.count() == 2
    # Daily in every town: beat's entry names the task, which runs the same service.
    entry = settings.CELERY_BEAT_SCHEDULE["integrations-uses-purge"]
    assert entry["args"] == (tasks.uses_purge.name,)
    IntegrationTokenUse.objects.update(at=now - kept_for - hour)
    assert tasks.uses_purge() == 2
    assert not IntegrationTokenUse.objects.exists()
