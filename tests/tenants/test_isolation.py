"""What is recorded in town A cannot be reached from town B: accounts, sessions, API tokens,
cache entries, the theme and uploaded media each stay in A's schema (or under A's prefix)."""

import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django_tenants.utils import schema_context, tenant_context

from accounts.models import ApiToken, User
from tests.conftest import client_for
from tests.factories import PASSWORD, UserFactory, api_key_for
from theming.selectors import site_theme, site_theme_forget
from theming.services import theme_update

EMAIL_A = "habitante.de.a@exemple.fr"
NAME_A = "Habitante-De-Ville-A"
ISOLATION_ROUTES = ["/", "/api/v1/town/", "/api/v1/me/", "/compte/", "/compte/connexion/"]


@pytest.fixture
def citizen_a(town_a) -> User:
    with tenant_context(town_a):
        return UserFactory(email=EMAIL_A, display_name=NAME_A)


@pytest.fixture
def tagline_a(town_a):
    """A tagline saved in A's theme; the theme caches of both towns are emptied afterwards
    (Redis is not rolled back with the test transaction)."""
    tagline = f"Accroche propre à A {uuid.uuid4().hex[:8]}"
    with tenant_context(town_a):
        theme_update(primary_colour="#112233", accent_colour="#445566", tagline=tagline)
    yield tagline
    for schema in ("ville_a", "ville_b"):
        with schema_context(schema):
            site_theme_forget()


def _logged_in_client(tenant, user):
    client = client_for(tenant)
    with tenant_context(tenant):
        client.force_login(user, backend="accounts.backends.EmailPasswordBackend")
    return client


# Accounts -------------------------------------------------------------------------------------


def test_citizen_of_town_a_has_no_row_in_town_b_nor_in_public(citizen_a, town_b):
    with tenant_context(town_b):
        assert not User.objects.filter(email=EMAIL_A).exists()
    with schema_context("public"):
        assert not User.objects.filter(email=EMAIL_A).exists()


@pytest.mark.parametrize("path", ISOLATION_ROUTES)
def test_no_route_of_town_b_shows_town_a_citizen(citizen_a, town_b, path):
    response = client_for(town_b).get(path, follow=True)
    body = response.content.decode()
    assert response.status_code in (200, 401, 403)
    assert EMAIL_A not in body
    assert NAME_A not in body


def test_town_b_api_describes_town_b_only(town_a, town_b):
    data = client_for(town_b).get("/api/v1/town/").json()
    assert data["slug"] == "ville-b"
    assert data["name"] == "Ville B"


def test_credentials_of_town_a_do_not_log_in_on_town_b(citizen_a, town_a, town_b):
    form = {"username": EMAIL_A, "password": PASSWORD}
    on_b = client_for(town_b)
    response = on_b.post("/compte/connexion/", form)
    assert response.status_code == 200  # the form again, with its error
    assert "Adresse e-mail ou mot de passe incorrect" in response.content.decode()
    assert on_b.get("/api/v1/me/").status_code in (401, 403)

    on_a = client_for(town_a)
    assert on_a.post("/compte/connexion/", form).status_code == 302
    assert on_a.get("/api/v1/me/").json()["email"] == EMAIL_A


def test_token_endpoint_of_town_b_refuses_town_a_credentials(citizen_a, town_a, town_b):
    form = {"username": EMAIL_A, "password": PASSWORD}
    assert client_for(town_b).post("/api/v1/auth/token/", form).status_code == 400
    response = client_for(town_a).post("/api/v1/auth/token/", form)
    assert response.status_code == 200
    assert response.json()["token"]


# Sessions -------------------------------------------------------------------------------------


def test_session_of_town_a_works_on_town_a(citizen_a, town_a):
    on_a = _logged_in_client(town_a, citizen_a)
    assert on_a.get("/api/v1/me/").json()["email"] == EMAIL_A
    assert on_a.get("/compte/").status_code == 200


def test_session_cookie_of_town_a_does_not_authenticate_on_town_b(citizen_a, town_a, town_b):
    on_a = _logged_in_client(town_a, citizen_a)
    session_key = on_a.cookies[settings.SESSION_COOKIE_NAME].value
    on_b = client_for(town_b)
    on_b.cookies[settings.SESSION_COOKIE_NAME] = session_key

    me = on_b.get("/api/v1/me/")
    assert me.status_code in (401, 403)
    assert EMAIL_A not in me.content.decode()

    profile = on_b.get("/compte/")
    assert profile.status_code == 302
    assert profile["Location"].startswith("/compte/connexion/")


