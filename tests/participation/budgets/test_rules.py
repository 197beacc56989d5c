"""The permission matrix: who may vote in a budget when, who sees the results, who manages."""

import datetime

import pytest

from core.errors import NotAllowed
from participation.budgets import services
from participation.budgets.models import Ballot
from tests.participation.budgets.conftest import ids
from tests.participation.conftest import MOMENTS, ROLES, make_user, moment_offset
from tests.participation.factories import ParticipantFactory

CONTRIBUTORS = ("citizen", "moderator", "admin")
STAFF = ("moderator", "admin")


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("role", ROLES)
def test_who_may_vote_and_when(budget, vote_phase, time_machine, role, moment):
    user = make_user(role)
    time_machine.move_to(moment_offset(moment, vote_phase), tick=False)
    allowed = role in CONTRIBUTORS and moment == "during"

    assert user.has_perm("budgets.vote_budget", budget) is allowed
    if allowed:
        receipt = services.ballot_cast(voter=user, budget=budget, choices=ids(budget)[:1])
        assert Ballot.objects.get(budget=budget, voter=user).receipt == receipt
    else:
        with pytest.raises(NotAllowed):
            services.ballot_cast(voter=user, budget=budget, choices=ids(budget)[:1])
        assert not Ballot.objects.filter(budget=budget).exists()


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("role", ROLES)
def test_who_sees_the_results_and_when(budget, vote_phase, staff, time_machine, role, moment):
    user = make_user(role)
    time_machine.move_to(moment_offset(moment, vote_phase), tick=False)
    # Staff see the provisional results at any time; the others once published.
    assert user.has_perm("budgets.view_results_budget", budget) is (role in STAFF)
    if moment == "after":
        services.results_publish(actor=staff, budget=budget)
        assert user.has_perm("budgets.view_results_budget", budget) is True
    else:
        with pytest.raises(Exception, match="une fois le vote clos"):
            services.results_publish(actor=staff, budget=budget)


@pytest.mark.parametrize("role", ROLES)
def test_who_manages(budget, role):
    user = make_user(role)
    assert user.has_perm("budgets.change_budget", budget) is (role in STAFF)
    assert user.has_perm("budgets.enter_paper_ballot", budget) is (role in STAFF)
    assert user.has_perm("budgets.override_results", budget) is (role == "admin")


def test_a_space_moderator_manages_but_types_no_paper_ballot(budget, component):
    volunteer = ParticipantFactory()
    component.space.moderators.add(volunteer)
    assert volunteer.has_perm("budgets.change_budget", budget)
    assert not volunteer.has_perm("budgets.enter_paper_ballot", budget)


def test_a_draft_space_cannot_be_voted_in(budget, component):
    component.space.status = component.space.Status.DRAFT
    component.space.save()
    assert not make_user("citizen").has_perm("budgets.vote_budget", budget)
    with pytest.raises(NotAllowed, match="Ce budget n'est pas ouvert au vote"):
        services.ballot_cast(voter=make_user("citizen"), budget=budget, choices=ids(budget)[:1])


@pytest.mark.parametrize(
    ("moment", "message"),
    [
        ("before", "Le vote n'est pas encore ouvert : il ouvrira le"),
        ("after", "Le vote est clos depuis le"),
    ],
)
def test_outside_the_vote_the_refusal_names_the_date(
    budget, vote_phase, time_machine, moment, message
):
    citizen = make_user("citizen")
    time_machine.move_to(moment_offset(moment, vote_phase), tick=False)
    with pytest.raises(NotAllowed, match=message):
        services.ballot_cast(voter=citizen, budget=budget, choices=ids(budget)[:1])


def test_the_results_phase_does_not_reopen_the_vote(budget, vote_phase, time_machine):
    citizen = make_user("citizen")
    time_machine.move_to(vote_phase.ends_at + datetime.timedelta(days=2), tick=False)
    assert budget.component.active_phase().kind == "results"
    assert not citizen.has_perm("budgets.vote_budget", budget)
