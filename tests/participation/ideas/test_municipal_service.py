"""Ideas given to a municipal service: its analysts see and instruct them, and only them."""

from __future__ import annotations

import html

import pytest

from core.errors import NotAllowed
from participation.ideas import services
from participation.ideas.models import Proposal
from tests.participation.conftest import logged_in
from tests.participation.team.factories import Kind, MunicipalServiceFactory, member


@pytest.fixture
def roads(in_town_a):
    return MunicipalServiceFactory(name="Voirie")


@pytest.fixture
def parks(in_town_a):
    return MunicipalServiceFactory(name="Espaces verts")


def _queue(component) -> str:
    return f"/gestion/espaces/{component.space.slug}/ideas/{component.pk}/"


def test_staff_give_a_proposal_to_a_service_from_its_page(town_a, staff, proposal, roads):
    client = logged_in(town_a, staff)
    url = f"{_queue(proposal.component)}{proposal.pk}/service-instructeur/"

    assert client.post(url, {"service": roads.pk}).status_code == 302

    proposal = Proposal.objects.get(pk=proposal.pk)
    assert proposal.service == roads
    assert proposal.assigned_service == "Voirie"
    assert proposal.status == Proposal.Status.UNDER_ANALYSIS


def test_an_analyst_sees_and_instructs_only_their_service_ideas(
    town_a, staff, submit, citizen, roads, parks
):
    mine = submit(citizen, title="Un passage piéton rue Voltaire")
    theirs = submit(citizen, title="Des arbres place du marché")
    mine = services.proposal_service_assign(actor=staff, proposal=mine, service=roads)
    theirs = services.proposal_service_assign(actor=staff, proposal=theirs, service=parks)
    analyst = member(Kind.ANALYST, service=roads)
    client = logged_in(town_a, analyst)

    queue = html.unescape(client.get(_queue(mine.component)).content.decode())
    assert "Un passage piéton rue Voltaire" in queue
    assert "Des arbres place du marché" not in queue
    assert client.get(f"{_queue(mine.component)}{mine.pk}/").status_code == 200
    assert client.get(f"{_queue(mine.component)}{theirs.pk}/").status_code == 403

    services.proposal_note(actor=analyst, proposal=mine, feasibility_note="Faisable.")
    with pytest.raises(NotAllowed):
        services.proposal_note(actor=analyst, proposal=theirs, feasibility_note="Non.")
    # Giving an idea to a service stays with the space's staff.
    with pytest.raises(NotAllowed):
        services.proposal_service_assign(actor=analyst, proposal=theirs, service=roads)
    assert Proposal.objects.get(pk=theirs.pk).service == parks
