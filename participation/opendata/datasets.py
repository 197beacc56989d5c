"""Which datasets the town publishes: the spaces (the engine's), then each module's."""

from __future__ import annotations

from django.db import connection
from django.db.models import Max, QuerySet
from django.utils.translation import gettext as _

from core.hosts import current_town_url

from ..hooks import OpenDataset
from ..models import Component, Space
from ..registry import registry

LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
LICENCE_NAME = "Licence Ouverte / Open Licence version 2.0"


def public_components() -> QuerySet[Component]:
    """The components anyone may read: in published spaces, of the modules the town has."""
    components = Component.objects.filter(space__status=Space.Status.PUBLISHED).select_related(
        "space"
    )
    enabled = getattr(connection.tenant, "enabled_modules", None)
    return components.filter(type_key__in=enabled) if enabled else components


def town_datasets() -> list[OpenDataset]:
    components = public_components()
    present = set(components.order_by().values_list("type_key", flat=True).distinct())
    datasets = [spaces_dataset()]
    for component_type in registry:
        if component_type.open_data and component_type.key in present:
            datasets.extend(
                component_type.open_data(components.filter(type_key=component_type.key))
            )
    return datasets


def town_dataset(key: str) -> OpenDataset | None:
    return next((dataset for dataset in town_datasets() if dataset.key == key), None)


def _published_spaces() -> QuerySet[Space]:
    return Space.objects.filter(status=Space.Status.PUBLISHED)


def spaces_dataset() -> OpenDataset:
    return OpenDataset(
        key="espaces",
        title=_("Espaces de participation"),
        description=_(
            "Les concertations, conseils de quartier, budgets participatifs et espaces de "
            "bénévolat publiés, avec les modules de chacun."
        ),
        columns=(
            "identifiant",
            "titre",
            "type",
            "resume",
            "quartier",
            "publie_le",
            "modules",
            "url",
        ),
        rows=_space_rows,
        modified=_published_spaces().aggregate(at=Max("published_at"))["at"],
    )


def _space_rows():
    spaces = _published_spaces().select_related("neighbourhood").prefetch_related("components")
    for space in spaces.order_by("position", "pk"):
        yield {
            "identifiant": space.slug,
            "titre": space.title,
            "type": space.get_kind_display(),
            "resume": space.summary,
            "quartier": space.neighbourhood.name if space.neighbourhood else None,
            "publie_le": space.published_at,
            "modules": ", ".join(
                sorted({component.type_key for component in space.components.all()})
            ),
            "url": current_town_url(f"/espaces/{space.slug}/"),
        }
