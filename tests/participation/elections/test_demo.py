"""The demo towns' councils hold an open election: six validated candidacies, the roll made
of the neighbourhood's residents, the vote open; a demo resident votes and gets a receipt."""

from decimal import Decimal

from django.urls import reverse

from accounts.models import User
from onboarding.demo import DEMO_TOWNS
from participation.demo import demo_content_seed
from participation.elections import services
from participation.elections.models import Candidate, Election, Elector
from participation.elections.rules import vote_closed
from participation.models import Space
from tests.conftest import client_for
from tests.participation.factories import AdminFactory, ParticipantFactory


def test_the_demo_council_holds_an_open_election_its_residents_can_vote_in(in_town_a, town_a):
    montigny = next(town for town in DEMO_TOWNS if town.slug == "montigny")
    residents = [ParticipantFactory(), ParticipantFactory()]
    demo_content_seed(
        admin=AdminFactory(),
        residents=residents,
        centre=(Decimal("48.7715"), Decimal("2.0335")),
        extra_spaces=montigny.extra_spaces,
    )
    space = Space.objects.get(title="Conseil de quartier Centre-ville")
    component = space.components.get(type_key="elections")
    election = Election.objects.get(component=component)
    assert (election.seats, election.parity) == (4, True)
    assert [phase.kind for phase in component.phases.all()] == ["vote"]
    assert component.phase_allows("vote") and not vote_closed(component)
    standing = Candidate.objects.filter(component=component, status="validated")
    assert standing.count() == 6
    assert set(standing.values_list("gender", flat=True)) == {"f", "m"}
    on_roll = set(Elector.objects.filter(component=component).values_list("user", flat=True))
    assert {resident.pk for resident in residents} <= on_roll
    voter = User.objects.get(pk=residents[0].pk)  # as the seed left their profile
    receipt = services.ballot_cast(voter=voter, component=component, candidate_ids=[standing[0].pk])
    assert len(receipt) == 14
    client = client_for(town_a)
    client.force_login(residents[1])
    page = client.get(reverse("elections:vote", args=[space.slug, component.pk]))
    assert page.status_code == 200
    assert standing[0].name in page.content.decode()
