"""What the engine reads of the module: demo content, statistics, contributions, GDPR data,
exports, the space page's card."""

from participation.ideas.models import Category, Proposal, ProposalStatusChange
from participation.registry import registry
from tests.conftest import client_for
from tests.participation.factories import NeighbourhoodFactory, ParticipantFactory


def test_the_module_is_registered_with_its_phases():
    ideas = registry.get("ideas")
    assert ideas.phase_kind("collect").features == {"add", "comment", "support"}
    assert ideas.phase_kind("analysis").features == {"comment"}
    assert ideas.phase_kind("results").features == {"comment"}
    assert ideas.phase_kind("follow_up").features == {"comment"}
    assert ideas.default_settings == {"max_proposals_per_person": None}


def test_seed_demo_fills_a_component(component):
    NeighbourhoodFactory(name="Centre"), NeighbourhoodFactory(name="Gare")
    registry.get("ideas").seed_demo(component)
    assert Category.objects.filter(component=component).count() == 5
    proposals = Proposal.objects.filter(component=component)
    assert proposals.count() >= 5
    assert {p.status for p in proposals} >= {"submitted", "under_analysis", "eligible"}
    assert proposals.filter(neighbourhood__isnull=False).exists()
    ineligible = proposals.get(status="ineligible")
    assert ineligible.ineligibility_reason
    assert ProposalStatusChange.objects.filter(proposal=ineligible).last().reason
    statistics = registry.get("ideas").statistics(component)
    assert statistics["proposals"] == proposals.count()


def test_contributions_and_personal_data(submit, citizen, staff):
    proposal = submit(citizen, address="Place du marché")
    ideas = registry.get("ideas")
    rows = list(ideas.contributions().filter(component_id=proposal.component_id))
    assert rows == [
        {
            "component_id": proposal.component_id,
            "author_id": citizen.pk,
            "created_at": proposal.created_at,
        }
    ]
    [data] = ideas.personal_data(citizen)
    assert data["title"] == proposal.title
    assert data["address"] == "Place du marché"
    assert data["role"] == "author"
    assert ideas.personal_data(ParticipantFactory()) == []


def test_csv_export(submit, citizen):
    proposal = submit(citizen)
    filename, content_type, content = registry.get("ideas").exports["csv"](proposal.component)
    assert filename.endswith(".csv") and content_type.startswith("text/csv")
    text = content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("idée;titre;catégorie")
    assert proposal.title in text


def test_the_space_page_shows_the_card(component, collect_phase, town_a):
    page = client_for(town_a).get(f"/espaces/{component.space.slug}/").content.decode()
    assert f'id="component-{component.pk}"' in page
    assert "Vos idées pour la ville" in page
