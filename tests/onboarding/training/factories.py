"""Training rows made directly (the services refuse a past date; tests need past sessions)."""

import datetime

import factory
from django.utils import timezone

from accounts.models import User
from onboarding.training.models import TrainingInvitee, TrainingSession
from tests.factories import UserFactory


class TrainerFactory(UserFactory):
    """Vendor staff, in the public schema (the default in tests)."""

    email = factory.Sequence(lambda n: f"formateur{n}@agora.test")
    role = User.Role.VENDOR_STAFF


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
    duration_minutes = 120
    format = TrainingSession.Format.ON_SITE
    place = "Mairie, salle du conseil"
    trainer = factory.SubFactory(TrainerFactory)
    topics = "Créer un espace\nModérer les commentaires"


class TrainingInviteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingInvitee

    session = factory.SubFactory(TrainingSessionFactory)
    name = factory.Sequence(lambda n: f"Agent {n}")
    email = factory.Sequence(lambda n: f"agent{n}@ville.fr")
    service = "Communication"
