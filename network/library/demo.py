"""The library's demo: Montigny publishes its « Mobilités douces » consultation as a template,
once (run by the vendor's demo, ``./agora up``, through onboarding's demo hook)."""

from __future__ import annotations

from django_tenants.utils import tenant_context

from accounts.models import User
from onboarding.demo import DEMO_TOWNS
from participation.models import Space
from tenants.models import Tenant

from .models import SpaceTemplate
from .services import template_publish

SOURCE_SLUG = "montigny"
SPACE_TITLE = "Mobilités douces en centre-ville"
DESCRIPTION = (
    "Une concertation sur le plan vélo et piétons : un questionnaire sur les déplacements "
    "(avec questions conditionnelles) et un sondage express, ouverts un mois. Montigny l'a "
    "menée avant de présenter les résultats au conseil municipal."
)


def library_demo_seed(towns: list[Tenant]) -> None:
    town = next((t for t in towns if t.slug == SOURCE_SLUG), None)
    demo = next(d for d in DEMO_TOWNS if d.slug == SOURCE_SLUG)
    if town is None:
        return
    with tenant_context(town):
        space = Space.objects.filter(title=SPACE_TITLE).first()
        admin = User.objects.filter(email=demo.admin_email).first()
        if space is None or admin is None:
            return
        if not SpaceTemplate.objects.filter(source_tenant=town, source_space_id=space.pk).exists():
            template_publish(
                actor=admin,
                space_id=space.pk,
                title="Mobilités douces",
                description=DESCRIPTION,
                tags=["mobilité", "vélo", "concertation"],
            )
