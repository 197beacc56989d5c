"""Console actions that are not onboarding, billing or training of their own."""

from django.db import transaction
from django.http import HttpRequest
from django_tenants.utils import tenant_context

from accounts.models import User
from participation.usage.models import UsageSnapshot
from participation.usage.services import usage_snapshot_take
from tenants.models import Tenant

from .audit import audit_record


def town_usage_refresh(
    *, actor: User, town: Tenant, request: HttpRequest | None = None
) -> UsageSnapshot:
    """Take the town's usage snapshot of today now, rather than wait for the hourly one; logged with
    it, in one transaction."""
    with transaction.atomic():
        with tenant_context(town):
            snapshot = usage_snapshot_take()
        audit_record(actor=actor, action="town.usage_refreshed", town=town, request=request)
    return snapshot
