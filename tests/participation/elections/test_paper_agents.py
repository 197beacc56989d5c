"""The polling station's paper votes are the town's agents' work: a paper agent reaches the
election's page (its polling-station part only) and types ballots; a manager of the space runs
the election but does not type ballots."""

from django_tenants.utils import tenant_context

from participation.elections.models import PaperEntry
from tests.participation.conftest import logged_in
from tests.participation.team.factories import Kind, member


def _url(component, tail: str = "") -> str:
    return f"/gestion/espaces/{component.space.slug}/elections/{component.pk}/{tail}"


def test_a_paper_agent_types_ballots_and_sees_only_the_polling_station(
    component, vote_phase, candidates, town_a
):
    agent = logged_in(town_a, member(Kind.PAPER_AGENT))
    page = agent.get(_url(component)).content.decode()
    assert "Saisie des bulletins papier" in page
    assert "Liste électorale" not in page and "Candidatures" not in page
    response = agent.post(
        _url(component, "papier/saisie/"), {"sheet": "B1-001", "candidates": [candidates[0].pk]}
    )
    assert response.status_code == 302
    with tenant_context(town_a):
        assert PaperEntry.objects.get(component=component).status == PaperEntry.Status.TYPED
    refused = agent.post(_url(component, "liste/residents/"))
    assert refused.status_code == 403


def test_a_space_manager_runs_the_election_but_types_no_ballot(
    component, vote_phase, candidates, town_a
):
    manager = logged_in(town_a, member(Kind.SPACE_MANAGER, spaces=[component.space]))
    page = manager.get(_url(component)).content.decode()
    assert "Liste électorale" in page and "Saisie des bulletins papier" not in page
    response = manager.post(
        _url(component, "papier/saisie/"), {"sheet": "B1-001", "candidates": [candidates[0].pk]}
    )
    assert response.status_code == 403
    with tenant_context(town_a):
        assert not PaperEntry.objects.exists()
