"""What the network shows on a lower layer's page: the way in, on the town's back-office
dashboard (participation imports nothing of the vendor's apps); and its part of the vendor's
demo (onboarding's demo hook)."""

from __future__ import annotations

from django_tenants.utils import get_public_schema_name, schema_context

from accounts.models import User
from onboarding.demo import DEMO_TOWNS, VENDOR_STAFF, register_demo_extra
from participation.backoffice.panels import DashboardPanel, Place, register_dashboard_panel
from tenants.models import Tenant

from .demo import demo_network_seed


def _demo_seed(towns: list[Tenant]) -> None:
    """The demo towns' admins' threads, started by the demo's vendor staff account."""
    admins = {
        demo.slug: (town, demo.admin_email) for demo, town in zip(DEMO_TOWNS, towns, strict=True)
    }
    with schema_context(get_public_schema_name()):
        staff = User.objects.get(email=VENDOR_STAFF[0])
        demo_network_seed(towns=admins, staff=staff)


def register() -> None:
    register_demo_extra("network", _demo_seed)
    register_dashboard_panel(
        "network",
        DashboardPanel(
            place=Place.TOP, template="network/_backoffice.html", context=lambda town: {}
        ),
    )
