"""The town API: /api/v1/me/, token sign-in, /api/v1/town/."""

from __future__ import annotations

from django.test import Client
from django_tenants.utils import tenant_context

from accounts.models import ApiToken
from accounts.services import api_key_hash
from tests.conftest import client_for
from tests.factories import PASSWORD, UserFactory

ME = "/api/v1/me/"
TOKEN = "/api/v1/auth/token/"
TOWN = "/api/v1/town/"


def _citizen(tenant, **fields):
    with tenant_context(tenant):
        return UserFactory(**{"email": "habitant@exemple.fr", "display_name": "Sacha", **fields})


def _token_for(client, email: str, password: str):
    return client.post(TOKEN, {"username": email, "password": password})


def test_me_refuses_anonymous_requests(town_a):
    response = client_for(town_a).get(ME)

    assert response.status_code in (401, 403)
    assert "detail" in response.json()
    assert "email" not in response.json()


def test_me_returns_the_signed_in_account(town_a):
    user = _citizen(town_a)
    client = client_for(town_a)
    assert (
        client.post(
            "/compte/connexion/", {"username": user.email, "password": PASSWORD}
        ).status_code
        == 302
    )

    response = client.get(ME)

    assert response.status_code == 200
    data = response.json()
    assert data["id"] == user.pk
    assert data["email"] == "habitant@exemple.fr"
    assert data["display_name"] == "Sacha"
    assert data["role"] == "citizen"
    assert data["email_verified_at"] is not None
    assert "password" not in data


def test_token_sign_in_and_use_on_the_same_town(town_a):
    user = _citizen(town_a)

    response = _token_for(client_for(town_a), "Habitant@Exemple.fr", PASSWORD)

    assert response.status_code == 200
    key = response.json()["token"]
    with tenant_context(town_a):
        assert ApiToken.objects.get(key_hash=api_key_hash(key)).user_id == user.pk
    me = client_for(town_a).get(ME, HTTP_AUTHORIZATION=f"Token {key}")
    assert me.status_code == 200
    assert me.json()["email"] == "habitant@exemple.fr"
    # Asking again gives another key (the first cannot be read back); both work.
    again = _token_for(client_for(town_a), user.email, PASSWORD).json()["token"]
    assert again != key
    assert client_for(town_a).get(ME, HTTP_AUTHORIZATION=f"Token {again}").status_code == 200


def test_token_sign_in_with_a_wrong_password_is_refused(town_a):
    _citizen(town_a)

    response = _token_for(client_for(town_a), "habitant@exemple.fr", "mauvais-mot-de-passe")

    assert response.status_code == 400
    assert response.json()["detail"] == "Adresse e-mail ou mot de passe incorrect."
    assert "token" not in response.json()
    with tenant_context(town_a):
        assert not ApiToken.objects.exists()


def test_token_of_town_a_is_rejected_on_town_b(town_a, town_b):
    _citizen(town_a)
    # Town B has an account with the same id and address, but not this token.
    _citizen(town_b)
    key = _token_for(client_for(town_a), "habitant@exemple.fr", PASSWORD).json()["token"]

    response = client_for(town_b).get(ME, HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 401
    assert "email" not in response.json()
    assert response["WWW-Authenticate"].startswith("Token")


def test_credentials_of_town_a_get_no_token_on_town_b(town_a, town_b):
    _citizen(town_a)

    response = _token_for(client_for(town_b), "habitant@exemple.fr", PASSWORD)

    assert response.status_code == 400
    assert "token" not in response.json()


def test_me_with_an_unknown_token_is_401(town_a):
    response = client_for(town_a).get(ME, HTTP_AUTHORIZATION="Token " + "0" * 40)

    assert response.status_code == 401


def test_town_describes_the_current_town(town_a, town_b):
    data_a = client_for(town_a).get(TOWN).json()
    data_b = client_for(town_b).get(TOWN).json()

    assert data_a["slug"] == "ville-a"
    assert data_a["name"] == "Ville A"
    assert data_a["kind"] == "commune"
    assert data_a["population"] == 20_000
    assert data_a["status"] == "active"
    assert data_b["slug"] == "ville-b"
    assert data_b["name"] == "Ville B"


def test_town_does_not_exist_on_the_platform_host(platform):
    response = Client(HTTP_HOST="localhost").get(TOWN)

    assert response.status_code == 404


def test_me_does_not_exist_on_the_platform_host(platform):
    assert Client(HTTP_HOST="localhost").get(ME).status_code == 404
