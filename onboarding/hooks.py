"""What onboarding shows on lower apps' pages: the go-live checklist on the town's back-office
dashboard (with links to the pages that do each item) and on the console's town page, with the
way to end the service there."""

from __future__ import annotations

from console.hooks import TownPagePart, register_town_section
from participation.backoffice.panels import DashboardPanel, Place, register_dashboard_panel

from .checklist import golive_checklist


def register() -> None:
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
