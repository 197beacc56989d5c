"""Factories of the town's officials and municipal services. Create inside
tenant_context(town)."""

import factory

from participation.models import MunicipalService, Official


class MunicipalServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MunicipalService

    name = factory.Sequence(lambda n: f"Service {n}")


class OfficialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Official

    name = factory.Sequence(lambda n: f"Élu {n}")
    title = "Adjoint au maire"
