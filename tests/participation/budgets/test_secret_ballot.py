"""A budget voted « secret »: ballots in the engine's box, none in Ballot; one per voter and
final; the results from the box equal those of the same ballots cast openly; paper ballots
confirmed into the box; the ballot page says a ballot cannot be changed."""

import pytest

from core.errors import Conflict, Invalid, NotAllowed
from participation import secret_ballots
from participation.budgets import secret, selectors, services
from participation.budgets.models import Ballot
from tests.participation.budgets.conftest import RANKED, cast, ids, url
from tests.participation.conftest import logged_in
from tests.participation.factories import ModeratorFactory, ParticipantFactory

PICKS = [[0, 1], [1, 3], [0], [2, 0, 1], [3]]


@pytest.mark.parametrize("rule", [{}, RANKED], ids=["approval", "ranked"])
def test_secret_ballots_count_as_open_ones(make_budget, vote_phase, rule):
    hidden = make_budget(title="Secret", secret_ballot=True, **rule)
    open_ = make_budget(title="Ouvert", **rule)
    for pick in PICKS:
        cast(hidden, [ids(hidden)[n] for n in pick])
        cast(open_, [ids(open_)[n] for n in pick])
    assert not Ballot.objects.filter(budget=hidden).exists()
    assert secret_ballots.box_audit(box=secret.box(hidden)).ballots == len(PICKS)
    by_position = lambda budget: [  # noqa: E731
        selectors.project_scores(budget).get(pk) for pk in ids(budget)
    ]
    assert by_position(hidden) == by_position(open_)
    shown = selectors.results(hidden)
    assert shown.ballots == len(PICKS)
    assert [row.title for row in shown.selected] == [
        row.title for row in selectors.results(open_).selected
    ]


def test_a_secret_ballot_is_final(make_budget, vote_phase):
    budget = make_budget(secret_ballot=True)
    voter = ParticipantFactory()
    cast(budget, [ids(budget)[0]], voter=voter)
    with pytest.raises(NotAllowed, match="ne se modifie plus"):
        cast(budget, [ids(budget)[1]], voter=voter)
    assert services.ballot_of(voter, budget) is None
    assert secret_ballots.box_ballots(box=secret.box(budget)) == [[[ids(budget)[0], None, None]]]


def test_two_secret_ballots_of_one_voter_racing_past_the_rule_keep_one(make_budget, vote_phase):
    """The rule is asked before the write; the box's unique marker is the last safeguard."""
    budget = make_budget(secret_ballot=True)
    voter = ParticipantFactory()
    rows = [(ids(budget)[0], None, None)]
    secret.cast(voter, budget, rows)
    with pytest.raises(Conflict):
        secret.cast(voter, budget, rows)
    assert secret_ballots.box_audit(box=secret.box(budget)).ballots == 1


def test_secret_with_a_census_is_refused(make_budget):
    with pytest.raises(Invalid, match="liste de votants"):
        make_budget(secret_ballot=True, census_required=True)


def test_paper_ballots_of_a_secret_budget_go_to_the_box(make_budget, vote_phase):
    budget = make_budget(secret_ballot=True)
    first, second = ModeratorFactory(), ModeratorFactory()
    paper = services.paper_ballot_enter(
        agent=first, budget=budget, polling_station="Mairie", choices=[ids(budget)[2]]
    )
    paper = services.paper_ballot_retype(agent=second, paper=paper, choices=[ids(budget)[2]])
    assert (paper.status, paper.ballot) == ("counted", None)
    audit = secret_ballots.box_audit(box=secret.box(budget))
    assert (audit.paper_ballots, audit.ballots) == (1, 1)
    assert not Ballot.objects.filter(budget=budget).exists()


def test_the_ballot_page_says_it_cannot_be_changed(town_a, make_budget, vote_phase):
    budget = make_budget(secret_ballot=True)
    voter = ParticipantFactory()
    client = logged_in(town_a, voter)
    page = client.get(url(budget, "ballot"))
    assert "ne peut plus être modifié une fois déposé" in page.content.decode()
    client.post(url(budget, "ballot"), {"project": [ids(budget)[0]]})
    again = client.get(url(budget, "ballot")).content.decode()
    assert "ne se modifie plus" in again
    assert "Modifier mon vote" not in again
