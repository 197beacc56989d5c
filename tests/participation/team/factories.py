"""Factories of the town's team: members holding roles (accounts.TeamRole) with their scopes,
municipal services and officials. Create inside tenant_context(town)."""

import factory

from accounts.models import TeamRole
from accounts.services import team_roles_set
from participation.models import MunicipalService, Official
from tests.participation.factories import ParticipantFactory


class MunicipalServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MunicipalService

    name = factory.Sequence(lambda n: f"Service {n}")


class OfficialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Official

    name = factory.Sequence(lambda n: f"Élu {n}")
    title = "Adjoint au maire"


def member(*kinds: str, spaces=(), service=None, official=None):
    """A verified account holding ``kinds``, with the scopes given."""
    user = ParticipantFactory()
    team_roles_set(user=user, kinds=set(kinds))
    for space in spaces:
        space.moderators.add(user)
    if service is not None:
        service.members.add(user)
    if official is not None:
        Official.objects.filter(pk=official.pk).update(account=user)
    return user


Kind = TeamRole.Kind
