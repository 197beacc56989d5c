"""What onboarding shows on lower apps' pages: the go-live checklist on the town's back-office
dashboard (with links to the pages that do each item) and on the console's town page, with the
way to end the service there."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from console.audit import audit_labels_register
from console.hooks import TownPagePart, register_town_section
from participation.backoffice.panels import DashboardPanel, Place, register_dashboard_panel

from .checklist import golive_checklist
from .wizard import STEPS


def register() -> None:
    audit_labels_register(
        {
            "onboarding.requested": _("Mise en service demandée"),
            "onboarding.done": _("Mise en service terminée"),
            "onboarding.failed": _("Mise en service en échec"),
            **{f"onboarding.{step.key}": step.label for step in STEPS},
            "offboarding.export_requested": _("Export de fin de service demandé"),
            "offboarding.export_done": _("Export de fin de service prêt"),
            "offboarding.export_failed": _("Export de fin de service en échec"),
            "offboarding.export_downloaded": _("Export de fin de service téléchargé"),
            "offboarding.archived": _("Collectivité archivée"),
            "offboarding.deleted": _("Collectivité supprimée"),
        }
    )
    register_dashboard_panel(
        "golive_checklist",
        DashboardPanel(
            place=Place.TOP,
            template="onboarding/_checklist.html",
            context=lambda town: {"items": golive_checklist(town), "links": True},
        ),
    )
    register_town_section(
        "golive_checklist",
        TownPagePart(
            template="onboarding/_checklist.html",
            context=lambda town: {"items": golive_checklist(town), "links": False},
            order=10,
        ),
    )
    # Offboarding (onboarding.offboarding): export, archive, delete; after the trainings.
    register_town_section(
        "offboarding",
        TownPagePart(
            template="onboarding/offboarding_town_section.html",
            context=lambda town: {},
            order=30,
        ),
    )
