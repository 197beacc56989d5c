"""The console's second factor: TOTP codes, checked by django-otp, every attempt logged."""

from __future__ import annotations

import html
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import tenant_context

from accounts.models import User
from console.enrolment import enrolment_link_create
from console.models import AuditEntry
from tests.conftest import client_for
from tests.console.helpers import totp_now
from tests.factories import PASSWORD, UserFactory

CONSOLE_URLS = ["/", "/journal/", "/collectivites/ville-a/"]


def _path(url: str) -> str:
    return urlsplit(url).path


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _signed_in(user: User) -> Client:
    client = Client(HTTP_HOST="localhost")
    response = client.post("/compte/connexion/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("url", CONSOLE_URLS)
def test_password_alone_does_not_open_the_console(vendor_staff, town_a, url):
    response = _signed_in(vendor_staff).get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/double-authentification/?next=")


@pytest.mark.parametrize("url", CONSOLE_URLS)
def test_anonymous_and_other_accounts_are_sent_to_sign_in(platform, town_a, url):
    citizen = UserFactory(email="stagiaire@agora.test")
    for client in (Client(HTTP_HOST="localhost"), _signed_in(citizen)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/compte/connexion/")


def test_second_factor_pages_are_for_vendor_staff_only(platform):
    citizen = UserFactory(email="stagiaire@agora.test")
    client = _signed_in(citizen)

    assert client.get("/double-authentification/").status_code == 403
    assert client.get("/double-authentification/sans-appareil/").status_code == 403
    assert client.get("/double-authentification/activer/une-cle/").status_code == 403
    assert not TOTPDevice.objects.exists()


def test_a_wrong_code_is_refused_and_logged_then_the_right_one_opens(vendor_staff):
    client = _signed_in(vendor_staff)

    wrong = client.post("/double-authentification/", {"token": "000000", "next": "/journal/"})

    assert wrong.status_code == 400
    assert "Code incorrect ou expiré." in _text(wrong)
    assert client.get("/").status_code == 302
    device = TOTPDevice.objects.get(user=vendor_staff)
    device.throttle_reset()
    right = client.post(
        "/double-authentification/", {"token": totp_now(device), "next": "/journal/"}
    )
    assert right.status_code == 302
    assert right["Location"] == "/journal/"
    assert client.get("/").status_code == 200
    assert list(AuditEntry.objects.order_by("pk").values_list("action", "actor_email")) == [
        ("console.otp_refused", vendor_staff.email),
        ("console.login", vendor_staff.email),
    ]


@pytest.mark.parametrize(
    ("token", "message"),
    [("12ab56", "Saisissez les 6 chiffres"), ("", "Ce champ est obligatoire.")],
)
def test_malformed_codes_get_a_message(vendor_staff, token, message):
    response = _signed_in(vendor_staff).post("/double-authentification/", {"token": token})

    assert response.status_code == 400
    assert message in _text(response)


def test_a_code_cannot_be_used_twice(vendor_staff):
    device = TOTPDevice.objects.get(user=vendor_staff)
    token = totp_now(device)
    first = _signed_in(vendor_staff)
    assert first.post("/double-authentification/", {"token": token}).status_code == 302

    replay = _signed_in(vendor_staff).post("/double-authentification/", {"token": token})

    assert replay.status_code == 400


def test_an_unsafe_next_is_not_followed(vendor_staff):
    device = TOTPDevice.objects.get(user=vendor_staff)
    response = _signed_in(vendor_staff).post(
        "/double-authentification/", {"token": totp_now(device), "next": "https://evil.test/"}
    )

    assert response["Location"] == "/"


def test_a_stolen_password_cannot_enrol_a_second_device(vendor_staff):
    client = _signed_in(vendor_staff)

    response = client.get("/double-authentification/activer/une-cle-devinee/")

    assert response.status_code == 400
    assert "Ce lien d'activation n'est pas valide" in _text(response)
    assert TOTPDevice.objects.filter(user=vendor_staff).count() == 1


def test_enrolment_keeps_its_key_across_reloads_and_refuses_a_bad_code(platform):
    staff = UserFactory(email="nouveau@agora.test", role=User.Role.VENDOR_STAFF)
    link = _path(enrolment_link_create(user=staff))
    client = _signed_in(staff)

    first = _text(client.get(link))
    again = _text(client.get(link))
    secret = first.split('data-testid="totp-secret">', 1)[1].split("<", 1)[0]

    assert secret in again
    refused = client.post(link, {"token": "123456"})
    assert refused.status_code == 400
    assert not TOTPDevice.objects.filter(user=staff, confirmed=True).exists()


def test_town_accounts_never_reach_the_second_factor(town_a):
    with tenant_context(town_a):
        UserFactory(email="admin@ville-a.fr", role=User.Role.ADMIN)
    client = client_for(town_a)
    client.post("/compte/connexion/", {"username": "admin@ville-a.fr", "password": PASSWORD})

    assert client.get("/double-authentification/").status_code == 404


def test_codes_typed_in_a_row_are_throttled_with_a_message(vendor_staff):
    client = _signed_in(vendor_staff)
    client.post("/double-authentification/", {"token": "000000"})

    again = client.post(
        "/double-authentification/",
        {"token": totp_now(TOTPDevice.objects.get(user=vendor_staff))},
    )

    assert again.status_code == 400
    assert "Trop d'essais" in _text(again)


def test_a_refused_password_on_the_console_is_logged_without_the_password(vendor_staff, town_a):
    response = Client(HTTP_HOST="localhost").post(
        "/compte/connexion/", {"username": vendor_staff.email, "password": "devine-moi"}
    )
    client_for(town_a).post(
        "/compte/connexion/", {"username": "qui@ville-a.fr", "password": "devine-moi"}
    )

    assert response.status_code == 200
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.details, entry.ip_address) == (
        "console.password_refused",
        {"email": vendor_staff.email},
        "127.0.0.1",
    )
    assert "devine-moi" not in str(entry.details)
