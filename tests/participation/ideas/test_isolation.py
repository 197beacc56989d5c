"""Town B's host and accounts can neither see nor change town A's proposals."""

import pytest
from django.urls import reverse
from django_tenants.utils import tenant_context

from participation.ideas.models import Proposal
from tests.conftest import client_for
from tests.factories import api_key_for
from tests.participation.factories import ComponentFactory, ParticipantFactory, PhaseFactory


@pytest.fixture
def town_b_browser(town_b):
    with tenant_context(town_b):
        resident = ParticipantFactory()
        PhaseFactory(component=ComponentFactory(type_key="ideas"), kind="collect")
    browser = client_for(town_b)
    with tenant_context(town_b):
        browser.force_login(resident)
    return browser


def test_town_b_cannot_reach_town_a_proposals(proposal, town_a, town_b_browser):
    component = proposal.component
    args = [component.space.slug, component.pk]
    assert client_for(town_a).get(proposal.get_absolute_url()).status_code == 200

    assert town_b_browser.get(proposal.get_absolute_url()).status_code == 404
    assert town_b_browser.get(reverse("ideas:detail", args=args)).status_code == 404
    submit = reverse("ideas:submit", args=args)
    assert town_b_browser.post(submit, {"title": "x", "description": "y"}).status_code == 404
    edit = reverse("ideas:edit", args=[*args, proposal.pk])
    assert town_b_browser.post(edit, {"title": "x", "description": "y"}).status_code == 404
    assert town_b_browser.get(reverse("ideas_api:proposals", args=args)).status_code == 404
    with tenant_context(town_a):
        assert Proposal.objects.filter(component=component).count() == 1
        proposal.refresh_from_db()
        assert proposal.title != "x"


def test_a_token_of_town_b_cannot_post_in_town_a(component, collect_phase, town_a, town_b):
    with tenant_context(town_b):
        key = api_key_for(ParticipantFactory())
    response = client_for(town_a).post(
        reverse("ideas_api:proposals", args=[component.space.slug, component.pk]),
        {"title": "Un banc", "description": "Devant la poste."},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 401
    with tenant_context(town_a):
        assert not Proposal.objects.exists()
