"""What training shows on lower apps' pages: the town's sessions on its back-office dashboard
(read only) and on the console's town page (with the way to plan one), after the go-live
checklist."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from console.audit import audit_labels_register
from console.hooks import TownPagePart, register_town_section
from participation.backoffice.panels import DashboardPanel, Place, register_dashboard_panel
from tenants.models import Tenant

from .selectors import sessions_for, town_training, trained_staff_count


def _console_context(town: Tenant) -> dict[str, Any]:
    return {
        "town": town,
        "sessions": sessions_for(town),
        "trained_staff": trained_staff_count(town),
    }


def register() -> None:
    audit_labels_register(
        {
            "training.session_planned": _("Formation planifiée"),
            "training.session_updated": _("Formation modifiée"),
            "training.session_cancelled": _("Formation annulée"),
            "training.invitee_added": _("Personne invitée à une formation"),
            "training.invitee_removed": _("Invitation à une formation retirée"),
            "training.attendance_recorded": _("Présence à une formation enregistrée"),
            "training.material_added": _("Support de formation ajouté"),
            "training.material_removed": _("Support de formation retiré"),
        }
    )
    register_dashboard_panel(
        "training",
        DashboardPanel(
            place=Place.BOTTOM,
            template="training/_backoffice.html",
            context=lambda town: {"training": town_training(town)},
        ),
    )
    register_town_section(
        "training",
        TownPagePart(template="training/_town_console.html", context=_console_context, order=20),
    )
