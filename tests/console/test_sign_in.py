"""Signing in to the vendor console on the platform's own host: vendor staff only, with a
second factor."""

from __future__ import annotations

import html
import io
from urllib.parse import urlsplit

from django.core.management import call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import get_public_schema_name, schema_context, tenant_context

from accounts.models import User
from console.models import AuditEntry
from tests.console.helpers import totp_now
from tests.factories import PASSWORD, UserFactory

LOGIN = "/compte/connexion/"
BAD_LOGIN = "Adresse e-mail ou mot de passe incorrect."


def _console() -> Client:
    return Client(HTTP_HOST="localhost")


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _public_account(**fields) -> User:
    with schema_context(get_public_schema_name()):
        return UserFactory(**fields)


def _login(client: Client, email: str, password: str = PASSWORD):
    return client.post(LOGIN, {"username": email, "password": password})


def test_anonymous_visitor_is_sent_to_the_console_login(platform):
    response = _console().get("/")

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    login_page = _console().get(response["Location"])
    assert login_page.status_code == 200
    assert "Se connecter" in _text(login_page)


def test_citizen_of_a_town_cannot_sign_in_to_the_console(platform, town_a):
    with tenant_context(town_a):
        UserFactory(email="habitant@exemple.fr")
    client = _console()

    response = _login(client, "habitant@exemple.fr")

    assert response.status_code == 200
    assert BAD_LOGIN in _text(response)
    assert "_auth_user_id" not in response.wsgi_request.session
    assert client.get("/").status_code == 302


def test_town_admin_cannot_sign_in_to_the_console(platform, town_a):
    with tenant_context(town_a):
        UserFactory(email="maire@ville-a.fr", role=User.Role.ADMIN)

    response = _login(_console(), "maire@ville-a.fr")

    assert response.status_code == 200
    assert BAD_LOGIN in _text(response)


def test_vendor_staff_enrols_a_totp_device_then_sees_every_town(platform, town_a, town_b):
    staff = _public_account(email="equipe@agora.test", role=User.Role.VENDOR_STAFF)
    client = _console()

    signed_in = _login(client, "Equipe@Agora.test")
    assert signed_in.status_code == 302
    # A password alone opens nothing, and enrols nothing: ask a colleague.
    refused = client.get("/", follow=True)
    assert refused.redirect_chain[-1][0] == "/double-authentification/sans-appareil/"
    assert "<svg" not in refused.content.decode()
    assert not TOTPDevice.objects.filter(user=staff).exists()
    # The operator's command prints a one-time link for the first account.
    out = io.StringIO()
    call_command("console_enrolment_link", "equipe@agora.test", stdout=out)
    link = urlsplit(out.getvalue().strip()).path
    enrol = client.get(link)
    assert "<svg" in enrol.content.decode()

    token = totp_now(TOTPDevice.objects.get(user=staff))
    response = client.post(link, {"token": token}, follow=True)

    assert response.status_code == 200
    text = _text(response)
    assert "Collectivités" in text
    for town in (town_a, town_b):
        row = text.split(f">{town.name}</a>", 1)
        assert len(row) == 2, town.name
        assert f"{town.slug}.localhost" in row[1].split("</tr>", 1)[0]
    assert "Actif" in text
    # The platform's own row is not a town.
    assert ">Agora</a>" not in text
    assert TOTPDevice.objects.get(user=staff).confirmed
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "console.enrolment_link",
        "console.otp_enrolled",
    ]


def test_vendor_staff_of_the_console_has_no_account_in_a_town(platform, town_a):
    _public_account(email="equipe@agora.test", role=User.Role.VENDOR_STAFF)
    from tests.conftest import client_for

    response = _login(client_for(town_a), "equipe@agora.test")

    assert response.status_code == 200
    assert BAD_LOGIN in _text(response)


def test_public_account_without_the_vendor_role_is_sent_to_login(platform):
    _public_account(email="stagiaire@agora.test", role=User.Role.CITIZEN)
    client = _console()
    assert _login(client, "stagiaire@agora.test").status_code == 302

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    # The login page is shown (to sign in with another account), not bounced back to "/".
    login_page = client.get(response["Location"])
    assert login_page.status_code == 200
    assert "Collectivités" not in _text(login_page)


def test_console_login_page_has_no_town_links(platform):
    text = _text(_console().get(LOGIN))

    assert "/compte/inscription/" not in text
    assert "/compte/mot-de-passe/oublie/" not in text
