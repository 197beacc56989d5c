"""The ballot page offers a ballot exactly when ballot_record would take it, and says the
service's reason when it would not."""

import html

import pytest

from core.errors import NotAllowed
from participation.budgets import services
from tests.participation.budgets.conftest import ids
from tests.participation.budgets.test_views import browser_for, url
from tests.participation.conftest import make_user, moment_offset
from tests.participation.factories import NeighbourhoodFactory, ParticipantFactory

SUBMIT = '<button type="submit">'


def citizen(neighbourhood=None, birth_year=None):
    user = ParticipantFactory()
    user.profile.neighbourhood = neighbourhood
    user.profile.birth_year = birth_year
    user.profile.save()
    return user


SITUATIONS = {
    "allowed": lambda make, phase, tm: (make(), citizen()),
    "unverified": lambda make, phase, tm: (make(), make_user("unverified")),
    "other-neighbourhood": lambda make, phase, tm: (
        make(neighbourhood=NeighbourhoodFactory(name="Nord")),
        citizen(NeighbourhoodFactory(name="Sud")),
    ),
    "too-young": lambda make, phase, tm: (make(min_age=16), citizen(birth_year=2020)),
    "before": lambda make, phase, tm: (
        make(),
        citizen(),
        tm.move_to(moment_offset("before", phase), tick=False),
    )[:2],
    "after": lambda make, phase, tm: (
        make(),
        citizen(),
        tm.move_to(moment_offset("after", phase), tick=False),
    )[:2],
}


@pytest.mark.parametrize("situation", SITUATIONS)
def test_the_page_offers_the_ballot_exactly_when_the_service_takes_it(
    make_budget, vote_phase, time_machine, town_a, situation
):
    budget, user = SITUATIONS[situation](make_budget, vote_phase, time_machine)
    page = html.unescape(browser_for(town_a, user=user).get(url(budget, "ballot")).content.decode())
    offered = SUBMIT in page
    try:
        services.ballot_cast(voter=user, budget=budget, choices=ids(budget)[:1])
    except NotAllowed as refused:
        assert not offered
        assert str(refused) in page
    else:
        assert offered
    assert offered is (situation == "allowed")
