import json

from django.core import mail, signing
from django.db import connection
from django_tenants.utils import tenant_context

from participation.models import Profile
from participation.notifications.services import unsubscribe_url
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.participation.factories import ParticipantFactory

from .conftest import sent_to

PAGE = "/mon-profil/notifications/"


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_preferences_page_needs_login(in_town_a, town_a):
    response = client_for(town_a).get(PAGE)
    assert response.status_code == 302
    assert "/compte/connexion/" in response["Location"]


def test_preferences_page_shows_a_checkbox_per_kind_and_saves(in_town_a, town_a):
    user = ParticipantFactory()
    client = client_for(town_a)
    client.force_login(user)

    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Mes notifications" in html
    for name in ("replies", "moderation", "phases", "digest"):
        assert f'name="{name}"' in html

    response = client.post(PAGE, {"replies": "on", "digest": "on"}, follow=True)
    assert "Vos préférences de notification sont enregistrées." in response.content.decode()
    with tenant_context(town_a):
        profile = Profile.objects.get(user=user)
    assert (
        profile.notify_replies,
        profile.notify_moderation,
        profile.notify_phases,
        profile.notify_digest,
    ) == (True, False, False, True)


def test_unsubscribe_link_works_without_login(in_town_a, town_a):
    user = ParticipantFactory()
    link = _path(unsubscribe_url(user, "phases"))
    client = client_for(town_a)

    page = client.get(link)  # a link scanner opening it changes nothing
    assert page.status_code == 200
    assert "Ne plus recevoir les e-mails" in page.content.decode()
    with tenant_context(town_a):
        assert Profile.objects.get(user=user).notify_phases is True

    done = client.post(link)
    assert done.status_code == 200
    assert "C&#x27;est fait" in done.content.decode() or "C'est fait" in done.content.decode()
    with tenant_context(town_a):
        profile = Profile.objects.get(user=user)
    assert profile.notify_phases is False
    assert profile.notify_replies is True and profile.notify_digest is True


def test_tampered_unsubscribe_link_is_refused(in_town_a, town_a):
    user = ParticipantFactory()
    token = _path(unsubscribe_url(user, "digest")).rstrip("/").rsplit("/", 1)[1]
    other = ParticipantFactory()
    payload = {"s": connection.schema_name, "u": other.pk, "k": "digest"}
    forged_payload = signing.b64_encode(json.dumps(payload, separators=(",", ":")).encode())
    forged = forged_payload.decode() + ":" + token.split(":", 1)[1]  # the old signature
    for bad in (token[:-2] + "xx", forged, "n-importe-quoi"):
        response = client_for(town_a).post(f"{PAGE}desabonnement/{bad}/")
        assert response.status_code == 400
        assert "n'est pas valide" in response.content.decode().replace("&#x27;", "'")
    with tenant_context(town_a):
        assert Profile.objects.get(user=user).notify_digest is True
        assert Profile.objects.get(user=other).notify_digest is True


def test_unsubscribe_link_of_town_a_does_nothing_on_town_b(town_a, town_b):
    with tenant_context(town_a):
        resident_a = ParticipantFactory()
        link = _path(unsubscribe_url(resident_a, "replies"))
    with tenant_context(town_b):  # someone else with the same account id in town B
        resident_b = UserFactory(pk=resident_a.pk, email="autre@exemple.fr")
        Profile.objects.create(user=resident_b)

    assert client_for(town_b).get(link).status_code == 400
    response = client_for(town_b).post(link)
    assert response.status_code == 400

    with tenant_context(town_b):
        assert Profile.objects.get(user=resident_b).notify_replies is True
    with tenant_context(town_a):
        assert Profile.objects.get(user=resident_a).notify_replies is True


def test_notify_respects_the_preference_and_the_verified_email(
    in_town_a, django_capture_on_commit_callbacks
):
    from participation.notifications.services import notify

    wants = ParticipantFactory(email="oui@exemple.fr")
    switched_off = ParticipantFactory(email="non@exemple.fr", profile__notify_replies=False)
    unverified = UserFactory(email="pas-verifie@exemple.fr", email_verified_at=None)
    no_profile = UserFactory(email="sans-profil@exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        results = [
            notify(user, "replies", "Sujet", "accounts/emails/verify_email.txt", {"link": "x"})
            for user in (wants, switched_off, unverified, no_profile)
        ]
    assert results == [True, False, False, True]
    assert sent_to("oui@exemple.fr") and sent_to("sans-profil@exemple.fr")
    assert not sent_to("non@exemple.fr") and not sent_to("pas-verifie@exemple.fr")
    assert len(mail.outbox) == 2
    # A text-only content template still gets the town's HTML layout.
    assert mail.outbox[0].alternatives
