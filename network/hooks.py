"""What the network shows on a lower layer's page: the way in, on the town's back-office
dashboard (participation imports nothing of the vendor's apps)."""

from __future__ import annotations

from participation.backoffice.panels import DashboardPanel, Place, register_dashboard_panel


def register() -> None:
    register_dashboard_panel(
        "network",
        DashboardPanel(
            place=Place.TOP, template="network/_backoffice.html", context=lambda town: {}
        ),
    )
