"""The ideas' open data: every proposal of the public calls for ideas, its status and the
analysis' public outcome (eligible or not, and the public reason), never its authors."""

from __future__ import annotations

from django.db.models import Max, QuerySet
from django.utils.translation import gettext as _

from core.hosts import current_town_url
from participation.components import component_url
from participation.hooks import OpenDataset
from participation.models import Component

from .models import Proposal
from .selectors import with_support_counts

Status = Proposal.Status
ELIGIBLE = {
    Status.ELIGIBLE,
    Status.PUT_TO_VOTE,
    Status.SELECTED,
    Status.NOT_SELECTED,
    Status.IN_PROGRESS,
    Status.DONE,
}
COLUMNS = (
    "identifiant",
    "espace",
    "appel_a_idees",
    "titre",
    "description",
    "categorie",
    "quartier",
    "lieu",
    "latitude",
    "longitude",
    "cout_estime",
    "statut",
    "statut_libelle",
    "recevable",
    "motif_non_recevabilite",
    "soutiens",
    "deposee_le",
    "url",
)


def _proposals(components: QuerySet[Component]) -> QuerySet[Proposal]:
    return Proposal.objects.filter(component__in=components, merged_into__isnull=True)


def open_data(components: QuerySet[Component]) -> list[OpenDataset]:
    return [
        OpenDataset(
            key="idees",
            title=_("Idées des habitants"),
            description=_(
                "Les idées déposées dans les appels à idées, leur statut et le résultat de "
                "leur analyse (recevable ou non, avec le motif public), sans leurs auteurs."
            ),
            columns=COLUMNS,
            rows=lambda: _rows(components),
            modified=_proposals(components).aggregate(at=Max("updated_at"))["at"],
        )
    ]


def _eligible(proposal: Proposal) -> bool | None:
    if proposal.status in ELIGIBLE:
        return True
    return False if proposal.status == Status.INELIGIBLE else None


def _rows(components: QuerySet[Component]):
    proposals = with_support_counts(
        _proposals(components).select_related("component__space", "category", "neighbourhood")
    ).order_by("component_id", "created_at", "pk")
    for proposal in proposals:
        yield {
            "identifiant": proposal.pk,
            "espace": proposal.component.space.title,
            "appel_a_idees": proposal.component.title,
            "titre": proposal.title,
            "description": proposal.description,
            "categorie": proposal.category.name if proposal.category else None,
            "quartier": proposal.neighbourhood.name if proposal.neighbourhood else None,
            "lieu": proposal.address,
            "latitude": proposal.latitude,
            "longitude": proposal.longitude,
            "cout_estime": proposal.estimated_cost,
            "statut": proposal.status,
            "statut_libelle": proposal.get_status_display(),
            "recevable": _eligible(proposal),
            "motif_non_recevabilite": proposal.ineligibility_reason
            if proposal.status == Status.INELIGIBLE
            else "",
            "soutiens": proposal.support_count,
            "deposee_le": proposal.created_at,
            "url": current_town_url(component_url(proposal.component, "proposal", proposal.pk)),
        }
