"""The council's public pages: a showcase anyone reads, nothing of a draft space."""

import datetime
import json

import pytest
from django.utils import timezone
from icalendar import Calendar

from participation.councils import services
from participation.councils.models import CouncilMember
from participation.models import Space
from tests.conftest import client_for
from tests.participation.councils.conftest import schedule
from tests.participation.councils.files import PDF, upload
from tests.participation.factories import ComponentFactory

Role = CouncilMember.Role


def url(council, tail: str = "") -> str:
    return f"/espaces/{council.space.slug}/councils/{council.pk}/{tail}"


@pytest.fixture
def showcase(admin, council, official):
    """A council with members, a past meeting with minutes, an upcoming one, a located shop."""
    joined = timezone.localdate() - datetime.timedelta(days=60)
    seat = {"actor": admin, "component": council, "joined_on": joined}
    services.member_add(**seat, role=Role.PRESIDENT, name="Sylvie Martin")
    services.member_add(**seat, role=Role.REFERENT, official=official)
    services.member_add(**seat, role=Role.RESIDENT, name="Paul Durand")
    past = schedule(admin, council, starts_in_hours=-24 * 7, title="Séance de septembre")
    services.meeting_publish_minutes(actor=admin, meeting=past, file=upload("cr.pdf", PDF))
    upcoming = schedule(admin, council, starts_in_hours=24 * 7, title="Séance de décembre")
    shop = services.shop_add(
        actor=admin,
        component=council,
        name="Boulangerie du Lac",
        address="4 place du Pas-du-Lac",
        description="Pain au levain.",
        opening_hours={"tue": "7h-13h, 15h30-19h30"},
        latitude="48.7715",
        longitude="2.0335",
    )
    news = ComponentFactory(space=council.space, type_key="news", title="Actualités du quartier")
    return {"past": past, "upcoming": upcoming, "shop": shop, "news": news}


def test_the_council_page_shows_members_next_meeting_minutes_shops_and_links(
    showcase, council, town_a
):
    page = client_for(town_a).get(url(council))
    assert page.status_code == 200
    html = page.content.decode()
    for text in (
        "Sylvie Martin",
        "Président ou présidente",
        "Élise Moreau</strong>, Adjointe au maire",
        "Paul Durand",
        "Séance de décembre",
        "Salle des fêtes",
        "Boulangerie du Lac",
        "Actualités du quartier",
    ):
        assert text in html
    past = showcase["past"]
    assert f'href="{url(council, f"reunions/{past.pk}/compte-rendu/")}" download' in html
    assert f'data-url="{url(council, "commerces.geojson")}"' in html
    # The next meeting is the upcoming one, not the past one.
    next_meeting = html.split('id="next-meeting"')[1].split("</section>")[0]
    assert "Séance de décembre" in next_meeting
    assert "Séance de septembre" not in next_meeting


def test_the_space_page_shows_the_council_card(showcase, council, town_a):
    page = client_for(town_a).get(f"/espaces/{council.space.slug}/")
    assert f'href="{url(council)}"' in page.content.decode()


def test_minutes_download_as_a_pdf_attachment(showcase, council, town_a):
    past = showcase["past"]
    response = client_for(town_a).get(url(council, f"reunions/{past.pk}/compte-rendu/"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF


def test_a_meeting_without_minutes_has_no_download(showcase, council, town_a):
    upcoming = showcase["upcoming"]
    client = client_for(town_a)
    assert client.get(url(council, f"reunions/{upcoming.pk}/compte-rendu/")).status_code == 404
    page = client.get(url(council, f"reunions/{upcoming.pk}/"))
    assert "Le compte rendu n'est pas encore publié." in page.content.decode()


def test_the_meeting_page_shows_agenda_and_attendance(showcase, admin, council, town_a):
    past = showcase["past"]
    president = CouncilMember.objects.get(component=council, role=Role.PRESIDENT)
    services.meeting_record_attendance(
        actor=admin, meeting=past, present=[president.pk], public_attendance=12
    )
    html = client_for(town_a).get(url(council, f"reunions/{past.pk}/")).content.decode()
    assert "1. Travaux" in html
    assert "Sylvie Martin · Présent" in html
    assert "12 habitants présents en plus des membres." in html


def test_the_shop_page_shows_the_week(showcase, council, town_a):
    shop = showcase["shop"]
    html = client_for(town_a).get(url(council, f"commerces/{shop.pk}/")).content.decode()
    assert '<th scope="row">Mardi</th><td>7 h – 13 h, 15 h 30 – 19 h 30</td>' in html
    assert '<th scope="row">Lundi</th><td>fermé</td>' in html


def test_shops_are_on_the_town_map_and_the_council_s_map(showcase, council, town_a):
    client = client_for(town_a)
    for address in ("/carte/lieux.geojson", url(council, "commerces.geojson")):
        features = json.loads(client.get(address).content)["features"]
        shops = [f for f in features if f["properties"]["kind"] == "shop"]
        assert len(shops) == 1
        assert shops[0]["geometry"]["coordinates"] == [2.0335, 48.7715]
        assert shops[0]["properties"]["url"] == url(council, f"commerces/{showcase['shop'].pk}/")
        assert shops[0]["properties"]["title"] == "Boulangerie du Lac"


def test_the_calendar_feed_lists_every_meeting(showcase, council, town_a):
    response = client_for(town_a).get(url(council, "reunions.ics"))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = {str(event["summary"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {"Séance de septembre", "Séance de décembre"}
    upcoming = showcase["upcoming"]
    assert events["Séance de décembre"].decoded("dtstart") == upcoming.starts_at.replace(
        microsecond=0
    )
    assert str(events["Séance de décembre"]["location"]) == "Salle des fêtes"


def test_a_draft_council_is_not_shown_nor_mapped(showcase, council, town_a):
    Space.objects.filter(pk=council.space_id).update(status=Space.Status.DRAFT)
    client = client_for(town_a)
    assert client.get(url(council)).status_code == 404
    assert (
        client.get(url(council, f"reunions/{showcase['past'].pk}/compte-rendu/")).status_code == 404
    )
    features = json.loads(client.get("/carte/lieux.geojson").content)["features"]
    assert not [f for f in features if f["properties"]["kind"] == "shop"]


def test_a_script_in_a_shop_s_text_is_shown_as_text(admin, council, town_a):
    services.shop_add(
        actor=admin, component=council, name="<script>alert(1)</script>", address="1 rue"
    )
    html = client_for(town_a).get(url(council)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_empty_council_page_says_so(council, town_a):
    html = client_for(town_a).get(url(council)).content.decode()
    assert "Aucune réunion n'est prévue pour le moment." in html
    assert "Aucun compte rendu publié pour le moment." in html
    assert "Aucun commerce présenté pour le moment." in html
