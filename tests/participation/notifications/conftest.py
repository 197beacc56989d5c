import datetime

import pytest
from django.core import mail
from django.utils import timezone

from participation.models import SpaceFollow
from tests.participation.factories import ParticipantFactory, PhaseFactory, SpaceFactory


def html_part(message) -> str:
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


def sent_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


@pytest.fixture
def opening(in_town_a):
    """A published space, a phase that opened ten minutes ago, and a follower who wants it."""
    space = SpaceFactory(title="Réaménagement de la place du Marché")
    phase = PhaseFactory(
        component__space=space,
        component__title="Actualités du chantier",
        starts_at=timezone.now() - datetime.timedelta(minutes=10),
        ends_at=timezone.now() + datetime.timedelta(days=20),
    )
    follower = ParticipantFactory(email="suiveuse@exemple.fr", display_name="Camille")
    SpaceFollow.objects.create(user=follower, space=space)
    return space, phase, follower
