"""The network's people: staff of the session's towns (their accounts in each town's schema,
their members through the hand-over's own sync) and the vendor's staff."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.test import Client
from django_tenants.utils import tenant_context

from accounts.models import User
from network.access import SESSION_ENTERED_AT, SESSION_MEMBER
from network.members import member_sync
from network.models import Category, NetworkMember
from tests.factories import UserFactory


def town_account(town, role=User.Role.ADMIN, **fields) -> User:
    with tenant_context(town):
        return UserFactory(role=role, **fields)


def town_member(town, role=User.Role.ADMIN, **fields) -> NetworkMember:
    return member_sync(tenant=town, town_user=town_account(town, role, **fields))


def network_client(member: NetworkMember) -> Client:
    """A browser on the platform's host whose network session is the member's (what the
    hand-over leaves; tests of the hand-over itself go through it)."""
    client = Client(HTTP_HOST=settings.PLATFORM_DOMAIN)
    session = client.session
    session[SESSION_MEMBER] = member.pk
    session[SESSION_ENTERED_AT] = int(time.time())
    session.save()
    return client


@pytest.fixture
def category(db) -> Category:
    return Category.objects.get(slug="budget-participatif")


@pytest.fixture
def member_a(town_a) -> NetworkMember:
    return town_member(town_a, display_name="Claire Martin")


@pytest.fixture
def member_b(town_b) -> NetworkMember:
    return town_member(town_b, User.Role.MODERATOR, display_name="Paul Durand")


@pytest.fixture
def vendor_member(vendor_staff) -> NetworkMember:
    return member_sync(vendor_user=vendor_staff)
