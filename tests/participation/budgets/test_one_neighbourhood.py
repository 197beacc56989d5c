"""A resident votes for one neighbourhood per campaign: a neighbourhood changed in one's own
profile while the vote is open opens no other neighbourhood's ballot (the page, the API and
the service say so alike), even for two ballots sent at once on two connections."""

import datetime
import re
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.models import User
from core.errors import ApplicationError, NotAllowed
from core.rules import why_not
from participation import services as participation_services
from participation.budgets import services
from participation.budgets.models import Ballot, Budget, NeighbourhoodVoter, Project
from tests.participation.budgets.conftest import ids
from tests.participation.budgets.test_views import browser_for, url
from tests.participation.factories import (
    AdminFactory,
    ComponentFactory,
    NeighbourhoodFactory,
    ParticipantFactory,
    PhaseFactory,
)

HELD = "Vous votez déjà pour le quartier « Nord » dans cette campagne"


@pytest.fixture
def nord(in_town_a):
    return NeighbourhoodFactory(name="Nord")


@pytest.fixture
def sud(in_town_a):
    return NeighbourhoodFactory(name="Sud")


@pytest.fixture
def two_quarters(make_budget, vote_phase, nord, sud):
    return make_budget(title="Nord", neighbourhood=nord), make_budget(
        title="Sud", neighbourhood=sud
    )


def resident_of(neighbourhood):
    resident = ParticipantFactory()
    participation_services.profile_update(
        user=resident, neighbourhood=neighbourhood, birth_year=1990
    )
    return User.objects.select_related("profile").get(pk=resident.pk)


def move(resident, neighbourhood):
    participation_services.profile_update(
        user=resident, neighbourhood=neighbourhood, birth_year=1990
    )
    return User.objects.select_related("profile").get(pk=resident.pk)


def test_a_move_after_voting_opens_no_other_ballot(two_quarters, nord, sud):
    budget_nord, budget_sud = two_quarters
    resident = resident_of(nord)
    services.ballot_cast(voter=resident, budget=budget_nord, choices=ids(budget_nord)[:1])
    resident = move(resident, sud)

    assert not resident.has_perm("budgets.vote_budget", budget_sud)
    assert HELD in why_not(resident, "budgets.vote_budget", budget_sud)
    with pytest.raises(NotAllowed, match=re.escape(HELD)):
        services.ballot_cast(voter=resident, budget=budget_sud, choices=ids(budget_sud)[:1])
    # Their own neighbourhood's ballot stays theirs to change until the vote closes.
    assert resident.has_perm("budgets.vote_budget", budget_nord)
    services.ballot_cast(voter=resident, budget=budget_nord, choices=ids(budget_nord)[1:2])
    assert list(Ballot.objects.filter(voter=resident).values_list("budget_id", flat=True)) == [
        budget_nord.pk
    ]
    assert NeighbourhoodVoter.objects.get(voter=resident).neighbourhood == nord


def test_a_move_before_voting_changes_the_neighbourhood(two_quarters, nord, sud):
    """Nothing is held before a first ballot: a resident who moved votes where they live."""
    budget_nord, budget_sud = two_quarters
    resident = move(resident_of(nord), sud)
    services.ballot_cast(voter=resident, budget=budget_sud, choices=ids(budget_sud)[:1])
    assert NeighbourhoodVoter.objects.get(voter=resident).neighbourhood == sud
    with pytest.raises(NotAllowed):
        services.ballot_cast(voter=resident, budget=budget_nord, choices=ids(budget_nord)[:1])


def test_the_town_wide_budget_stays_open_besides_the_neighbourhood(
    make_budget, two_quarters, nord, sud
):
    town_wide = make_budget(title="Toute la ville")
    resident = resident_of(nord)
    services.ballot_cast(voter=resident, budget=two_quarters[0], choices=ids(two_quarters[0])[:1])
    resident = move(resident, sud)
    services.ballot_cast(voter=resident, budget=town_wide, choices=ids(town_wide)[:1])
    assert Ballot.objects.filter(voter=resident).count() == 2


def test_another_campaign_holds_nothing(two_quarters, nord, sud, staff):
    other = ComponentFactory(type_key="budgets", space=two_quarters[0].component.space)
    PhaseFactory(
        component=other,
        kind="vote",
        starts_at=timezone.now() - datetime.timedelta(days=1),
        ends_at=timezone.now() + datetime.timedelta(days=1),
    )
    other_sud = services.budget_create(
        actor=staff, component=other, title="Sud 2", amount=100, neighbourhood=sud
    )
    Project.objects.create(budget=other_sud, title="Banc", cost=10)
    resident = resident_of(nord)
    services.ballot_cast(voter=resident, budget=two_quarters[0], choices=ids(two_quarters[0])[:1])
    resident = move(resident, sud)
    services.ballot_cast(voter=resident, budget=other_sud, choices=ids(other_sud))


