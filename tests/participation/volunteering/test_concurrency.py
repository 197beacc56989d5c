"""Two volunteers for the last place at the same moment: the mission row is locked, so one
holds the place and the other waits; a cancellation moves the first of the list up."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.models import User
from participation.models import Space
from participation.volunteering import services
from participation.volunteering.models import Application, Association, Mission
from tenants.models import Tenant
from tests.conftest import TOWN_A, run_concurrently
from tests.participation.factories import ComponentFactory, ParticipantFactory, SpaceFactory


@pytest.fixture
def town(committed_db):
    return Tenant.objects.get(slug=TOWN_A)


@pytest.fixture
def committed_mission(town):
    town_a = town
    with tenant_context(town_a):
        component = ComponentFactory(
            space=SpaceFactory(kind=Space.Kind.VOLUNTEERING_HUB, slug="benevolat-concurrence"),
            type_key="volunteering",
        )
        association = Association.objects.create(
            name="Concurrence",
            slug="concurrence",
            description="-",
            status="validated",
            validated_at=timezone.now(),
        )
        start = timezone.now() + datetime.timedelta(days=2)
        mission = Mission.objects.create(
            component=component,
            association=association,
            title="Dernière place",
            description="-",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            place="Ici",
            places=2,
        )
        users = [ParticipantFactory() for _ in range(3)]
        services.mission_apply(user=users[0], mission=mission)
    yield mission, users
    with tenant_context(town_a):
        component.space.delete()
        association.delete()
        User.objects.filter(pk__in=[u.pk for u in users]).delete()


def test_two_volunteers_for_the_last_place(committed_mission, town):
    town_a = town
    mission, users = committed_mission

    def apply(user):
        def call():
            connection.set_tenant(town_a)
            return services.mission_apply(user=user, mission=mission).status

        return call

    statuses = run_concurrently(apply(users[1]), apply(users[2]))
    assert sorted(statuses) == ["pending", "waitlisted"]
    with tenant_context(town_a):
        mission.refresh_from_db()
        assert mission.status == Mission.Status.FULL
        holder = Application.objects.get(mission=mission, status="pending", volunteer__in=users[1:])
        waiting = Application.objects.get(mission=mission, status="waitlisted")
        services.application_cancel(user=holder.volunteer, application=holder)
        waiting.refresh_from_db()
        assert waiting.status == Application.Status.PENDING
