"""What the library shows on a town's back office, whose pages import nothing of the vendor
side: a panel on the dashboard leading to the library (participation.backoffice.panels, as the
go-live checklist does); and its part of the vendor's demo (onboarding's demo hook)."""

from __future__ import annotations

from onboarding.demo import register_demo_extra
from participation.backoffice.panels import DashboardPanel, Place, register_dashboard_panel

from . import demo, selectors


def _panel_context(town) -> dict:
    return {"template_count": selectors.templates().count()}


def register() -> None:
    register_demo_extra("template_library", demo.library_demo_seed)
    register_dashboard_panel(
        "template_library",
        DashboardPanel(
            place=Place.BOTTOM,
            template="library/_dashboard_panel.html",
            context=_panel_context,
        ),
    )