def test_the_database_holds_one_neighbourhood_per_campaign(two_quarters, nord, sud):
    resident = resident_of(nord)
    component = two_quarters[0].component
    NeighbourhoodVoter.objects.create(component=component, voter=resident, neighbourhood=nord)
    with pytest.raises(IntegrityError), transaction.atomic():
        NeighbourhoodVoter.objects.create(component=component, voter=resident, neighbourhood=sud)


def test_the_pages_and_the_api_say_the_same_reason(two_quarters, nord, sud, town_a):
    budget_nord, budget_sud = two_quarters
    resident = resident_of(nord)
    services.ballot_cast(voter=resident, budget=budget_nord, choices=ids(budget_nord)[:1])
    resident = move(resident, sud)
    browser = browser_for(town_a, user=resident)

    page = browser.get(url(budget_sud, "ballot")).content.decode()
    assert HELD in page
    assert '<button type="submit">' not in page
    response = browser.post(url(budget_sud, "ballot"), {"project": ids(budget_sud)[:1]})
    assert response.status_code == 403
    assert HELD in response.content.decode()
    listing = browser.get(url(budget_sud.component, "detail")).content.decode()
    assert HELD in listing
    assert url(budget_sud, "ballot") not in listing
    assert url(budget_nord, "ballot") in listing

    api = browser.get(url(budget_sud.component, "budgets_api:budgets")).json()["results"]
    by_title = {item["title"]: item for item in api}
    assert by_title["Sud"]["can_vote"] is False
    assert HELD in by_title["Sud"]["vote_refusal"]
    assert by_title["Nord"]["can_vote"] is True and by_title["Nord"]["vote_refusal"] is None
    response = browser.post(
        url(budget_sud, "budgets_api:ballot"),
        {"choices": [{"project": ids(budget_sud)[0]}]},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert HELD in response.json()["detail"]
    assert not Ballot.objects.filter(budget=budget_sud).exists()


def test_two_ballots_for_two_neighbourhoods_at_once_keep_one(django_db_setup, committed_db):
    """The profile was edited between the two requests: each connection read the voter as
    living in the neighbourhood of its ballot. Both pass the permission before the lock;
    under the voter's profile lock, the second finds the neighbourhood the first held."""
    from tenants.models import Tenant
    from tests.conftest import TOWN_A

    town_a = Tenant.objects.get(slug=TOWN_A)
    with tenant_context(town_a):
        admin, voter = AdminFactory(), ParticipantFactory()
        quarters = [NeighbourhoodFactory(), NeighbourhoodFactory()]
        component = ComponentFactory(type_key="budgets")
        PhaseFactory(
            component=component,
            kind="vote",
            starts_at=timezone.now() - datetime.timedelta(days=1),
            ends_at=timezone.now() + datetime.timedelta(days=1),
        )
        budgets = []
        for quarter in quarters:
            budget = services.budget_create(
                actor=admin,
                component=component,
                title=quarter.name,
                amount=100,
                neighbourhood=quarter,
            )
            Project.objects.create(budget=budget, title="Banc", cost=10)
            budgets.append(budget)
    barrier = threading.Barrier(2)
    receipts: list[str] = []
    errors: list[str] = []

    def submit(n: int) -> None:
        try:
            with tenant_context(town_a):
                user = User.objects.select_related("profile").get(pk=voter.pk)
                user.profile.neighbourhood_id = quarters[n].pk  # as this request read it
                own = Budget.objects.select_related("neighbourhood").get(pk=budgets[n].pk)
                assert user.has_perm("budgets.vote_budget", own)
                barrier.wait(timeout=10)
                receipts.append(services.ballot_cast(voter=user, budget=own, choices=ids(own)))
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
        assert len(receipts) == 1
        assert len(errors) == 1
        assert "dans cette campagne : on ne vote que pour un seul quartier" in errors[0]
        with tenant_context(town_a):
            [ballot] = Ballot.objects.filter(budget__component_id=component.pk)
            assert ballot.receipt == receipts[0]
            held = NeighbourhoodVoter.objects.get(component_id=component.pk)
            assert held.neighbourhood_id == ballot.budget.neighbourhood_id
    finally:
        with tenant_context(town_a):
            NeighbourhoodVoter.objects.filter(component_id=component.pk).delete()
            Project.objects.filter(budget__component_id=component.pk).delete()
            component.space.delete()
            User.objects.filter(pk__in=[admin.pk, voter.pk]).delete()
            for quarter in quarters:
                quarter.delete()
