"""Celery tasks run in the schema of the town that sent them.

The first tests use a real worker process on the real Redis broker (what they check lives in the
broker's messages: the schema each task carries); what they write is committed, so that the
worker sees it, and removed in `finally` blocks. The last ones run the service in-process.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, tenant_context

from accounts.models import User
from participation.usage.models import UsageSnapshot
from participation.usage.services import usage_snapshot_take
from participation.usage.tasks import snapshot_take
from tenants.models import Tenant
from tenants.services import town_set_status
from tenants.tasks import dispatch_to_towns
from tests.conftest import TOWN_A, TOWN_B
from tests.factories import UserFactory

DEADLINE_SECONDS = 30


def _wait_until(predicate: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"délai dépassé : {what}")
        time.sleep(0.2)


def _snapshot_of_today(tenant: Tenant) -> UsageSnapshot | None:
    with tenant_context(tenant):
        return UsageSnapshot.objects.filter(day=timezone.localdate()).first()


def _delete_snapshots(*tenants: Tenant) -> None:
    for tenant in tenants:
        with tenant_context(tenant):
            UsageSnapshot.objects.all().delete()


def _citizens(tenant: Tenant, count: int, created: list[tuple[Tenant, int]]) -> None:
    with tenant_context(tenant):
        for _ in range(count):
            created.append((tenant, UserFactory().pk))


def _delete_users(created: list[tuple[Tenant, int]]) -> None:
    for tenant, pk in created:
        with tenant_context(tenant):
            User.objects.filter(pk=pk).delete()


def _citizen_count(tenant: Tenant) -> int:
    with tenant_context(tenant):
        return User.objects.filter(role=User.Role.CITIZEN, is_active=True).count()


def _towns() -> tuple[Tenant, Tenant]:
    return Tenant.objects.get(slug=TOWN_A), Tenant.objects.get(slug=TOWN_B)


@pytest.mark.celery_worker
def test_task_sent_from_town_a_runs_in_town_a(real_worker):
    town_a, town_b = _towns()
    _delete_snapshots(town_a, town_b)
    try:
        with tenant_context(town_a):
            snapshot_take.delay()

        _wait_until(lambda: _snapshot_of_today(town_a) is not None, "relevé de Ville A")

        assert _snapshot_of_today(town_a).population == town_a.population
        assert _snapshot_of_today(town_b) is None
    finally:
        _delete_snapshots(town_a, town_b)


@pytest.mark.celery_worker
def test_dispatch_from_public_takes_each_towns_own_snapshot(real_worker):
    town_a, town_b = _towns()
    created: list[tuple[Tenant, int]] = []
    _delete_snapshots(town_a, town_b)
    try:
        _citizens(town_a, 2, created)
        _citizens(town_b, 5, created)
        expected = {town_a.pk: _citizen_count(town_a), town_b.pk: _citizen_count(town_b)}
        assert expected[town_b.pk] - expected[town_a.pk] == 3
        assert connection.schema_name == get_public_schema_name()

        dispatch_to_towns.delay("usage.snapshot_take")

        for town in (town_a, town_b):
            _wait_until(lambda town=town: _snapshot_of_today(town) is not None, town.name)
            snapshot = _snapshot_of_today(town)
            assert snapshot.registered_citizens == expected[town.pk], town.name
            assert snapshot.verified_citizens == expected[town.pk], town.name
            assert snapshot.population == town.population
    finally:
        _delete_snapshots(town_a, town_b)
        _delete_users(created)


@pytest.mark.celery_worker
def test_dispatch_skips_a_suspended_town(real_worker):
    town_a, town_b = _towns()
    _delete_snapshots(town_a, town_b)
    try:
        town_set_status(tenant=town_b, status=Tenant.Status.SUSPENDED)

        dispatch_to_towns.delay("usage.snapshot_take")
        _wait_until(lambda: _snapshot_of_today(town_a) is not None, "relevé de Ville A")
        # The worker takes one task at a time, in order: once a task sent after the fan-out has
        # run, any copy the dispatcher had queued for town B would have run too.
        _delete_snapshots(town_a)
        with tenant_context(town_a):
            snapshot_take.delay()
        _wait_until(lambda: _snapshot_of_today(town_a) is not None, "second relevé de Ville A")

        assert _snapshot_of_today(town_b) is None
    finally:
        town_set_status(tenant=town_b, status=Tenant.Status.ACTIVE)
        _delete_snapshots(town_a, town_b)
    assert Tenant.objects.get(pk=town_b.pk).status == Tenant.Status.ACTIVE


def test_dispatch_counts_only_served_towns(town_a, town_b):
    """In-process: the dispatcher sends one copy per served town (eager mode runs them here)."""
    served = Tenant.objects.exclude(kind=Tenant.Kind.PLATFORM).filter(
        status__in=Tenant.SERVED_STATUSES
    )
    assert dispatch_to_towns("usage.snapshot_take") == served.count()
    assert _snapshot_of_today(town_b) is not None

    town_set_status(tenant=town_b, status=Tenant.Status.ARCHIVED)
    _delete_snapshots(town_a, town_b)

    assert dispatch_to_towns("usage.snapshot_take") == served.count()
    assert _snapshot_of_today(town_a) is not None
    assert _snapshot_of_today(town_b) is None


def test_usage_snapshot_take_counts_active_citizens_once_a_day(town_a):
    with tenant_context(town_a):
        UserFactory()
        UserFactory()
        UserFactory(email_verified_at=None)
        UserFactory(is_active=False)
        UserFactory(role=User.Role.MODERATOR)
        UserFactory(role=User.Role.ADMIN)

        first = usage_snapshot_take()

        assert first.day == timezone.localdate()
        assert first.registered_citizens == 3
        assert first.verified_citizens == 2
        assert first.population == 20_000
        assert first.registered_share == pytest.approx(3 / 20_000)

        UserFactory()
        again = usage_snapshot_take()

        assert again.pk == first.pk
        assert UsageSnapshot.objects.count() == 1
        assert again.registered_citizens == 4
        assert again.verified_citizens == 3

        yesterday = usage_snapshot_take(day=timezone.localdate() - datetime.timedelta(days=1))
        assert yesterday.pk != first.pk
        assert UsageSnapshot.objects.count() == 2
        assert list(UsageSnapshot.objects.values_list("day", flat=True)) == [
            timezone.localdate(),
            timezone.localdate() - datetime.timedelta(days=1),
        ]


def test_usage_snapshot_take_counts_only_the_current_town(town_a, town_b):
    with tenant_context(town_a):
        UserFactory()
    with tenant_context(town_b):
        for _ in range(4):
            UserFactory()
        assert usage_snapshot_take().registered_citizens == 4
    with tenant_context(town_a):
        assert usage_snapshot_take().registered_citizens == 1


def test_registered_share_without_population_is_none():
    assert UsageSnapshot(registered_citizens=5, population=0).registered_share is None
    assert UsageSnapshot(registered_citizens=5, population=1_000).registered_share == 0.005


def test_snapshot_task_runs_in_process_in_the_current_town(town_a):
    with tenant_context(town_a):
        UserFactory()
        snapshot_take.delay()
        assert UsageSnapshot.objects.get().registered_citizens == 1
    with tenant_context(Tenant.objects.get(slug=TOWN_B)):
        assert not UsageSnapshot.objects.exists()
