"""What training shows on lower apps' pages: the town's sessions on its back-office dashboard
(read only) and on the console's town page (with the way to plan one), after the go-live
checklist."""

from __future__ import annotations

from typing import Any

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
