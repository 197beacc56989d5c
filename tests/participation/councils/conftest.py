import datetime

import pytest
from django.utils import timezone

from participation.councils import services
from participation.models import Official, Space
from tests.participation.factories import AdminFactory, ComponentFactory, SpaceFactory


@pytest.fixture(autouse=True)
def own_media_root(media_root):
    """Minutes are files: each test stores them in its own directory."""
    return media_root


@pytest.fixture
def admin(in_town_a):
    return AdminFactory()


@pytest.fixture
def council(in_town_a):
    space = SpaceFactory(
        kind=Space.Kind.NEIGHBOURHOOD_COUNCIL, title="Conseil de quartier Centre", slug="centre"
    )
    return ComponentFactory(space=space, type_key="councils", title="Le conseil")


@pytest.fixture
def official(in_town_a):
    return Official.objects.create(name="Élise Moreau", title="Adjointe au maire")


def hours_ago(hours: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=hours)


def schedule(admin, council, *, starts_in_hours: float, title: str = "Séance plénière"):
    starts = timezone.now() + datetime.timedelta(hours=starts_in_hours)
    return services.meeting_schedule(
        actor=admin,
        component=council,
        title=title,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="Salle des fêtes",
        agenda="1. Travaux\n2. Fête de quartier",
    )
