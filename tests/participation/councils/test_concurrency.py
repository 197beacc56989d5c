"""Two staff members name a president at the same moment: one is seated, the other is told
the council already has one. Each call runs in a thread of its own with its own connection
(committed); the test removes what it made."""

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from core.errors import ApplicationError
from participation.councils import services
from participation.councils.models import CouncilMember
from participation.models import Space
from tenants.models import Tenant
from tests.conftest import TOWN_A, run_concurrently
from tests.participation.factories import AdminFactory, ComponentFactory, SpaceFactory


@pytest.fixture
def town(django_db_setup, committed_db):
    """Town A, outside any test transaction (the ``town_a`` fixture would open one)."""
    return Tenant.objects.get(slug=TOWN_A)


@pytest.fixture
def committed_council(town):
    with tenant_context(town):
        admins = [AdminFactory(), AdminFactory()]
        space = SpaceFactory(kind=Space.Kind.NEIGHBOURHOOD_COUNCIL, slug="course-presidence")
        council = ComponentFactory(space=space, type_key="councils")
    try:
        yield admins, council
    finally:
        with tenant_context(town):
            space.delete()
            for admin in admins:
                admin.delete()
        connection.set_schema_to_public()


def test_two_presidents_named_at_once_seat_one(committed_council, town):
    admins, council = committed_council

    def name(admin, person: str):
        with tenant_context(town):
            return services.member_add(
                actor=admin, component=council, role=CouncilMember.Role.PRESIDENT, name=person
            )

    results = run_concurrently(
        lambda: name(admins[0], "Sylvie Martin"), lambda: name(admins[1], "Paul Durand")
    )
    seated = [r for r in results if isinstance(r, CouncilMember)]
    refused = [r for r in results if isinstance(r, ApplicationError)]
    assert len(seated) == 1 and len(refused) == 1, results
    assert "déjà un président ou une présidente" in str(refused[0])
    with tenant_context(town):
        presidents = CouncilMember.objects.filter(component=council, role="president")
        assert [m.name for m in presidents] == [seated[0].name]
