import datetime

from django.db import connection
from django.utils import timezone

from accounts.models import User

from .models import UsageSnapshot


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
        },
    )
    return snapshot
