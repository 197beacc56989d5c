"""Which hosts are served, and what a town's status lets its visitors do."""

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.models import User
from core.contributions import ensure_contributions_open
from core.errors import ApplicationError, NotAllowed
from tenants.models import Domain, Tenant
from tenants.services import town_set_status
from tests.conftest import client_for
from tests.factories import PASSWORD, UserFactory

CUSTOM_DOMAIN = "participation.ville-a.fr"
SIGNUP = {
    "display_name": "Nouvelle habitante",
    "email": "nouvelle.habitante@exemple.fr",
    "password": "Un-mot-de-passe-solide-2026",
}
NOT_SERVED = [Tenant.Status.SUSPENDED, Tenant.Status.ARCHIVED]


# Hosts ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["inconnue.localhost", "exemple.org", "ville-c.localhost"])
def test_unknown_host_gets_the_not_found_page_not_a_500(db, host):
    response = Client(HTTP_HOST=host).get("/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Site introuvable" in body
    assert host in body


def test_unknown_host_gets_404_on_api_and_account_routes_too(db):
    client = Client(HTTP_HOST="inconnue.localhost")
    assert client.get("/api/v1/town/").status_code == 404
    assert client.get("/compte/").status_code == 404


@pytest.mark.parametrize("host", ["mauvais hôte", "bad_host!", "ville-a.localhost."])
def test_malformed_host_gets_404_not_a_500(db, host):
    response = Client(HTTP_HOST=host).get("/")
    assert response.status_code == 404
    assert "Ville A" not in response.content.decode()


@pytest.mark.parametrize("host", ["www.ville-a.localhost", "ville-a.localhost:8000"])
def test_www_prefix_and_port_still_find_the_town(town_a, host):
    response = Client(HTTP_HOST=host).get("/api/v1/town/")
    assert response.status_code == 200
    assert response.json()["slug"] == "ville-a"


def test_host_is_matched_case_insensitively(town_a):
    response = Client(HTTP_HOST="VILLE-A.localhost").get("/")
    assert response.status_code == 200
    assert "Ville A" in response.content.decode()


def test_custom_domain_not_yet_verified_is_not_served(town_a):
    Domain.objects.create(domain=CUSTOM_DOMAIN, tenant=town_a, is_custom=True)
    response = Client(HTTP_HOST=CUSTOM_DOMAIN).get("/")
    assert response.status_code == 404
    assert "Site introuvable" in response.content.decode()


def test_custom_domain_is_served_once_verified(town_a):
    domain = Domain.objects.create(domain=CUSTOM_DOMAIN, tenant=town_a, is_custom=True)
    domain.verified_at = timezone.now()
    domain.save()
    response = Client(HTTP_HOST=CUSTOM_DOMAIN).get("/")
    assert response.status_code == 200
    assert "Ville A" in response.content.decode()
    assert Client(HTTP_HOST=CUSTOM_DOMAIN).get("/api/v1/town/").json()["slug"] == "ville-a"


# Suspended and archived towns -----------------------------------------------------------------


@pytest.mark.parametrize("status", NOT_SERVED)
@pytest.mark.parametrize("path", ["/", "/compte/inscription/", "/compte/connexion/"])
def test_town_not_served_shows_the_suspended_page(town_a, status, path):
    town_set_status(tenant=town_a, status=status)
    response = client_for(town_a).get(path)
    assert response.status_code == 503
    body = response.content.decode()
    assert "Service suspendu" in body
    assert "Ville A" in body


@pytest.mark.parametrize("status", NOT_SERVED)
def test_town_not_served_refuses_posts_with_503(town_a, status):
    town_set_status(tenant=town_a, status=status)
    response = client_for(town_a).post("/compte/inscription/", SIGNUP)
    assert response.status_code == 503
    with tenant_context(town_a):
        assert not User.objects.filter(email=SIGNUP["email"]).exists()


@pytest.mark.parametrize("status", NOT_SERVED)
def test_town_not_served_answers_json_503_on_api(town_a, status):
    town_set_status(tenant=town_a, status=status)
    response = client_for(town_a).get("/api/v1/town/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert "suspendu" in response.json()["detail"]


@pytest.mark.parametrize("status", NOT_SERVED)
def test_healthz_still_answers_for_a_town_not_served(town_a, status):
    town_set_status(tenant=town_a, status=status)
    response = client_for(town_a).get("/healthz")
    assert response.status_code == 200
    assert response.json()["town_status"] == status


def test_suspending_town_a_leaves_town_b_served(town_a, town_b):
    town_set_status(tenant=town_a, status=Tenant.Status.SUSPENDED)
    assert client_for(town_b).get("/").status_code == 200


def test_reactivated_town_is_served_again(town_a):
    town_set_status(tenant=town_a, status=Tenant.Status.SUSPENDED)
    assert client_for(town_a).get("/").status_code == 503
    town_set_status(tenant=town_a, status=Tenant.Status.ACTIVE)
    assert client_for(town_a).get("/").status_code == 200


# Read-only towns ------------------------------------------------------------------------------


@pytest.fixture
def read_only_a(town_a) -> Tenant:
    return town_set_status(tenant=town_a, status=Tenant.Status.READ_ONLY)


def test_read_only_town_serves_its_pages(read_only_a):
    client = client_for(read_only_a)
    home = client.get("/")
    assert home.status_code == 200
    assert "lecture seule" in home.content.decode()
    assert client.get("/api/v1/town/").json()["status"] == "read_only"


def test_read_only_town_refuses_signup_and_creates_no_account(read_only_a):
    response = client_for(read_only_a).post("/compte/inscription/", SIGNUP)
    assert response.status_code == 403
    assert "lecture seule" in response.content.decode()
    with tenant_context(read_only_a):
        assert not User.objects.filter(email=SIGNUP["email"]).exists()


def test_active_town_accepts_the_same_signup(town_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(town_a).post("/compte/inscription/", SIGNUP)
    assert response.status_code == 302
    with tenant_context(town_a):
        assert User.objects.filter(email=SIGNUP["email"]).exists()


def test_read_only_town_refuses_api_writes_with_json_403(read_only_a):
    response = client_for(read_only_a).post(
        "/api/v1/auth/token/", {"username": "x@exemple.fr", "password": "x"}
    )
    assert response.status_code == 403
    assert "lecture seule" in response.json()["detail"]


def test_login_still_works_on_a_read_only_town(read_only_a):
    with tenant_context(read_only_a):
        user = UserFactory()
    client = client_for(read_only_a)
    response = client.post("/compte/connexion/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/api/v1/me/").json()["email"] == user.email
    assert client.post("/compte/deconnexion/").status_code == 302
    assert client.get("/api/v1/me/").status_code in (401, 403)


def test_password_reset_still_works_on_a_read_only_town(
    read_only_a, django_capture_on_commit_callbacks
):
    with tenant_context(read_only_a):
        user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(read_only_a).post(
            "/compte/mot-de-passe/oublie/", {"email": user.email}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1


def test_guard_raises_contributions_closed_in_a_read_only_town(read_only_a):
    with tenant_context(read_only_a), pytest.raises(NotAllowed, match="lecture seule"):
        ensure_contributions_open()


@pytest.mark.parametrize("status", [Tenant.Status.ACTIVE, Tenant.Status.TRIAL])
def test_guard_lets_contributions_through_in_an_open_town(town_a, status):
    town = town_set_status(tenant=town_a, status=status)
    with tenant_context(town):
        ensure_contributions_open()  # does not raise
    assert town.accepts_contributions


# Status changes -------------------------------------------------------------------------------


def test_status_change_is_recorded_with_its_time(town_a):
    before = town_a.status_changed_at
    town = town_set_status(tenant=town_a, status=Tenant.Status.READ_ONLY)
    town.refresh_from_db()
    assert town.status == Tenant.Status.READ_ONLY
    assert town.status_changed_at > before


def test_unknown_status_is_refused(town_a):
    with pytest.raises(ApplicationError, match="Statut inconnu"):
        town_set_status(tenant=town_a, status="ferme")
    town_a.refresh_from_db()
    assert town_a.status == Tenant.Status.ACTIVE


@pytest.mark.parametrize("status", Tenant.Status.values)
def test_platform_status_cannot_be_changed(platform, status):
    with pytest.raises(ApplicationError, match="plateforme"):
        town_set_status(tenant=platform, status=status)
    platform.refresh_from_db()
    assert platform.status == Tenant.Status.ACTIVE
