"""Town A's budget cannot be reached, read or voted in from town B: not through B's host,
not with a token made in town B, not with a token of town A sent to B's host."""

from django_tenants.utils import tenant_context

from participation.budgets.models import Ballot
from tests.conftest import client_for
from tests.factories import api_key_for
from tests.participation.budgets.conftest import ids, url
from tests.participation.factories import ParticipantFactory


def test_town_b_host_does_not_serve_town_a_budget_pages(budget, town_b):
    visitor = client_for(town_b)
    for name in ("detail", "ballot", "results", "budgets_api:budgets"):
        assert (
            visitor.get(url(budget if name != "detail" else budget.component, name)).status_code
            == 404
        )


def test_a_token_of_town_b_cannot_vote_in_town_a(budget, town_a, town_b):
    with tenant_context(town_b):
        key = api_key_for(ParticipantFactory())
    response = client_for(town_a).post(
        url(budget, "budgets_api:ballot"),
        {"choices": [{"project": ids(budget)[0]}]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 401
    with tenant_context(town_a):
        assert not Ballot.objects.exists()


def test_a_token_of_town_a_sent_to_town_b_votes_nowhere(budget, town_a, town_b):
    key = api_key_for(ParticipantFactory())
    response = client_for(town_b).post(
        url(budget, "budgets_api:ballot"),
        {"choices": [{"project": ids(budget)[0]}]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    # 404 when B has no component under that id (the URL names nothing there), else 401.
    assert response.status_code in (401, 404), response.status_code
    with tenant_context(town_a):  # the request left the connection on town B's schema
        assert not Ballot.objects.exists()
