"""The permission matrix: who may vote in a budget when, who sees the results, who manages."""

import datetime

import pytest
from django.utils import timezone

from core.errors import NotAllowed
from core.rules import why_not
from participation.budgets import services
from participation.budgets.census import CensusIdentity
from participation.budgets.models import Ballot
from participation.budgets.rules import BallotAttempt
from tests.participation.budgets.conftest import ids
from tests.participation.conftest import MOMENTS, ROLES, make_user, moment_offset
from tests.participation.factories import NeighbourhoodFactory, ParticipantFactory

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


# The reasons: budgets.vote_budget names why it refuses, the same words as the service.

VOTE_REASONS = {
    "before": "Le vote n'est pas encore ouvert : il ouvrira le",
    "after": "Le vote est clos depuis le",
}
CONTRIBUTION_REASONS = {
    "anonymous": "Connectez-vous ou créez un compte pour participer.",
    "unverified": "Confirmez d'abord votre adresse e-mail",
}


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("role", ROLES)
def test_the_vote_refusal_names_its_reason(budget, vote_phase, time_machine, role, moment):
    user = make_user(role)
    time_machine.move_to(moment_offset(moment, vote_phase), tick=False)
    reason = why_not(user, "budgets.vote_budget", budget)
    if moment != "during":
        # The vote's dates come first: no "sign in" while nobody may vote.
        assert reason.startswith(VOTE_REASONS[moment])
    elif role in CONTRIBUTION_REASONS:
        assert reason.startswith(CONTRIBUTION_REASONS[role])
    else:
        assert reason is None
    assert (reason is None) is user.has_perm("budgets.vote_budget", budget)
    if reason is not None:
        with pytest.raises(NotAllowed) as refused:
            services.ballot_cast(voter=user, budget=budget, choices=ids(budget)[:1])
        assert str(refused.value) == reason


def resident(neighbourhood=None, birth_year=None):
    user = ParticipantFactory()
    user.profile.neighbourhood = neighbourhood
    user.profile.birth_year = birth_year
    user.profile.save()
    return user


def test_the_neighbourhood_age_and_census_are_in_the_rule(make_budget, vote_phase, staff):
    nord = NeighbourhoodFactory(name="Nord")
    for_nord = make_budget(neighbourhood=nord)
    assert "réservé aux habitants du quartier « Nord »" in why_not(
        resident(), "budgets.vote_budget", for_nord
    )
    assert why_not(resident(nord), "budgets.vote_budget", for_nord) is None

    for_16 = make_budget(min_age=16)
    year = timezone.localdate().year
    assert "indiquez votre année de naissance" in why_not(resident(), "budgets.vote_budget", for_16)
    assert why_not(resident(birth_year=year - 10), "budgets.vote_budget", for_16) == (
        "Ce vote est ouvert à partir de 16 ans."
    )
    assert why_not(resident(birth_year=year - 20), "budgets.vote_budget", for_16) is None

    census = make_budget(census_required=True)
    services.census_upload(actor=staff, budget=census, text="Dupont;Jean;02/04/1980\n")
    voter = resident()
    # The page offers the ballot with the census fields; the ballot proves the identity.
    assert why_not(voter, "budgets.vote_budget", census) is None
    assert "indiquez vos nom, prénom" in why_not(
        voter, "budgets.vote_budget", BallotAttempt(census)
    )
    stranger = CensusIdentity("Martin", "Paul", datetime.date(1980, 4, 2))
    listed = CensusIdentity("DUPONT", "jean", datetime.date(1980, 4, 2))
    assert "ne figurent pas sur la liste" in why_not(
        voter, "budgets.vote_budget", BallotAttempt(census, stranger)
    )
    assert why_not(voter, "budgets.vote_budget", BallotAttempt(census, listed)) is None
