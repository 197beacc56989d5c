import pytest
from django_tenants.utils import tenant_context

from participation.models import Component, Phase, Space
from participation.polls.models import Choice, Poll
from tests.participation.factories import AdminFactory, ComponentFactory, PhaseFactory, SpaceFactory


def small_space() -> Space:
    """In the current town: a consultation with a poll of three choices, dated phases."""
    space = SpaceFactory(title="Mobilités douces")
    component = ComponentFactory(space=space, type_key="polls", title="Sondage express")
    PhaseFactory(component=component, kind="answer")
    poll = Poll.objects.create(component=component, question="Venez-vous à vélo ?")
    for position, label in enumerate(("Oui", "Non", "Parfois")):
        Choice.objects.create(poll=poll, label=label, position=position)
    return space


@pytest.fixture
def source(town_a):
    """Town A's admin and its small space."""
    with tenant_context(town_a):
        return AdminFactory(), small_space()


@pytest.fixture
def target_admin(town_b):
    with tenant_context(town_b):
        return AdminFactory()


def counts() -> tuple[int, int, int]:
    return Space.objects.count(), Component.objects.count(), Phase.objects.count()
