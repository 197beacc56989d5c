"""Votes are limited tightly per voter and generously per address: a burst of voters behind one
address (a town hall's network) goes through, one voter hammering is stopped, on the page and
the API alike (the limit is in ballot_record, which both call)."""

from participation.budgets.models import Ballot
from tests.conftest import client_for
from tests.factories import api_key_for
from tests.participation.budgets.conftest import ids, url
from tests.participation.factories import ParticipantFactory

WAIT = "Trop de tentatives en peu de temps. Par sécurité, réessayez dans"


def _api_vote(town, budget, key, project):
    return client_for(town).post(
        url(budget, "budgets_api:ballot"),
        {"choices": [{"project": project}]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )


def test_many_voters_from_one_address_are_not_throttled(budget, town_a, rate_limits):
    rate_limits.limit("vote", account=(2, 60), ip=(1000, 600))

    answers = [
        _api_vote(town_a, budget, api_key_for(ParticipantFactory()), ids(budget)[0])
        for _ in range(12)
    ]

    assert {a.status_code for a in answers} == {201}
    assert Ballot.objects.filter(budget=budget).count() == 12


def test_one_voter_hammering_the_api_is_throttled(budget, town_a, rate_limits):
    rate_limits.limit("vote", account=(2, 60), ip=(1000, 600))
    key = api_key_for(ParticipantFactory())

    answers = [_api_vote(town_a, budget, key, project) for project in ids(budget)[:3]]

    assert [a.status_code for a in answers] == [201, 201, 429]
    assert answers[-1].json()["code"] == "throttled"
    assert answers[-1].json()["detail"].startswith(WAIT)
    assert int(answers[-1]["Retry-After"]) > 0
    # The refused change did not replace the ballot.
    [choice] = Ballot.objects.get(budget=budget).choices.all()
    assert choice.project_id == ids(budget)[1]


def test_one_voter_hammering_the_page_is_throttled(budget, town_a, rate_limits):
    rate_limits.limit("vote", account=(2, 60), ip=(1000, 600))
    browser = client_for(town_a)
    browser.force_login(ParticipantFactory())

    answers = [
        browser.post(url(budget, "ballot"), {"project": [project]}) for project in ids(budget)[:3]
    ]

    assert [a.status_code for a in answers] == [302, 302, 429]
    assert WAIT in answers[-1].content.decode()


def test_the_address_limit_stops_a_flood(budget, town_a, rate_limits):
    rate_limits.limit("vote", account=(100, 60), ip=(3, 600))

    answers = [
        _api_vote(town_a, budget, api_key_for(ParticipantFactory()), ids(budget)[0])
        for _ in range(4)
    ]

    assert [a.status_code for a in answers] == [201, 201, 201, 429]


def test_a_vote_counts_as_a_vote_not_as_a_call_of_the_api(budget, town_a, rate_limits):
    """The vote API is limited by the vote's own limits only (one round trip to Redis on the
    hot path); any other call of the API counts against the API's."""
    rate_limits.limit("vote", account=(5, 60), ip=(1000, 600))
    rate_limits.limit("api", ip=(1, 60))
    key = api_key_for(ParticipantFactory())

    votes = [_api_vote(town_a, budget, key, project) for project in ids(budget)[:3]]
    reads = [client_for(town_a).get("/api/v1/town/") for _ in range(2)]

    assert [a.status_code for a in votes] == [201, 201, 201]
    assert [a.status_code for a in reads] == [200, 429]