def test_session_of_town_a_is_stored_in_town_a_schema_only(citizen_a, town_a, town_b):
    from django.contrib.sessions.models import Session

    on_a = _logged_in_client(town_a, citizen_a)
    session_key = on_a.cookies[settings.SESSION_COOKIE_NAME].value
    with tenant_context(town_a):
        assert Session.objects.filter(session_key=session_key).exists()
    with tenant_context(town_b):
        assert not Session.objects.filter(session_key=session_key).exists()


# API tokens -----------------------------------------------------------------------------------


def test_api_token_of_town_a_is_refused_on_town_b(citizen_a, town_a, town_b):
    with tenant_context(town_a):
        key = api_key_for(citizen_a)
    header = {"HTTP_AUTHORIZATION": f"Token {key}"}

    on_a = client_for(town_a).get("/api/v1/me/", **header)
    assert on_a.status_code == 200
    assert on_a.json()["email"] == EMAIL_A

    on_b = client_for(town_b).get("/api/v1/me/", **header)
    assert on_b.status_code == 401
    assert EMAIL_A not in on_b.content.decode()
    with tenant_context(town_b):
        assert not ApiToken.objects.exists()


# Cache ----------------------------------------------------------------------------------------


def test_cache_entry_of_town_a_is_not_read_from_town_b_nor_public(town_a, town_b):
    key = f"isolation-test:{uuid.uuid4().hex}"
    try:
        with tenant_context(town_a):
            cache.set(key, "valeur de A", 60)
            assert cache.get(key) == "valeur de A"
        with tenant_context(town_b):
            assert cache.get(key) is None
        with schema_context("public"):
            assert cache.get(key) is None
    finally:
        with tenant_context(town_a):
            cache.delete(key)


def test_same_cache_key_holds_one_value_per_town(town_a, town_b):
    key = f"isolation-test:{uuid.uuid4().hex}"
    try:
        with tenant_context(town_a):
            cache.set(key, "A", 60)
        with tenant_context(town_b):
            cache.set(key, "B", 60)
        with tenant_context(town_a):
            assert cache.get(key) == "A"
        with tenant_context(town_b):
            assert cache.get(key) == "B"
    finally:
        for tenant in (town_a, town_b):
            with tenant_context(tenant):
                cache.delete(key)


# Theme ----------------------------------------------------------------------------------------


def test_theme_cache_of_town_a_does_not_leak_into_town_b(tagline_a, town_a, town_b):
    with tenant_context(town_a):
        assert site_theme().tagline == tagline_a  # now cached under A's schema
    with tenant_context(town_b):
        theme_b = site_theme()
    assert theme_b.tagline != tagline_a
    assert theme_b.primary_colour != "#112233"


def test_tagline_of_town_a_is_shown_on_a_and_on_no_route_of_b(tagline_a, town_a, town_b):
    assert tagline_a in client_for(town_a).get("/").content.decode()
    on_b = client_for(town_b)
    for path in ISOLATION_ROUTES:
        response = on_b.get(path, follow=True)
        assert tagline_a not in response.content.decode(), path
        assert "#112233" not in response.content.decode(), path


# Media ----------------------------------------------------------------------------------------


def test_media_saved_in_town_a_lands_under_its_schema_and_is_invisible_from_b(town_a, town_b):
    name = f"isolation/{uuid.uuid4().hex}.txt"
    with tenant_context(town_a):
        saved = default_storage.save(name, ContentFile(b"fichier de A"))
        path_on_disk = default_storage.path(saved)
        schema_a = connection.schema_name
    try:
        assert schema_a == "ville_a"
        expected_dir = (Path(settings.MEDIA_ROOT) / schema_a).resolve()
        assert expected_dir in Path(path_on_disk).resolve().parents
        with open(path_on_disk, "rb") as handle:
            assert handle.read() == b"fichier de A"
        with tenant_context(town_b):
            assert not default_storage.exists(saved)
            assert "ville_b" in default_storage.path(saved)
        with schema_context("public"):
            assert not default_storage.exists(saved)
    finally:
        with tenant_context(town_a):
            default_storage.delete(saved)
