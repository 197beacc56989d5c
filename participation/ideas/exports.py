import csv
import io

from django.utils.translation import gettext as _

from participation.models import Component

from .models import Proposal
from .selectors import with_support_counts

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    """Residents' and staff's text never starts a spreadsheet formula."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _amount(value) -> str:
    return "" if value is None else str(value).replace(".", ",")


def proposals_csv(component: Component) -> tuple[str, str, bytes]:
    """Every proposal with its status and supports (merged duplicates say where they went).
    UTF-8 with BOM: opens as is in a spreadsheet."""
    proposals = with_support_counts(
        Proposal.objects.filter(component=component)
        .select_related("category", "neighbourhood")
        .order_by("created_at", "pk")
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(
        [
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
    )
    for proposal in proposals:
        writer.writerow(
            [
                proposal.pk,
                _cell(proposal.title),
                _cell(proposal.category.name if proposal.category else ""),
                _cell(proposal.neighbourhood.name if proposal.neighbourhood else ""),
                _cell(proposal.address),
                proposal.get_status_display(),
                proposal.support_count,
                _amount(proposal.estimated_cost),
                _amount(proposal.cost_estimate),
                _cell(proposal.assigned_service),
                proposal.merged_into_id or "",
                proposal.created_at.date().isoformat(),
            ]
        )
    filename = f"idees-{component.space.slug}-{component.pk}.csv"
    return filename, "text/csv; charset=utf-8", buffer.getvalue().encode("utf-8-sig")
