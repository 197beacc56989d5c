"""The council's public pages and API cost a fixed number of SQL queries, whatever the number
of members, meetings, attendances and shops (the budget of tests/participation/
test_query_counts.py: 15, the tenant middleware's Domain lookup included)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from participation.councils import services
from participation.councils.models import CouncilMember
from tests.conftest import client_for
from tests.participation.councils.conftest import schedule
from tests.participation.councils.files import PDF, upload
from tests.participation.factories import ComponentFactory, ParticipantFactory

MAX_QUERIES = 15


def _fill(admin, council, official, size: int) -> int:
    joined = timezone.localdate() - datetime.timedelta(days=90)
    seat = {"actor": admin, "component": council, "joined_on": joined}
    services.member_add(**seat, role=CouncilMember.Role.REFERENT, official=official)
    members = [
        services.member_add(**seat, role=CouncilMember.Role.RESIDENT, account=ParticipantFactory())
        for _ in range(size)
    ]
    ComponentFactory(space=council.space, type_key="news")
    held = []
    for n in range(size):
        meeting = schedule(admin, council, starts_in_hours=-24 * (n + 1))
        held.append(meeting)
        services.meeting_record_attendance(
            actor=admin, meeting=meeting, present=[m.pk for m in members]
        )
        schedule(admin, council, starts_in_hours=24 * (n + 1))
        services.shop_add(
            actor=admin,
            component=council,
            name=f"Commerce {n}",
            address=f"{n} rue",
            latitude="48.77",
            longitude="2.03",
        )
    # The latest meeting's minutes: the council page finds them among the past it lists.
    services.meeting_publish_minutes(actor=admin, meeting=held[0], file=upload("cr.pdf", PDF))
    return held[0].pk


def _counts(town, council, meeting_id) -> dict[str, int]:
    base = f"/espaces/{council.space.slug}/councils/{council.pk}/"
    api = f"/api/v1/espaces/{council.space.slug}/councils/{council.pk}/"
    client = client_for(town)
    counts = {}
    for page in (
        base,
        f"{base}reunions/",
        f"{base}reunions/{meeting_id}/",
        f"{base}reunions.ics",
        f"{base}commerces.geojson",
        api,
        f"{api}reunions/",
        f"{api}commerces/",
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200, page
        counts[page] = len(queries)
    return counts


@pytest.mark.parametrize("size", [1, 6])
def test_pages_cost_a_fixed_number_of_queries(admin, council, official, town_a, size):
    meeting_id = _fill(admin, council, official, size)
    counts = _counts(town_a, council, meeting_id)
    assert max(counts.values()) <= MAX_QUERIES, counts


def test_more_items_cost_no_more_queries(admin, council, official, town_a, in_town_a):
    small = _counts(town_a, council, _fill(admin, council, official, 1))
    big_council = ComponentFactory(space__slug="grand", type_key="councils")
    big = _counts(town_a, big_council, _fill(admin, big_council, official, 6))
    assert list(small.values()) == list(big.values())
