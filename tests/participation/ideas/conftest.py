"""A call for ideas of town A with a collect phase running now, then an analysis phase."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from participation.budgets import services as budget_services
from participation.budgets.models import Budget
from participation.ideas import services
from participation.ideas.models import Category, Proposal
from tests.participation.factories import (
    AdminFactory,
    ComponentFactory,
    ParticipantFactory,
)
from tests.participation.phases_support import running_phase_then


@pytest.fixture
def component(in_town_a):
    return ComponentFactory(type_key="ideas", title="Vos idées pour la ville")


@pytest.fixture
def collect_phase(component):
    return running_phase_then(component, kind="collect", then="analysis")


@pytest.fixture
def category(component):
    return Category.objects.create(component=component, name="Mobilités")


@pytest.fixture
def citizen(in_town_a):
    return ParticipantFactory(display_name="Camille")


@pytest.fixture
def staff(in_town_a):
    return AdminFactory(display_name="Agent")


@pytest.fixture
def submit(component, collect_phase):
    def make(author, **overrides) -> Proposal:
        arguments = {
            "title": "Des arceaux à vélos devant la médiathèque",
            "description": "Il manque de quoi attacher les vélos.",
            **overrides,
        }
        return services.proposal_submit(author=author, component=component, **arguments)

    return make


@pytest.fixture
def proposal(submit, citizen) -> Proposal:
    return submit(citizen)


@pytest.fixture
def budget(component, staff) -> Budget:
    """A budget of the same space, made by the budgets module, proposals may be put to."""
    budgets_component = ComponentFactory(space=component.space, type_key="budgets")
    return budget_services.budget_create(
        actor=staff, component=budgets_component, title="Budget participatif 2027", amount=100_000
    )


def image_upload(image_format: str = "PNG", name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, format=image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
