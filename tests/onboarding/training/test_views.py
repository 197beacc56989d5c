"""The console's training pages: who may open them, and the forms as staff use them."""

import datetime
import html
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.urls import set_urlconf
from django.utils import timezone

from accounts.models import User
from console.hooks import town_page_sections
from console.models import AuditEntry
from onboarding.training import services
from onboarding.training.models import TrainingInvitee, TrainingMaterial, TrainingSession
from onboarding.training.sharing import material_link
from tests.factories import UserFactory
from tests.onboarding.training import files
from tests.onboarding.training.factories import TrainingInviteeFactory, TrainingSessionFactory

DAY = datetime.timedelta(days=1)


def text(response) -> str:
    return html.unescape(response.content.decode())


def local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def session(town_a, vendor_staff):
    return TrainingSessionFactory(town=town_a, trainer=vendor_staff)


@pytest.fixture
def material(session, vendor_staff):
    return services.material_add(actor=vendor_staff, session=session, file=files.pdf())


def _pages(session, material) -> list[tuple[str, str]]:
    base = f"/formations/{session.pk}"
    return [
        ("get", "/formations/"),
        ("get", "/formations/planifier/"),
        ("get", f"{base}/"),
        ("get", f"{base}/modifier/"),
        ("get", f"{base}/supports/{material.pk}/"),
        ("post", f"{base}/invites/"),
        ("post", f"{base}/presences/"),
        ("post", f"{base}/annuler/"),
        ("post", f"{base}/supports/"),
    ]


def _visitor(kind: str) -> Client:
    client = Client(HTTP_HOST="localhost")
    if kind == "public_account":
        client.force_login(UserFactory(email="quelquun@exemple.fr"))
    elif kind == "staff_without_code":
        client.force_login(UserFactory(email="sans-code@agora.test", role=User.Role.VENDOR_STAFF))
    return client


@pytest.mark.parametrize(
    ("visitor", "sent_to"),
    [
        ("anonymous", "/compte/connexion/"),
        ("public_account", "/compte/connexion/"),
        ("staff_without_code", "/double-authentification/sans-appareil/"),
    ],
)
def test_only_verified_vendor_staff_reach_the_pages(session, material, visitor, sent_to):
    client = _visitor(visitor)
    for method, url in _pages(session, material):
        response = getattr(client, method)(url, {"name": "X", "email": "x@ville.fr"})
        assert response.status_code == 302, url
        assert response["Location"].startswith(sent_to), url
    session.refresh_from_db()
    assert session.status == TrainingSession.Status.PLANNED
    assert not session.invitees.exists()
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["training.material_added"]


def test_staff_open_every_page(console_client, session, material):
    for method, url in _pages(session, material):
        if method == "get":
            assert console_client.get(url).status_code == 200, url


def test_the_list_shows_upcoming_and_past_and_filters_by_town(
    console_client, town_a, town_b, session
):
    TrainingSessionFactory(
        town=town_b, starts_at=timezone.now() - 3 * DAY, status=TrainingSession.Status.DONE
    )

    page = text(console_client.get("/formations/"))
    assert "Ville A" in page and "Ville B" in page
    upcoming, past = page.split("Passées")
    assert "Ville A" in upcoming and "Ville B" in past
    assert "Formations" in page  # the console's navigation names the section

    filtered = text(console_client.get("/formations/", {"collectivite": "ville-b"}))
    assert '<option value="ville-b" selected>' in filtered
    assert "<td>Ville A</td>" not in filtered


def test_planning_from_the_form(console_client, vendor_staff, town_a):
    starts_at = timezone.now() + 12 * DAY
    form = {
        "town": "ville-a",
        "starts_at": local(starts_at),
        "duration_minutes": "90",
        "format": "remote",
        "video_url": "https://visio.example.fr/salle",
        "trainer": vendor_staff.pk,
        "topics": "Premiers pas",
    }

    response = console_client.post("/formations/planifier/", form)

    session = TrainingSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/formations/{session.pk}/"
    assert (session.town, session.video_url, session.duration_minutes) == (
        town_a,
        "https://visio.example.fr/salle",
        90,
    )
    assert "Séance planifiée" in text(console_client.get(response["Location"]))


def test_the_plan_form_shows_the_services_refusal(console_client, vendor_staff, town_a):
    response = console_client.post(
        "/formations/planifier/",
        {
            "town": "ville-a",
            "starts_at": local(timezone.now() - DAY),
            "duration_minutes": "90",
            "format": "on_site",
            "place": "Mairie",
            "trainer": vendor_staff.pk,
            "topics": "Premiers pas",
        },
    )
    assert response.status_code == 400
    assert "La date de la séance est passée." in text(response)
    assert not TrainingSession.objects.exists()


def test_the_plan_form_preselects_the_town(console_client, town_a):
    page = text(console_client.get("/formations/planifier/", {"collectivite": "ville-a"}))
    assert '<option value="ville-a" selected>' in page


