"""Rate limits and the sign-in lock-out (core.ratelimit) on the accounts' actions: a page with
429 and the French message, or the API's 429 JSON, with Retry-After."""

from __future__ import annotations

import time

import pytest
from django.core import mail
from django.test import Client, RequestFactory, override_settings
from django_tenants.utils import tenant_context

from accounts.models import ApiToken, User
from core.errors import TooManyRequests
from core.ratelimit import client_address, rate_limit
from tests.accounts.helpers import page_text
from tests.conftest import client_for
from tests.factories import PASSWORD, UserFactory

LOGIN = "/compte/connexion/"
TOKEN = "/api/v1/auth/token/"
WAIT = "Trop de tentatives en peu de temps. Par sécurité, réessayez dans"


def _citizen(tenant, email="habitant@exemple.fr") -> User:
    with tenant_context(tenant):
        return UserFactory(email=email)


def _login(client: Client, email: str, password: str):
    return client.post(LOGIN, {"username": email, "password": password})


@pytest.fixture
def lockout(rate_limits):
    """Two failures lock out for one second, doubled at each further failure."""
    rate_limits.lockout(account={"failures": 2, "base": 1, "max": 60})
    return rate_limits


# Sign-in -----------------------------------------------------------------------------------


def test_town_sign_in_locks_out_even_the_right_password(town_a, lockout):
    _citizen(town_a)
    client = client_for(town_a)
    assert _login(client, "habitant@exemple.fr", "faux-1").status_code == 200
    assert _login(client, "habitant@exemple.fr", "faux-2").status_code == 200

    locked = _login(client, "habitant@exemple.fr", PASSWORD)

    assert locked.status_code == 429
    assert WAIT in page_text(locked)
    assert locked["Retry-After"] == "1"
    assert "_auth_user_id" not in client.session


def test_the_delay_grows_with_each_further_failure_and_a_success_clears_it(town_a, lockout):
    _citizen(town_a)
    client = client_for(town_a)
    for attempt in ("faux-1", "faux-2"):
        _login(client, "habitant@exemple.fr", attempt)
    assert _login(client, "habitant@exemple.fr", "faux-3")["Retry-After"] == "1"
    time.sleep(1.1)

    assert _login(client, "habitant@exemple.fr", "faux-3").status_code == 200  # counted: 3rd
    assert _login(client, "habitant@exemple.fr", PASSWORD)["Retry-After"] == "2"
    time.sleep(2.1)

    assert _login(client, "habitant@exemple.fr", PASSWORD).status_code == 302
    # Forgotten after the success: one more failure does not lock again.
    assert _login(client_for(town_a), "habitant@exemple.fr", "faux-4").status_code == 200
    assert _login(client_for(town_a), "habitant@exemple.fr", PASSWORD).status_code == 302


def test_the_client_address_is_locked_out_whatever_the_addresses_typed(town_a, rate_limits):
    rate_limits.lockout(ip={"failures": 3, "base": 30, "max": 60})
    _citizen(town_a)
    client = client_for(town_a)
    for n in range(3):
        _login(client, f"inconnu-{n}@exemple.fr", "devine")

    locked = _login(client, "habitant@exemple.fr", PASSWORD)

    assert locked.status_code == 429
    # Another address is not locked out.
    elsewhere = Client(HTTP_HOST=client.defaults["HTTP_HOST"], REMOTE_ADDR="192.0.2.7")
    assert _login(elsewhere, "habitant@exemple.fr", PASSWORD).status_code == 302


def test_console_sign_in_is_locked_out_too(vendor_staff, lockout):
    console = Client(HTTP_HOST="localhost")
    for attempt in ("faux-1", "faux-2"):
        assert _login(console, vendor_staff.email, attempt).status_code == 200

    locked = _login(console, vendor_staff.email, PASSWORD)

    assert locked.status_code == 429
    assert WAIT in page_text(locked)


def test_api_token_sign_in_is_locked_out_with_json(town_a, lockout):
    _citizen(town_a)
    api = client_for(town_a)
    for attempt in ("faux-1", "faux-2"):
        refused = api.post(TOKEN, {"username": "habitant@exemple.fr", "password": attempt})
        assert refused.status_code == 400

    locked = api.post(TOKEN, {"username": "habitant@exemple.fr", "password": PASSWORD})

    assert locked.status_code == 429
    assert locked.json()["code"] == "throttled"
    assert locked.json()["detail"].startswith(WAIT)
    assert locked["Retry-After"] == "1"
    with tenant_context(town_a):
        assert not ApiToken.objects.exists()


