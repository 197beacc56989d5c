"""An election in a neighbourhood council of town A: a vote phase running now, then the
results; two validated candidates per gender; electors of the neighbourhood on the roll."""

import pytest

from participation.elections import services
from participation.elections.models import Candidate, Election, Elector
from participation.models import Space
from tests.participation.factories import (
    AdminFactory,
    ComponentFactory,
    NeighbourhoodFactory,
    ParticipantFactory,
    SpaceFactory,
)
from tests.participation.phases_support import running_phase_then


@pytest.fixture
def neighbourhood(in_town_a):
    return NeighbourhoodFactory(name="Les Prés")


@pytest.fixture
def component(neighbourhood):
    space = SpaceFactory(
        kind=Space.Kind.NEIGHBOURHOOD_COUNCIL, title="Conseil des Prés", neighbourhood=neighbourhood
    )
    component = ComponentFactory(space=space, type_key="elections", title="Élection du conseil")
    Election.objects.create(component=component, seats=2)
    return component


@pytest.fixture
def vote_phase(component):
    return running_phase_then(component, kind="vote", then="results")


@pytest.fixture
def staff(in_town_a):
    return AdminFactory()


@pytest.fixture
def resident(neighbourhood):
    """A verified resident of the council's neighbourhood (on no roll yet)."""

    def make(**kwargs):
        user = ParticipantFactory(**kwargs)
        user.profile.neighbourhood = neighbourhood
        user.profile.save()
        return user

    return make


@pytest.fixture
def elector(component, resident):
    """A resident put on the roll."""

    def make(**kwargs):
        user = resident(**kwargs)
        Elector.objects.create(
            component=component, user=user, email=user.email, source=Elector.Source.RESIDENT
        )
        return user

    return make


@pytest.fixture
def candidates(component, elector):
    made = []
    for name, gender in [("Alice", "f"), ("Bruno", "m"), ("Chloé", "f"), ("David", "m")]:
        made.append(
            Candidate.objects.create(
                component=component,
                user=elector(),
                name=name,
                gender=gender,
                statement=f"Profession de foi de {name}",
                status=Candidate.Status.VALIDATED,
            )
        )
    return made


def vote(user, component, *candidates) -> str:
    return services.ballot_cast(
        voter=user, component=component, candidate_ids=[c.pk for c in candidates]
    )
