"""One set of town schemas per test session; each test runs in a transaction on top of it.

Creating a schema per test made other projects' suites take hours (django-tenants #100): the
towns below are cloned once, after pytest-django has migrated the public and template schemas.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django_tenants.utils import get_public_schema_name

from tenants.hosts import town_host
from tenants.models import Tenant
from tenants.services import platform_tenant_ensure, town_create

TOWN_A = "ville-a"
TOWN_B = "ville-b"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        platform_tenant_ensure()
        for slug, name in ((TOWN_A, "Ville A"), (TOWN_B, "Ville B")):
            town_create(
                slug=slug,
                name=name,
                kind=Tenant.Kind.COMMUNE,
                population=20_000,
                status=Tenant.Status.ACTIVE,
            )


@pytest.fixture(autouse=True)
def _public_schema_after_each_test():
    yield
    if connection.schema_name != get_public_schema_name():
        connection.set_schema_to_public()


@pytest.fixture
def town_a(db) -> Tenant:
    return Tenant.objects.get(slug=TOWN_A)


@pytest.fixture
def town_b(db) -> Tenant:
    return Tenant.objects.get(slug=TOWN_B)


@pytest.fixture
def platform(db) -> Tenant:
    return Tenant.objects.get(schema_name=get_public_schema_name())


def client_for(tenant: Tenant) -> Client:
    """A browser on the town's own host (or the console's host for the platform)."""
    from django.conf import settings

    host = settings.PLATFORM_DOMAIN if tenant.is_platform else town_host(tenant.slug)
    return Client(HTTP_HOST=host)
