"""The volunteering hub's open data: the validated associations' directory and the agenda
(events and public missions). Nothing here names a volunteer or a member."""

from __future__ import annotations

from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from participation.hooks import OpenDataset
from participation.models import Component

from .models import Association, Event, Mission
from .selectors import agenda, validated_associations

ASSOCIATION_COLUMNS = (
    "nom",
    "categories",
    "quartier",
    "adresse",
    "site_web",
    "rna",
    "presentation",
    "validee_le",
)
AGENDA_COLUMNS = (
    "type",
    "identifiant",
    "titre",
    "description",
    "debut",
    "fin",
    "lieu",
    "quartier",
    "association",
)


def open_data(components: QuerySet[Component]) -> list[OpenDataset]:
    return [
        OpenDataset(
            key="associations",
            title=_("Associations"),
            description=_("L'annuaire des associations validées par la collectivité."),
            columns=ASSOCIATION_COLUMNS,
            rows=_association_rows,
            modified=Association.objects.filter(status=Association.Status.VALIDATED).aggregate(
                at=Max("validated_at")
            )["at"],
        ),
        OpenDataset(
            key="agenda-benevolat",
            title=_("Agenda du bénévolat"),
            description=_("Les événements et les missions bénévoles publiés, par date."),
            columns=AGENDA_COLUMNS,
            rows=lambda: _agenda_rows(components),
            modified=max(
                filter(
                    None,
                    (
                        model.objects.filter(component__in=components).aggregate(
                            at=Max("updated_at")
                        )["at"]
                        for model in (Event, Mission)
                    ),
                ),
                default=None,
            ),
        ),
    ]


def _association_rows():
    for association in validated_associations().order_by("name", "pk"):
        yield {
            "nom": association.name,
            "categories": ", ".join(association.category_labels),
            "quartier": association.neighbourhood.name if association.neighbourhood else None,
            "adresse": association.address,
            "site_web": association.website,
            "rna": association.rna,
            "presentation": association.description,
            "validee_le": association.validated_at,
        }


def _agenda_rows(components: QuerySet[Component]):
    for component in components.order_by("pk"):
        for entry in agenda(component):
            yield {
                "type": entry.kind,
                "identifiant": entry.pk,
                "titre": entry.title,
                "description": entry.description,
                "debut": timezone.localtime(entry.starts_at),
                "fin": timezone.localtime(entry.ends_at),
                "lieu": entry.place,
                "quartier": entry.neighbourhood or None,
                "association": entry.association.name if entry.association else None,
            }
