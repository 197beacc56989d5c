import datetime

from django.db import connection
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from participation.dashboard import contributions_since
from participation.registry import registry

from .models import UsageSnapshot

CONTRIBUTIONS_WINDOW = datetime.timedelta(days=30)


def module_figures() -> dict[str, float | None]:
    """Every installed module's town-wide figures (registry's ``town_figures``), merged."""
    figures: dict[str, float | None] = {}
    for component_type in registry:
        if component_type.town_figures is not None:
            figures |= component_type.town_figures()
    return figures


def usage_snapshot_take(*, day: datetime.date | None = None) -> UsageSnapshot:
    """Record today's figures for the current town (idempotent: one row per day)."""
    day = day or timezone.localdate()
    citizens = User.objects.filter(role=User.Role.CITIZEN, is_active=True)
    snapshot, _created = UsageSnapshot.objects.update_or_create(
        day=day,
        defaults={
            "registered_citizens": citizens.count(),
            "verified_citizens": citizens.filter(email_verified_at__isnull=False).count(),
            "population": connection.tenant.population,
            "contributions_30d": contributions_since(timezone.now() - CONTRIBUTIONS_WINDOW),
            "last_admin_login_at": User.objects.filter(role=User.Role.ADMIN).aggregate(
                at=Max("last_login")
            )["at"],
            "module_figures": module_figures(),
        },
    )
    return snapshot
