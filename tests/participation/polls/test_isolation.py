"""Town B's host and accounts can neither see nor answer town A's polls."""

import pytest
from django_tenants.utils import tenant_context

from participation.polls.models import Answer
from tests.conftest import client_for
from tests.participation.factories import ComponentFactory, ParticipantFactory, PhaseFactory
from tests.participation.polls.conftest import answer_url, api_answer_url, list_url, page_url


@pytest.fixture
def town_b_browser(town_b):
    with tenant_context(town_b):
        resident = ParticipantFactory()
        # A polls component of town B with the same kind of answer phase, for good measure.
        PhaseFactory(component=ComponentFactory(type_key="polls"), kind="answer")
    browser = client_for(town_b)
    with tenant_context(town_b):
        browser.force_login(resident)
    return browser


def test_town_b_cannot_see_or_answer_town_a_polls(poll, town_a, town_b_browser):
    first = poll.choices.first().pk
    assert client_for(town_a).get(page_url(poll)).status_code == 200  # it exists in town A

    assert town_b_browser.get(page_url(poll)).status_code == 404
    assert town_b_browser.post(answer_url(poll), {"choice": [first]}).status_code == 404
    assert town_b_browser.get(list_url(poll)).status_code == 404
    response = town_b_browser.post(
        api_answer_url(poll), {"choices": [first]}, content_type="application/json"
    )
    assert response.status_code == 404
    with tenant_context(town_a):
        assert not Answer.objects.filter(poll=poll).exists()


def test_town_a_session_is_not_valid_on_town_b(poll, in_town_a, town_b):
    browser = client_for(town_b)
    browser.force_login(ParticipantFactory())  # an account of town A
    first = poll.choices.first().pk
    assert browser.get(page_url(poll)).status_code == 404
    assert browser.post(answer_url(poll), {"choice": [first]}).status_code == 404
