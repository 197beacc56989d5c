from django.utils.translation import gettext as _

from core.exports import CSV_CONTENT_TYPE, csv_bytes
from participation.models import Component

from .models import Proposal
from .selectors import with_support_counts


def proposals_csv(component: Component) -> tuple[str, str, bytes]:
    """Every proposal with its status and supports (merged duplicates say where they went).
    UTF-8 with BOM: opens as is in a spreadsheet."""
    proposals = with_support_counts(
        Proposal.objects.filter(component=component)
        .select_related("category", "neighbourhood")
        .order_by("created_at", "pk")
    )
    header = [
        _("idée"),
        _("titre"),
        _("catégorie"),
        _("quartier"),
        _("adresse"),
        _("statut"),
        _("soutiens"),
        _("coût estimé (auteur)"),
        _("coût estimé (services)"),
        _("service"),
        _("fusionnée avec"),
        _("déposée le"),
    ]
    rows = (
        [
            proposal.pk,
            proposal.title,
            proposal.category.name if proposal.category else "",
            proposal.neighbourhood.name if proposal.neighbourhood else "",
            proposal.address,
            proposal.get_status_display(),
            proposal.support_count,
            proposal.estimated_cost,
            proposal.cost_estimate,
            proposal.assigned_service,
            proposal.merged_into_id,
            proposal.created_at.date(),
        ]
        for proposal in proposals
    )
    filename = f"idees-{component.space.slug}-{component.pk}.csv"
    return filename, CSV_CONTENT_TYPE, csv_bytes([header, *rows])
