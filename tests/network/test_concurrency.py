"""At the same moment: one token used twice, two first entries of one person, two replies."""

from __future__ import annotations

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from accounts.models import User
from core.errors import NotAllowed
from network import services
from network.handover import handover_consume, handover_issue
from network.members import member_sync
from network.models import Category, HandoverUse, NetworkMember, Thread
from tenants.models import Tenant
from tests.conftest import TOWN_A, run_concurrently
from tests.factories import UserFactory


@pytest.fixture
def town(committed_db) -> Tenant:
    """Town A, outside any test transaction (the threads below must see what is made)."""
    return Tenant.objects.get(slug=TOWN_A)


@pytest.fixture
def committed_admin(town):
    town_a = town
    with tenant_context(town_a):
        user = UserFactory(role=User.Role.ADMIN, display_name="Double Clic")
    connection.set_schema_to_public()
    yield user
    Thread.objects.filter(author__tenant=town_a).delete()
    NetworkMember.objects.filter(tenant=town_a).delete()
    HandoverUse.objects.filter(tenant=town_a).delete()
    with tenant_context(town_a), connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_user WHERE id = %s", [user.pk])


def test_one_token_sent_twice_at_once_opens_one_session(town, committed_admin):
    token = handover_issue(tenant=town, user=committed_admin)
    results = run_concurrently(*(lambda: handover_consume(token=token) for _ in range(2)))
    assert sorted(type(result).__name__ for result in results) == ["NetworkMember", "NotAllowed"]
    assert isinstance(next(r for r in results if not isinstance(r, NetworkMember)), NotAllowed)


def test_two_first_entries_at_once_make_one_member(town, committed_admin):
    tokens = [handover_issue(tenant=town, user=committed_admin) for _ in range(2)]
    results = run_concurrently(
        *(lambda token=token: handover_consume(token=token) for token in tokens)
    )
    assert all(isinstance(result, NetworkMember) for result in results), results
    assert NetworkMember.objects.filter(tenant=town).count() == 1


def test_two_replies_at_once_are_both_counted(town, committed_admin):
    member = member_sync(tenant=town, town_user=committed_admin)
    thread = services.thread_start(
        actor=member, category=Category.objects.first(), title="Course", body="Départ"
    )
    results = run_concurrently(
        *(
            lambda n=n: services.post_reply(actor=member, thread=thread, body=f"Réponse {n}")
            for n in range(2)
        )
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    thread.refresh_from_db()
    assert (thread.reply_count, thread.posts.count()) == (2, 3)
