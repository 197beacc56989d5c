"""Factories of the engine. Create inside tenant_context(town)."""

import datetime

import factory
from django.utils import timezone

from accounts.models import User
from participation.models import Component, Neighbourhood, Phase, Profile, Space
from tests.factories import UserFactory


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighbourhood

    name = factory.Sequence(lambda n: f"Quartier {n}")
    slug = factory.Sequence(lambda n: f"quartier-{n}")


class ParticipantFactory(UserFactory):
    """A resident who may contribute: verified e-mail and charter accepted."""

    class Meta:
        # The profile is created after the account; nothing on the account changes then.
        skip_postgeneration_save = True

    profile = factory.RelatedFactory(
        "tests.participation.factories.ProfileFactory", factory_related_name="user"
    )


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
    charter_accepted_at = factory.LazyFunction(timezone.now)


class ModeratorFactory(ParticipantFactory):
    role = User.Role.MODERATOR


class AdminFactory(ParticipantFactory):
    role = User.Role.ADMIN


class SpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Space

    kind = Space.Kind.CONSULTATION
    title = factory.Sequence(lambda n: f"Concertation {n}")
    slug = factory.Sequence(lambda n: f"concertation-{n}")
    status = Space.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class ComponentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Component

    space = factory.SubFactory(SpaceFactory)
    type_key = "news"
    title = factory.Sequence(lambda n: f"Composant {n}")


class PhaseFactory(factory.django.DjangoModelFactory):
    """A phase running now, from yesterday to in a month."""

    class Meta:
        model = Phase

    component = factory.SubFactory(ComponentFactory)
    kind = "publication"
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    ends_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
