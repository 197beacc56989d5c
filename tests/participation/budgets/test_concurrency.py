"""Fast double clicks: two simultaneous submissions of one voter keep exactly one ballot
(Decidim's budgets were overspent this way: decidim #873, several orders per user, #12553)."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.models import User
from core.errors import ApplicationError
from participation.budgets import services
from participation.budgets.models import Ballot, BallotChoice, Budget, Project
from participation.budgets.services import ballots
from tests.participation.factories import (
    AdminFactory,
    ComponentFactory,
    ParticipantFactory,
    PhaseFactory,
)


@pytest.mark.parametrize("changing", [False, True], ids=["first-ballot", "changed-ballot"])
def test_two_simultaneous_ballots_of_one_voter_store_one(
    django_db_setup, committed_db, monkeypatch, changing
):
    """A first ballot is inserted without the profile lock (the unique index makes the second
    INSERT wait, then yield to the lock-and-replace path); a change takes the lock."""
    from tenants.models import Tenant
    from tests.conftest import TOWN_A

    town_a = Tenant.objects.get(slug=TOWN_A)
    with tenant_context(town_a):
        admin, voter = AdminFactory(), ParticipantFactory()
        component = ComponentFactory(type_key="budgets")
        budget = services.budget_create(
            actor=admin, component=component, title="Concurrence", amount=100, max_projects=2
        )
        project_ids = [
            services.project_add(actor=admin, budget=budget, title=f"P{n}", cost=40).pk
            for n in range(4)
        ]
        PhaseFactory(
            component=component,
            kind="vote",
            starts_at=timezone.now() - datetime.timedelta(days=1),
            ends_at=timezone.now() + datetime.timedelta(days=1),
        )
        if changing:
            services.ballot_cast(voter=voter, budget=budget, choices=[project_ids[0]])
    picks = {0: project_ids[:2], 1: project_ids[2:]}
    attempts: list[int] = []
    insert_first_ballot = ballots.insert_first_ballot

    def counted(*args, **kwargs):
        attempts.append(1)
        return insert_first_ballot(*args, **kwargs)

    monkeypatch.setattr(ballots, "insert_first_ballot", counted)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    errors: list[str] = []

    def submit(n: int) -> None:
        try:
            with tenant_context(town_a):
                user = User.objects.select_related("profile").get(pk=voter.pk)
                own = Budget.objects.get(pk=budget.pk)
                barrier.wait(timeout=10)
                outcomes.append(services.ballot_cast(voter=user, budget=own, choices=picks[n]))
        except ApplicationError as exc:
            errors.append(str(exc))
        finally:
            connection.close()

    try:
        threads = [threading.Thread(target=submit, args=(n,)) for n in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert errors == []
        assert len(outcomes) == 2
        # The unique index or the profile lock serialised them: no write had to be retried
        # after a constraint violation (the second submission found and replaced the first
        # ballot; each attempt starts with the first-ballot INSERT).
        assert len(attempts) == 2
        with tenant_context(town_a):
            ballot = Ballot.objects.get(budget_id=budget.pk)
            chosen = sorted(
                BallotChoice.objects.filter(ballot__budget_id=budget.pk).values_list(
                    "project_id", flat=True
                )
            )
            # Exactly one of the two submissions, never a mix of both.
            assert chosen in (sorted(picks[0]), sorted(picks[1]))
            assert ballot.receipt in outcomes
    finally:
        with tenant_context(town_a):
            Project.objects.filter(budget_id=budget.pk).delete()
            component.space.delete()
            User.objects.filter(pk__in=[admin.pk, voter.pk]).delete()
