"""What billing shows on the console's town pages (console.hooks): each town's renewal date
and amount due in the towns list, its subscription among a town's facts."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from console.audit import audit_labels_register
from console.hooks import (
    TownListColumns,
    TownPagePart,
    register_town_fact,
    register_town_list_columns,
)
from tenants.models import Tenant

from .selectors import billing_summaries


def _list_values(towns: list[Tenant]) -> dict[int, dict[str, Any]]:
    summaries = billing_summaries([town.pk for town in towns])
    return {town_id: {"billing": summary} for town_id, summary in summaries.items()}


def _fact_context(town: Tenant) -> dict[str, Any]:
    return {"billing": billing_summaries([town.pk]).get(town.pk)}


def register() -> None:
    audit_labels_register(
        {
            "billing.subscription_start": _("Abonnement souscrit"),
            "billing.addon_add": _("Option ajoutée à l'abonnement"),
            "billing.invoice_mark_paid": _("Facture marquée payée"),
            "billing.town_status": _("Statut de la collectivité changé (impayé ou règlement)"),
            "billing.plan_create": _("Formule créée"),
            "billing.plan_update": _("Formule modifiée"),
            "billing.addon_create": _("Option créée"),
            "billing.addon_update": _("Option modifiée"),
            "billing.details_save": _(
                "Coordonnées de facturation enregistrées (SIRET, Chorus Pro)"
            ),
            "billing.credit_note_issue": _("Avoir émis"),
            "billing.chorus_deposit": _("Facture déposée sur Chorus Pro"),
            "billing.chorus_status": _("Statut Chorus Pro enregistré"),
            "billing.quote_create": _("Devis établi"),
            "billing.quote_sign": _("Devis signé, abonnement souscrit"),
        }
    )
    register_town_list_columns(
        "billing",
        TownListColumns(
            headers=(_("Renouvellement"), _("Montant dû")),
            template="billing/_town_list_cells.html",
            values=_list_values,
        ),
    )
    register_town_fact(
        "billing", TownPagePart(template="billing/_town_fact.html", context=_fact_context)
    )
