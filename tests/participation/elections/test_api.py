"""The election's API: a token's ballot gets its receipt, a second one 409, a bad body 400;
the results 403 until the close."""

import datetime

import time_machine
from django.urls import reverse

from accounts.services import api_token_create
from tests.conftest import client_for


def api(component, name):
    return reverse(f"elections_api:{name}", args=[component.space.slug, component.pk])


def test_ballot_and_results_through_the_api(town_a, component, vote_phase, candidates, elector):
    voter = elector()
    _token, key = api_token_create(user=voter)
    client = client_for(town_a)
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    bad = client.post(
        api(component, "ballot"), {"candidates": ["x"]}, content_type="application/json", **auth
    )
    assert bad.status_code == 400
    body = {"candidates": [candidates[0].pk]}
    cast = client.post(api(component, "ballot"), body, content_type="application/json", **auth)
    assert cast.status_code == 201
    receipt = cast.json()["receipt"]
    again = client.post(api(component, "ballot"), body, content_type="application/json", **auth)
    assert again.status_code == 409
    assert client.get(api(component, "results"), **auth).status_code == 403
    with time_machine.travel(vote_phase.ends_at + datetime.timedelta(minutes=1)):
        results = client.get(api(component, "results"), **auth).json()
    assert results["receipts"] == [receipt]
    assert results["ballots"] == results["voters"] == 1
    votes = {c["id"]: c["votes"] for c in results["candidates"]}
    assert votes == {c.pk: int(c == candidates[0]) for c in candidates}


def test_a_vote_is_five_statements_and_sees_the_towns_changes_at_once(
    town_a, component, vote_phase, candidates, elector, resident
):
    """The town's domain and schema (3), the token with its user and profile (1), the roll
    line + marker + sealed ballot (1): the election comes from the cache, which a change of
    candidacy or phase leaves at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from participation.elections import services

    client = client_for(town_a)
    keys = [api_token_create(user=elector())[1] for _ in range(3)]

    def post(key, *picked):
        return client.post(
            api(component, "ballot"),
            {"candidates": [c.pk for c in picked]},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {key}",
        )

    assert post(keys[0], candidates[0]).status_code == 201  # the cache filled
    with CaptureQueriesContext(connection) as queries:
        assert post(keys[1], candidates[0], candidates[1]).status_code == 201
    assert len(queries) == 5, [q["sql"][:80] for q in queries]
    services.candidacy_withdraw(actor=candidates[1].user, candidate=candidates[1])
    withdrawn = post(keys[2], candidates[1])
    assert withdrawn.status_code == 400 and "retirée" in withdrawn.json()["detail"]
    # Not on the roll: the roll's own message, nothing written.
    stranger = api_token_create(user=resident())[1]
    refused = post(stranger, candidates[0])
    assert refused.status_code == 403 and "liste électorale" in refused.json()["detail"]
    vote_phase.ends_at = vote_phase.starts_at + datetime.timedelta(seconds=1)  # closed
    vote_phase.save()
    assert post(keys[2], candidates[0]).status_code == 403
