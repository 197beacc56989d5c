"""The console's second factor without trust on first use: a device is enrolled only through a
one-time link, bound to its account, that expires; the password alone reaches no console page."""

from __future__ import annotations

import datetime
import html
import io
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from console.enrolment import enrolment_link_create
from console.models import AuditEntry, EnrolmentLink
from core.errors import NotAllowed
from tests.conftest import console_client_for
from tests.console.helpers import totp_now
from tests.factories import PASSWORD, UserFactory

NO_DEVICE = "/double-authentification/sans-appareil/"
INVALID = "Ce lien d'activation n'est pas valide"


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _new_staff(email: str = "nouveau@agora.test") -> User:
    return UserFactory(email=email, role=User.Role.VENDOR_STAFF)


def _signed_in(user: User) -> Client:
    client = Client(HTTP_HOST="localhost")
    response = client.post("/compte/connexion/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _link_path(user: User, **kwargs) -> str:
    return urlsplit(enrolment_link_create(user=user, **kwargs)).path


def _enrol(client: Client, staff: User, path: str):
    client.get(path)  # the page makes the pending device
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    return client.post(path, {"token": totp_now(device)})


@pytest.mark.parametrize("path", ["/", "/journal/", "/equipe/", "/double-authentification/"])
def test_the_password_alone_never_reaches_enrolment(platform, path):
    staff = _new_staff()
    client = _signed_in(staff)

    response = client.get(path, follow=True)

    assert response.redirect_chain[-1][0] == NO_DEVICE
    text = _text(response)
    assert "Demandez à un autre membre de l'équipe" in text
    assert "<svg" not in text
    assert 'data-testid="totp-secret"' not in text
    assert not TOTPDevice.objects.filter(user=staff).exists()


def test_a_link_enrols_once_then_is_spent(platform):
    staff = _new_staff()
    path = _link_path(staff)
    client = _signed_in(staff)

    enrolled = _enrol(client, staff, path)

    assert enrolled.status_code == 302
    assert client.get("/").status_code == 200
    assert TOTPDevice.objects.get(user=staff).confirmed
    assert EnrolmentLink.objects.get(user=staff).used_at is not None
    # The same link again, even by its owner in a new session: refused, no new device.
    again = _signed_in(staff).get(path)
    assert again.status_code == 400
    assert INVALID in _text(again)
    assert TOTPDevice.objects.filter(user=staff).count() == 1


def test_a_link_expires(platform):
    staff = _new_staff()
    path = _link_path(staff)
    client = _signed_in(staff)

    with time_machine.travel(timezone.now() + datetime.timedelta(hours=25)):
        response = client.get(path)

    assert response.status_code == 400
    assert INVALID in _text(response)
    assert not TOTPDevice.objects.filter(user=staff).exists()


def test_a_link_is_bound_to_its_account(platform):
    owner = _new_staff("titulaire@agora.test")
    thief = _new_staff("voleur@agora.test")
    path = _link_path(owner)

    response = _signed_in(thief).get(path)

    assert response.status_code == 400
    assert INVALID in _text(response)
    assert not TOTPDevice.objects.exists()
    # Still valid for its owner.
    assert _enrol(_signed_in(owner), owner, path).status_code == 302


def test_a_newer_link_replaces_the_older_one(platform):
    staff = _new_staff()
    older = _link_path(staff)
    newer = _link_path(staff)
    client = _signed_in(staff)

    assert client.get(older).status_code == 400
    assert _enrol(client, staff, newer).status_code == 302


def test_an_anonymous_visitor_of_a_link_is_sent_to_sign_in(platform):
    path = _link_path(_new_staff())

    response = Client(HTTP_HOST="localhost").get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/?next=")
    assert not TOTPDevice.objects.exists()


def test_a_colleague_emails_the_link_and_no_one_sends_one_to_themselves(
    vendor_staff, django_capture_on_commit_callbacks
):
    newcomer = _new_staff()
    colleague = console_client_for(vendor_staff)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = colleague.post(f"/equipe/{newcomer.pk}/lien-activation/")

    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[newcomer.email]]
    link = next(w for w in mail.outbox[0].body.split() if "/double-authentification/activer/" in w)
    assert _enrol(_signed_in(newcomer), newcomer, urlsplit(link).path).status_code == 302
    entry = AuditEntry.objects.get(action="console.enrolment_link")
    assert (entry.actor_email, entry.details) == (vendor_staff.email, {"for": newcomer.email})

    with pytest.raises(NotAllowed, match="Un autre membre de l'équipe"):
        enrolment_link_create(user=vendor_staff, created_by=vendor_staff)
    mine = colleague.post(f"/equipe/{vendor_staff.pk}/lien-activation/", follow=True)
    assert "Un autre membre de l'équipe doit vous envoyer ce lien" in _text(mine)


def test_the_command_prints_a_link_for_staff_only(platform):
    staff = _new_staff()
    UserFactory(email="habitant@agora.test")
    out = io.StringIO()

    call_command("console_enrolment_link", "Nouveau@Agora.test", stdout=out)

    path = urlsplit(out.getvalue().strip()).path
    assert _enrol(_signed_in(staff), staff, path).status_code == 302
    with pytest.raises(CommandError, match="Aucun compte"):
        call_command("console_enrolment_link", "personne@agora.test")
    with pytest.raises(CommandError, match="Seuls les comptes actifs de l'équipe"):
        call_command("console_enrolment_link", "habitant@agora.test")


def test_seed_demo_refuses_the_production_settings(platform, settings):
    settings.DEBUG = False
    settings.SETTINGS_MODULE = "config.settings.production"

    with pytest.raises(CommandError, match="réglages de production"):
        call_command("seed_demo")

    assert not User.objects.filter(email="equipe@agora.localhost").exists()
