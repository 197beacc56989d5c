"""The town's back office shows its go-live checklist and its own training sessions."""

import datetime
import html

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from onboarding.training import services
from onboarding.training.models import TrainingSession
from tests.conftest import client_for
from tests.onboarding.training.factories import TrainingInviteeFactory, TrainingSessionFactory
from tests.participation.factories import AdminFactory, ParticipantFactory

DAY = datetime.timedelta(days=1)


def dashboard(town, user=None) -> str:
    client = client_for(town)
    with tenant_context(town):
        client.force_login(user or AdminFactory())
    response = client.get("/gestion/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.fixture
def sessions_of_a(town_a, vendor_staff):
    coming = TrainingSessionFactory(town=town_a, place="Salle Jean Moulin", trainer=vendor_staff)
    services.material_add(
        actor=vendor_staff, session=coming, title="Guide pas à pas", url="https://aide.exemple.fr"
    )
    held = TrainingSessionFactory(
        town=town_a,
        starts_at=timezone.now() - 10 * DAY,
        status=TrainingSession.Status.DONE,
        place="Médiathèque Elsa Triolet",
    )
    TrainingInviteeFactory(session=held, attended=True)
    TrainingInviteeFactory(session=held, attended=True)
    TrainingInviteeFactory(session=held, attended=False)
    return coming, held


def test_the_dashboard_shows_the_checklist_with_links(town_a):
    page = dashboard(town_a)

    assert "Avant l'ouverture du site" in page
    assert '<a href="/gestion/site/theme/">Thème du site défini' in page
    assert '<a href="/gestion/espaces/">Premier espace de participation publié' in page


def test_the_dashboard_lists_the_towns_sessions(town_a, sessions_of_a, vendor_staff):
    page = dashboard(town_a)

    upcoming, past = page.split("Séances passées")
    assert "Salle Jean Moulin" in upcoming
    assert "Guide pas à pas" in upcoming
    assert f"avec {vendor_staff.display_name}" in upcoming
    assert "Médiathèque Elsa Triolet" in past
    assert "2 présent(s) sur 3 invité(s)" in past
    assert "2 personnes de vos équipes formées." in page
    assert 'id="golive-training" data-done="true"' in page


def test_town_b_does_not_see_town_a_sessions(town_a, town_b, sessions_of_a):
    TrainingSessionFactory(town=town_b, place="Maison des associations de B")

    page = dashboard(town_b)

    assert "Maison des associations de B" in page
    assert "Salle Jean Moulin" not in page
    assert "Médiathèque Elsa Triolet" not in page
    assert "Guide pas à pas" not in page
    assert "0 personne" in page
    assert 'id="golive-training" data-done="false"' in page


def test_residents_do_not_see_the_back_office(town_a, sessions_of_a):
    client = client_for(town_a)
    with tenant_context(town_a):
        client.force_login(ParticipantFactory())
    response = client.get("/gestion/")
    assert response.status_code == 403
    assert "Salle Jean Moulin" not in response.content.decode()