def test_editing_a_session(console_client, session, vendor_staff):
    response = console_client.post(
        f"/formations/{session.pk}/modifier/",
        {
            "starts_at": local(session.starts_at),
            "duration_minutes": "60",
            "format": "on_site",
            "place": "Médiathèque",
            "trainer": vendor_staff.pk,
            "topics": "Premiers pas",
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.place, session.duration_minutes) == ("Médiathèque", 60)


def test_inviting_from_the_session_page(
    console_client, session, mailoutbox, django_capture_on_commit_callbacks
):
    url = f"/formations/{session.pk}/invites/"
    with django_capture_on_commit_callbacks(execute=True):
        response = console_client.post(
            url, {"name": "Léa Martin", "email": "lea@ville-a.fr", "service": "Culture"}
        )
    assert response.status_code == 302
    assert [mail.to for mail in mailoutbox] == [["lea@ville-a.fr"]]

    duplicate = console_client.post(url, {"name": "Léa", "email": "LEA@ville-a.fr"})
    assert duplicate.status_code == 400
    assert "lea@ville-a.fr est déjà invité(e) à cette séance." in text(duplicate).lower()

    invalid = console_client.post(url, {"name": "Léa", "email": "lea@"})
    assert invalid.status_code == 400
    assert "n'est pas une adresse e-mail valide" in text(invalid)
    assert session.invitees.count() == 1
    assert "Léa Martin" in text(console_client.get(f"/formations/{session.pk}/"))


def test_removing_an_invitee_from_the_page(console_client, session):
    invitee = TrainingInviteeFactory(session=session)
    response = console_client.post(f"/formations/{session.pk}/invites/{invitee.pk}/retirer/")
    assert response.status_code == 302
    assert not TrainingInvitee.objects.exists()


def test_attendance_form_checkboxes(console_client, town_a):
    session = TrainingSessionFactory(town=town_a, starts_at=timezone.now() - DAY)
    came, missed = TrainingInviteeFactory.create_batch(2, session=session)
    page = text(console_client.get(f"/formations/{session.pk}/"))
    assert page.count('type="checkbox" name="present"') == 2

    response = console_client.post(f"/formations/{session.pk}/presences/", {"present": [came.pk]})

    assert response.status_code == 302
    came.refresh_from_db()
    missed.refresh_from_db()
    assert (came.attended, missed.attended) == (True, False)
    assert "Réalisée" in text(console_client.get(f"/formations/{session.pk}/"))


def test_attendance_before_the_start_is_refused_on_the_page(console_client, session):
    invitee = TrainingInviteeFactory(session=session)
    page = text(console_client.get(f"/formations/{session.pk}/"))
    assert "Les présences se notent à partir du début de la séance." in page

    response = console_client.post(
        f"/formations/{session.pk}/presences/", {"present": [invitee.pk]}
    )
    assert response.status_code == 400
    assert "pas encore commencé" in text(response)


def test_cancelling_from_the_page(console_client, session):
    response = console_client.post(f"/formations/{session.pk}/annuler/")
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == TrainingSession.Status.CANCELLED
    again = console_client.post(f"/formations/{session.pk}/annuler/", follow=True)
    assert "Cette séance est annulée." in text(again)


def test_uploading_and_downloading_a_material(console_client, session):
    response = console_client.post(
        f"/formations/{session.pk}/supports/", {"title": "Diaporama", "file": files.pptx()}
    )
    assert response.status_code == 302
    material = TrainingMaterial.objects.get()

    download = console_client.get(f"/formations/{session.pk}/supports/{material.pk}/")
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == Path(material.file.path).read_bytes()

    refused = console_client.post(
        f"/formations/{session.pk}/supports/", {"title": "Piège", "file": files.html()}
    )
    assert refused.status_code == 400
    assert "n'est pas accepté" in text(refused)
    assert TrainingMaterial.objects.count() == 1


def test_a_shared_link_serves_the_file_without_an_account(material):
    path = urlsplit(material_link(material)).path

    response = Client(HTTP_HOST="localhost").get(path)

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    tampered = path.replace("/partage/", "/partage/x")
    assert Client(HTTP_HOST="localhost").get(tampered).status_code == 404


@pytest.fixture
def console_urls():
    """URLs reversed as on the console's host (what the tenant middleware sets there)."""
    set_urlconf(settings.PUBLIC_SCHEMA_URLCONF)
    yield
    set_urlconf(None)


def test_the_console_town_section(town_a, session, console_urls):
    TrainingInviteeFactory(session=session)
    held = TrainingSessionFactory(
        town=town_a, starts_at=timezone.now() - DAY, status=TrainingSession.Status.DONE
    )
    TrainingInviteeFactory.create_batch(2, session=held, attended=True)
    # As the console's town page renders what onboarding and training registered there.
    rendered = Template(
        "{% load parts %}{% for part in sections %}{% render_part part %}{% endfor %}"
    ).render(Context({"sections": town_page_sections(town_a), "tenant": town_a}))

    assert "Avant l'ouverture du site" in rendered
    assert 'id="golive-theme" data-done="false"' in rendered
    assert 'id="golive-training" data-done="true"' in rendered
    assert f'href="/formations/{session.pk}/"' in rendered
    assert "/formations/planifier/?collectivite=ville-a" in rendered
    assert "2 personnes formées." in rendered
