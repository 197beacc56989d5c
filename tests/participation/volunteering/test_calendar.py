"""The iCalendar feeds parse with the ``icalendar`` package and hold events and missions."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from tests.conftest import client_for


def _summaries(content: bytes) -> set[str]:
    calendar = Calendar.from_ical(content)
    return {str(item["summary"]) for item in calendar.walk("VEVENT")}


@pytest.mark.parametrize("feed", ["town", "association"])
def test_the_feed_holds_the_events_and_the_missions(hub_world, town_a, feed):
    hub, association = hub_world["hub"], hub_world["association"]
    args = [hub.space.slug, hub.pk]
    url = (
        reverse("volunteering:agenda_ics", args=args)
        if feed == "town"
        else reverse("volunteering:association_ics", args=[*args, association.slug])
    )
    response = client_for(town_a).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert _summaries(response.content) == {"Portes ouvertes", hub_world["mission"].title}


def test_the_agenda_month_view_lists_them_with_filters(hub_world, town_a):
    hub = hub_world["hub"]
    url = reverse("volunteering:agenda", args=[hub.space.slug, hub.pk])
    html = client_for(town_a).get(url).content.decode()
    assert hub_world["mission"].title in html
    other = client_for(town_a).get(url + "?category=sport").content.decode()
    assert hub_world["mission"].title not in other


def test_the_certificate_is_a_pdf_of_the_hours(hub_world, town_a):
    hub = hub_world["hub"]
    client = client_for(town_a)
    client.force_login(hub_world["volunteer"])
    response = client.get(reverse("volunteering:certificate", args=[hub.space.slug, hub.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
