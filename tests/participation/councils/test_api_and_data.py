"""The read-only API, the dashboard's figures and the resident's GDPR export."""

import datetime

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from participation.councils import services
from participation.councils.models import CouncilMember
from participation.models import Space
from participation.privacy.services import personal_data
from participation.registry import registry
from tests.conftest import client_for
from tests.factories import api_key_for
from tests.participation.councils.conftest import schedule
from tests.participation.councils.files import PDF, upload
from tests.participation.factories import AdminFactory, ParticipantFactory

Role = CouncilMember.Role


def api_url(council, tail: str = "") -> str:
    return f"/api/v1/espaces/{council.space.slug}/councils/{council.pk}/{tail}"


@pytest.fixture
def camille(in_town_a):
    return ParticipantFactory(display_name="Camille")


@pytest.fixture
def filled(admin, council, official, camille):
    joined = timezone.localdate() - datetime.timedelta(days=30)
    seat = {"actor": admin, "component": council, "joined_on": joined}
    president = services.member_add(**seat, role=Role.PRESIDENT, account=camille)
    services.member_add(**seat, role=Role.REFERENT, official=official)
    past = schedule(admin, council, starts_in_hours=-48, title="Séance passée")
    services.meeting_publish_minutes(actor=admin, meeting=past, file=upload("cr.pdf", PDF))
    services.meeting_record_attendance(
        actor=admin, meeting=past, present=[president.pk], public_attendance=10
    )
    schedule(admin, council, starts_in_hours=72, title="Séance à venir")
    services.shop_add(
        actor=admin,
        component=council,
        name="La Page",
        address="21 av.",
        opening_hours={"sat": "10h-19h"},
        latitude="48.77",
        longitude="2.03",
    )
    return {"past": past, "president": president}


def test_the_council_endpoint_gives_members_and_the_next_meeting(filled, council, town_a):
    body = client_for(town_a).get(api_url(council)).json()
    assert body["title"] == council.title
    assert [(m["name"], m["role"]) for m in body["members"]] == [
        ("Camille", "president"),
        ("Élise Moreau", "referent"),
    ]
    assert body["members"][1]["official"]["title"] == "Adjointe au maire"
    assert body["next_meeting"]["title"] == "Séance à venir"
    assert body["next_meeting"]["minutes_url"] is None


def test_meetings_and_shops_endpoints(filled, council, town_a):
    client = client_for(town_a)
    meetings = client.get(api_url(council, "reunions/")).json()["results"]
    assert [m["title"] for m in meetings] == ["Séance à venir", "Séance passée"]
    past = meetings[1]
    assert past["minutes_url"].endswith(f"/reunions/{filled['past'].pk}/compte-rendu/")
    assert (past["members_present"], past["public_attendance"]) == (1, 10)
    shops = client.get(api_url(council, "commerces/")).json()["results"]
    assert shops[0]["opening_hours"]["sat"] == [["10:00", "19:00"]]
    assert shops[0]["opening_hours"]["mon"] == []
    assert (shops[0]["latitude"], shops[0]["longitude"]) == ("48.770000", "2.030000")


def test_the_api_is_read_only(filled, council, town_a):
    with tenant_context(town_a):
        key = api_key_for(AdminFactory())
    client = client_for(town_a)
    for tail in ("", "reunions/", "commerces/"):
        response = client.post(
            api_url(council, tail), {"name": "X"}, HTTP_AUTHORIZATION=f"Token {key}"
        )
        assert response.status_code == 405


def test_a_draft_council_is_a_404_for_residents(filled, council, town_a):
    Space.objects.filter(pk=council.space_id).update(status=Space.Status.DRAFT)
    assert client_for(town_a).get(api_url(council)).status_code == 404


def test_another_town_s_host_does_not_know_the_council(filled, council, town_b):
    assert client_for(town_b).get(api_url(council)).status_code == 404


def test_statistics_for_the_dashboard(filled, council):
    figures = registry.get("councils").statistics(council)
    assert figures == {
        "members": 2,
        "meetings_held": 1,
        "meetings_upcoming": 1,
        "minutes_published": 1,
        "average_members_present": 1.0,
        "average_public_attendance": 10.0,
        "shops": 1,
    }


def test_the_gdpr_export_tells_a_resident_their_seats_and_attendance(filled, council, camille):
    data = personal_data(camille)["modules"]["councils"]
    assert data["memberships"] == [
        {
            "component_id": council.pk,
            "council": council.space.title,
            "role": "president",
            "joined_on": (timezone.localdate() - datetime.timedelta(days=30)).isoformat(),
            "left_on": None,
        }
    ]
    assert [(a["meeting"], a["status"]) for a in data["attendance"]] == [
        ("Séance passée", "present")
    ]
    assert personal_data(ParticipantFactory())["modules"]["councils"] == {
        "memberships": [],
        "attendance": [],
    }


def test_a_deleted_account_leaves_no_seat(filled, council, camille):
    camille.delete()
    assert not CouncilMember.objects.filter(component=council, role=Role.PRESIDENT).exists()
    assert CouncilMember.objects.filter(component=council, role=Role.REFERENT).exists()
