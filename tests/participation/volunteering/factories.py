"""Factories of volunteering. Create inside tenant_context(town)."""

import datetime

import factory
from django.utils import timezone

from participation.models import Space
from participation.volunteering.models import (
    Association,
    Membership,
    Mission,
    VolunteerProfile,
)
from tests.participation.factories import ComponentFactory, ParticipantFactory, SpaceFactory


class HubFactory(ComponentFactory):
    space = factory.SubFactory(
        SpaceFactory,
        kind=Space.Kind.VOLUNTEERING_HUB,
        title=factory.Sequence(lambda n: f"Bénévolat {n}"),
        slug=factory.Sequence(lambda n: f"benevolat-{n}"),
    )
    type_key = "volunteering"
    title = "Bénévolat"


class AssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Association

    name = factory.Sequence(lambda n: f"Association {n}")
    slug = factory.Sequence(lambda n: f"association-{n}")
    description = "Une association de la ville."
    categories = factory.LazyFunction(lambda: ["solidarite"])
    status = Association.Status.VALIDATED
    validated_at = factory.LazyFunction(timezone.now)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    association = factory.SubFactory(AssociationFactory)
    user = factory.SubFactory(ParticipantFactory)
    role = Membership.Role.MANAGER


class VolunteerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VolunteerProfile

    user = factory.SubFactory(ParticipantFactory)
    skills = factory.LazyFunction(lambda: ["logistique"])
    availability = factory.LazyFunction(lambda: ["sam-matin"])
    bio = "Disponible le samedi."


class MissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mission

    component = factory.SubFactory(HubFactory)
    association = factory.SubFactory(AssociationFactory)
    title = factory.Sequence(lambda n: f"Mission {n}")
    description = "Aider à la collecte."
    skills = factory.LazyFunction(lambda: ["logistique"])
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + datetime.timedelta(hours=4))
    place = "Salle des fêtes"
    places = 2
