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
