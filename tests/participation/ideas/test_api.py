"""The API: same rules and services as the pages."""

import pytest
from django.urls import reverse

from participation.comments import services as comment_services
from participation.ideas.models import Proposal
from tests.conftest import client_for
from tests.participation.factories import ParticipantFactory


def api_url(component) -> str:
    return reverse("ideas_api:proposals", args=[component.space.slug, component.pk])


@pytest.fixture
def citizen_api(town_a, citizen):
    api = client_for(town_a)
    api.force_login(citizen)
    return api


def test_anyone_reads_the_proposals_with_status_and_counts(submit, citizen, town_a, component):
    proposal = submit(citizen)
    comment_services.support_toggle(user=ParticipantFactory(), item=proposal, support=True)
    body = client_for(town_a).get(api_url(component)).json()
    assert body["counts"] == {"submitted": 1}
    [item] = body["results"]
    assert item["title"] == proposal.title
    assert item["status"] == "submitted"
    assert item["status_label"] == "Déposée"
    assert item["supports"] == 1


def test_a_participant_posts_a_proposal(component, collect_phase, citizen_api, citizen):
    response = citizen_api.post(
        api_url(component),
        {
            "title": "Un banc",
            "description": "Devant la poste.",
            "latitude": "45.76",
            "longitude": "4.83",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "submitted"
    assert Proposal.objects.get().author == citizen


def test_the_service_refusals_are_json(component, collect_phase, citizen_api, town_a):
    response = citizen_api.post(
        api_url(component), {"title": "", "description": "…"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Titre : ce champ est obligatoire.", "code": "invalid"}
    anonymous = client_for(town_a).post(
        api_url(component), {"title": "x", "description": "y"}, content_type="application/json"
    )
    assert anonymous.status_code == 403
    assert not Proposal.objects.exists()
