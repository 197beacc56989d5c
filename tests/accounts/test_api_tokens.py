"""API tokens: stored hashed, expiring, listed and revoked by their owner, revoked by a password
change or reset."""

from __future__ import annotations

import datetime

import time_machine
from django.core import mail
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.models import ApiToken
from tests.accounts.helpers import only_link_in_last_email, page_text, path_of
from tests.conftest import client_for
from tests.factories import PASSWORD, UserFactory, api_key_for

ME = "/api/v1/me/"


def _me(tenant, key: str):
    return client_for(tenant).get(ME, HTTP_AUTHORIZATION=f"Token {key}")


def _resident(tenant, email="habitant@exemple.fr"):
    with tenant_context(tenant):
        return UserFactory(email=email)


def test_the_raw_key_is_nowhere_in_the_database(town_a):
    user = _resident(town_a)
    key = (
        client_for(town_a)
        .post("/api/v1/auth/token/", {"username": user.email, "password": PASSWORD})
        .json()["token"]
    )

    with tenant_context(town_a), connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        rows = cursor.fetchall()
    assert len(rows) == 1
    assert not any(key in str(value) for value in rows[0])
    assert _me(town_a, key).status_code == 200


def test_an_expired_token_is_refused(town_a, settings):
    settings.API_TOKEN_LIFETIME_DAYS = 30
    user = _resident(town_a)
    with tenant_context(town_a):
        key = api_key_for(user)
        token = ApiToken.objects.get()
    assert token.expires_at - token.created_at == datetime.timedelta(days=30)

    with time_machine.travel(timezone.now() + datetime.timedelta(days=29)):
        assert _me(town_a, key).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=30, minutes=1)):
        refused = _me(town_a, key)

    assert refused.status_code == 401
    assert refused.json()["detail"] == "Jeton invalide, expiré ou révoqué."


def test_the_owner_lists_makes_and_revokes_tokens(town_a):
    user = _resident(town_a)
    other = _resident(town_a, "voisin@exemple.fr")
    with tenant_context(town_a):
        old_key = api_key_for(user)
        others_key = api_key_for(other)
        others_token = ApiToken.objects.get(user=other)
    browser = client_for(town_a)
    with tenant_context(town_a):
        browser.force_login(user)

    made = browser.post("/compte/jetons/", {"name": "Tableau de bord"})
    new_key = made.context["new_key"]
    assert made["Cache-Control"].startswith("max-age=0")
    assert new_key in page_text(made)
    assert "Copiez-le maintenant" in page_text(made)
    listing = page_text(browser.get("/compte/jetons/"))
    assert "Tableau de bord" in listing
    assert new_key[:8] in listing
    assert new_key not in listing  # shown once only
    assert others_key[:8] not in listing
    assert _me(town_a, new_key).status_code == 200

    with tenant_context(town_a):
        token = ApiToken.objects.get(user=user, name="Tableau de bord")
    revoked = browser.post(f"/compte/jetons/{token.pk}/revoquer/", follow=True)
    assert "Le jeton est révoqué" in page_text(revoked)
    assert _me(town_a, new_key).status_code == 401
    assert _me(town_a, old_key).status_code == 200

    # Another resident's token: not found, and still valid.
    browser.post(f"/compte/jetons/{others_token.pk}/revoquer/")
    assert _me(town_a, others_key).status_code == 200


def test_a_password_change_revokes_every_token(town_a):
    user = _resident(town_a)
    with tenant_context(town_a):
        keys = [api_key_for(user), api_key_for(user)]
    browser = client_for(town_a)
    with tenant_context(town_a):
        browser.force_login(user)

    response = browser.post(
        "/compte/mot-de-passe/changer/",
        {
            "old_password": PASSWORD,
            "new_password1": "Une-autre-phrase-2027",
            "new_password2": "Une-autre-phrase-2027",
        },
    )

    assert response.status_code == 302
    assert [_me(town_a, key).status_code for key in keys] == [401, 401]
    assert browser.get("/compte/").status_code == 200  # this session stays signed in


def test_a_password_reset_revokes_every_token(town_a, django_capture_on_commit_callbacks):
    user = _resident(town_a)
    with tenant_context(town_a):
        key = api_key_for(user)
    browser = client_for(town_a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        browser.post("/compte/mot-de-passe/oublie/", {"email": user.email})
    form_page = browser.get(path_of(only_link_in_last_email()), follow=True)

    done = browser.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Une-autre-phrase-2027", "new_password2": "Une-autre-phrase-2027"},
    )

    assert done.status_code == 302
    assert _me(town_a, key).status_code == 401


def test_a_token_of_town_a_is_refused_on_town_b(town_a, town_b):
    user = _resident(town_a)
    _resident(town_b)  # same id and address in town B
    with tenant_context(town_a):
        key = api_key_for(user)

    assert _me(town_a, key).status_code == 200
    assert _me(town_b, key).status_code == 401
