"""The demo towns' councils: Montigny shows two, each with its members, meetings with minutes,
local news and shops on the map."""

from decimal import Decimal

from core import files
from onboarding.demo import DEMO_TOWNS
from participation.councils.models import CouncilMember, Meeting, Shop
from participation.demo import demo_content_seed
from participation.maps import town_map_points
from participation.models import Official, Space
from tests.participation.factories import AdminFactory, ParticipantFactory


def test_montigny_seeds_two_councils_each_with_its_own_content(in_town_a, media_root):
    montigny = next(town for town in DEMO_TOWNS if town.slug == "montigny")
    demo_content_seed(
        admin=AdminFactory(),
        residents=[ParticipantFactory(), ParticipantFactory()],
        centre=(Decimal("48.7715"), Decimal("2.0335")),
        extra_spaces=montigny.extra_spaces,
    )
    councils = Space.objects.filter(kind=Space.Kind.NEIGHBOURHOOD_COUNCIL).order_by("pk")
    assert [space.title for space in councils] == [
        "Conseil de quartier Centre-ville",
        "Conseil de quartier Pas-du-Lac",
    ]
    assert [space.neighbourhood.name for space in councils] == ["Centre-ville", "Pas-du-Lac"]
    presidents = []
    for space in councils:
        assert set(space.components.values_list("type_key", flat=True)) >= {"councils", "news"}
        council = space.components.get(type_key="councils")
        seats = CouncilMember.objects.filter(component=council)
        assert set(seats.values_list("role", flat=True)) == {
            "president",
            "secretary",
            "referent",
            "resident",
        }
        presidents.append(seats.get(role="president").display_name)
        minutes = Meeting.objects.filter(component=council).exclude(minutes="")
        assert minutes.count() == 2
        for meeting in minutes:
            with meeting.minutes.open("rb") as handle:
                assert files.sniff_content_type(handle) == files.PDF
            assert meeting.attendance_recorded_at is not None
        assert Meeting.objects.filter(component=council, minutes="").count() == 2
        assert Shop.objects.filter(component=council, latitude__isnull=False).exists()
    assert presidents == ["Sylvie Martin", "Nadia Benali"]
    shops_on_map = [point for point in town_map_points() if point.kind == "shop"]
    assert {point.space for point in shops_on_map} == {space.title for space in councils}
    # The referents are the town's own officials (one is made only when the town has none).
    referents = CouncilMember.objects.filter(role="referent", official__isnull=False)
    assert referents.count() == 2
    assert set(referents.values_list("official", flat=True)) <= set(
        Official.objects.values_list("pk", flat=True)
    )
