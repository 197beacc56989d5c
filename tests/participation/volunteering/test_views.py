"""The pages without JavaScript: bad input gets its message on the form, nothing is saved."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from participation.volunteering.demo import volunteering_seed
from participation.volunteering.models import Association, Event, Mission
from tests.conftest import client_for
from tests.participation.factories import ParticipantFactory

from .factories import HubFactory, MembershipFactory, MissionFactory

pytestmark = pytest.mark.usefixtures("in_town_a")


def signed_in(town, user):
    client = client_for(town)
    client.force_login(user)
    return client


def test_an_rna_of_the_wrong_shape_is_shown_on_the_form(town_a):
    hub = HubFactory()
    url = reverse("volunteering:association_register", args=[hub.space.slug, hub.pk])
    page = signed_in(town_a, ParticipantFactory()).post(
        url, {"name": "Les Amis", "description": "Texte", "rna": "W12"}
    )
    assert page.status_code == 400
    assert "W suivi de 9 chiffres (par exemple W512345678)" in page.content.decode()
    assert not Association.objects.exists()


def test_a_mission_ending_before_it_starts_is_refused_on_the_form(town_a):
    membership = MembershipFactory()
    hub = HubFactory()
    url = reverse(
        "volunteering:mission_new", args=[hub.space.slug, hub.pk, membership.association.slug]
    )
    start = timezone.localtime() + datetime.timedelta(days=2)
    data = {
        "title": "Collecte",
        "description": "Aider",
        "schedule": "one_off",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "place": "Halle",
        "places": "3",
        "min_age": "0",
    }
    client = signed_in(town_a, membership.user)
    page = client.post(url, data)
    assert page.status_code == 400
    assert "La mission doit se terminer après son début." in page.content.decode()
    assert not Mission.objects.exists()
    page = client.post(
        url,
        {
            **data,
            "places": "0",
            "ends_at": (start + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert "Indiquez au moins un bénévole recherché." in page.content.decode()
    assert not Mission.objects.exists()


def test_applying_to_a_closed_mission_says_why(town_a):
    mission = MissionFactory(status=Mission.Status.CLOSED)
    url = reverse(
        "volunteering:apply", args=[mission.component.space.slug, mission.component.pk, mission.pk]
    )
    page = signed_in(town_a, ParticipantFactory()).post(url, {"message": ""})
    assert page.status_code == 400
    assert "accepte plus de candidatures." in page.content.decode()


def test_the_demo_seeds_a_dozen_associations_with_missions_and_events(town_a):
    hub = HubFactory()
    volunteering_seed(hub)
    assert Association.objects.filter(status="validated").count() == 12
    assert Mission.objects.filter(component=hub).count() == 12
    assert Event.objects.filter(component=hub).exists()
    page = client_for(town_a).get(reverse("volunteering:missions", args=[hub.space.slug, hub.pk]))
    assert page.content.decode().count('class="card"') == 12