def test_api_tokens_issued_are_limited_per_account(town_a, rate_limits):
    rate_limits.limit("api_token", account=(2, 3600))
    _citizen(town_a)
    api = client_for(town_a)
    credentials = {"username": "habitant@exemple.fr", "password": PASSWORD}
    assert [api.post(TOKEN, credentials).status_code for _ in range(3)] == [200, 200, 429]
    with tenant_context(town_a):
        assert ApiToken.objects.count() == 2


# Sign-up, password reset, verification e-mails ---------------------------------------------


def test_sign_up_is_limited_per_client_address(town_a, rate_limits):
    rate_limits.limit("sign_up", ip=(2, 3600))
    client = client_for(town_a)

    answers = [
        client.post(
            "/compte/inscription/",
            {"display_name": "N", "email": f"n{n}@exemple.fr", "password": "Une-phrase-2026"},
        )
        for n in range(3)
    ]

    assert [a.status_code for a in answers] == [302, 302, 429]
    assert WAIT in page_text(answers[-1])
    with tenant_context(town_a):
        assert not User.objects.filter(email="n2@exemple.fr").exists()


@pytest.mark.parametrize("exists", [True, False], ids=["known", "unknown"])
def test_password_reset_is_limited_per_address_whether_it_exists_or_not(
    town_a, rate_limits, exists, django_capture_on_commit_callbacks
):
    rate_limits.limit("password_reset", address=(2, 3600), ip=(100, 3600))
    if exists:
        _citizen(town_a)
    client = client_for(town_a)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            client.post("/compte/mot-de-passe/oublie/", {"email": "Habitant@exemple.fr"})
            for _ in range(3)
        ]

    assert [a.status_code for a in answers] == [302, 302, 429]
    assert len(mail.outbox) == (2 if exists else 0)
    # Another address is counted apart.
    other = client.post("/compte/mot-de-passe/oublie/", {"email": "autre@exemple.fr"})
    assert other.status_code == 302


def test_password_reset_is_limited_per_client_address(town_a, rate_limits):
    rate_limits.limit("password_reset", address=(100, 3600), ip=(2, 3600))
    client = client_for(town_a)
    answers = [
        client.post("/compte/mot-de-passe/oublie/", {"email": f"n{n}@exemple.fr"}) for n in range(3)
    ]
    assert [a.status_code for a in answers] == [302, 302, 429]


def test_verification_resends_are_limited_per_account(
    town_a, rate_limits, django_capture_on_commit_callbacks
):
    rate_limits.limit("email_verification", account=(2, 3600))
    client = client_for(town_a)
    with tenant_context(town_a):
        client.force_login(UserFactory(email="nouveau@exemple.fr", email_verified_at=None))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        answers = [client.post("/compte/confirmer/renvoyer/") for _ in range(3)]

    assert [a.status_code for a in answers] == [302, 302, 429]
    assert len(mail.outbox) == 2


# The client's address, and Redis away ------------------------------------------------------


def test_x_forwarded_for_counts_only_from_a_trusted_proxy(settings):
    factory = RequestFactory()
    forged = factory.get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="198.51.100.1")
    proxied = factory.get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9"
    )

    settings.TRUSTED_PROXIES = []
    assert client_address(forged) == "203.0.113.5"
    assert client_address(proxied) == "127.0.0.1"
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_address(forged) == "203.0.113.5"  # not our proxy: its header is ignored
    # Our proxy appends the address it saw: the last one, not what the client wrote first.
    assert client_address(proxied) == "203.0.113.9"


def test_a_limit_lets_the_action_through_when_redis_is_unreachable(settings, rate_limits):
    rate_limits.limit("vote", account=(1, 60))
    unreachable = {"default": {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:1/0"}}
    with override_settings(CACHES=unreachable):
        for _ in range(3):
            rate_limit("vote", account=1)  # no TooManyRequests, no connection error
    with pytest.raises(TooManyRequests):  # the same calls, Redis reachable
        for _ in range(2):
            rate_limit("vote", account=1)
