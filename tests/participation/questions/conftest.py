"""Questions to officials in town A: a component whose asking phase runs for a year, an
official who answers with their own account, a service with one member."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from participation.questions import services
from participation.questions.models import Question
from tests.participation.factories import (
    AdminFactory,
    ComponentFactory,
    ParticipantFactory,
    PhaseFactory,
)
from tests.participation.officials.factories import MunicipalServiceFactory, OfficialFactory


@pytest.fixture
def component(in_town_a):
    component = ComponentFactory(type_key="questions", title="Questions à vos élus")
    now = timezone.now()
    PhaseFactory(
        component=component,
        kind="questions",
        starts_at=now - datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=365),
    )
    return component


@pytest.fixture
def citizen(in_town_a):
    return ParticipantFactory(display_name="Camille")


@pytest.fixture
def staff(in_town_a):
    return AdminFactory(display_name="Mairie")


@pytest.fixture
def service_member(in_town_a):
    return ParticipantFactory(display_name="Agent voirie")


@pytest.fixture
def service(service_member):
    service = MunicipalServiceFactory(name="Voirie")
    service.members.add(service_member)
    return service


@pytest.fixture
def official_account(in_town_a):
    return ParticipantFactory(display_name="Henri Marty")


@pytest.fixture
def official(official_account, service):
    official = OfficialFactory(
        name="Henri Marty", title="Adjoint aux travaux", account=official_account
    )
    official.services.add(service)
    return official


@pytest.fixture
def ask(component):
    def make(author, **overrides) -> Question:
        arguments = {
            "title": "L'éclairage de la rue Trivalle",
            "body": "La moitié des lampadaires sont éteints depuis trois semaines.",
            **overrides,
        }
        return services.question_ask(author=author, component=component, **arguments)

    return make


@pytest.fixture
def question(ask, citizen) -> Question:
    return ask(citizen)


def image_upload() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")
