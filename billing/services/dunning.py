"""Unpaid invoices: past the grace period the town turns read-only, later it is suspended; once
nothing is overdue any more it is active again. Only towns that billing itself restricted are
given back: a status the staff set for another reason is never undone here."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.emails import email_send_on_commit
from console.audit import audit_record
from tenants.models import Tenant
from tenants.services import town_set_status

from ..models import Invoice, Subscription

logger = logging.getLogger(__name__)

# What billing may restrict: a town the staff made read-only, suspended or archived is theirs.
RESTRICTABLE = (Tenant.Status.TRIAL, Tenant.Status.ACTIVE)


def standing_for(*, subscription: Subscription, today: datetime.date) -> str | None:
    """The status the unpaid invoices call for (read-only or suspended), or None if none."""
    oldest_due = subscription.invoices.filter(
        status=Invoice.Status.OPEN, due_date__isnull=False
    ).aggregate(oldest=Min("due_date"))["oldest"]
    if oldest_due is None:
        return None
    days_late = (today - oldest_due).days
    if days_late > subscription.grace_days + subscription.suspension_after_days:
        return Tenant.Status.SUSPENDED
    if days_late > subscription.grace_days:
        return Tenant.Status.READ_ONLY
    return None


def subscription_standing_apply(
    *, subscription: Subscription, today: datetime.date | None = None
) -> str | None:
    """Give the town the status its invoices call for; the new status, or None if unchanged."""
    today = today or timezone.localdate()
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update()
            .select_related("tenant")
            .get(pk=subscription.pk)
        )
        tenant = Tenant.objects.select_for_update().get(pk=subscription.tenant_id)
        target = standing_for(subscription=subscription, today=today)
        if target is None:
            if not subscription.restricted_by_billing:
                return None
            subscription.restricted_by_billing = False
            subscription.save(update_fields=["restricted_by_billing", "updated_at"])
            if tenant.status not in (Tenant.Status.READ_ONLY, Tenant.Status.SUSPENDED):
                return None  # the staff changed it meanwhile: theirs to keep
            target = Tenant.Status.ACTIVE
        elif not subscription.restricted_by_billing:
            if tenant.status not in RESTRICTABLE:
                return None
            subscription.restricted_by_billing = True
            subscription.save(update_fields=["restricted_by_billing", "updated_at"])
        if tenant.status == target:
            return None
        town_set_status(tenant=tenant, status=target)
        audit_record(
            actor=None,
            action="billing.town_status",
            town=tenant,
            details={"from": tenant.status, "to": target},
        )
        _notify(subscription=subscription, tenant=tenant, status=target)
    return target


def _notify(*, subscription: Subscription, tenant: Tenant, status: str) -> None:
    subjects = {
        Tenant.Status.READ_ONLY: _("%(town)s : facture impayée, site en lecture seule"),
        Tenant.Status.SUSPENDED: _("%(town)s : facture impayée, service suspendu"),
        Tenant.Status.ACTIVE: _("%(town)s : paiement reçu, service rétabli"),
    }
    email_send_on_commit(
        to=subscription.billing_email,
        subject=subjects[status] % {"town": tenant.name},
        template="billing/emails/town_status.txt",
        context={
            "town": tenant,
            "status": status,
            "open_invoices": subscription.invoices.filter(status=Invoice.Status.OPEN),
        },
    )


@dataclass(frozen=True)
class DunningRun:
    checked: int
    changed: dict[int, str]  # tenant id -> new status


def dunning_run(*, today: datetime.date | None = None) -> DunningRun:
    """Daily: every subscription with an open invoice, or a town billing restricted."""
    today = today or timezone.localdate()
    subscriptions = Subscription.objects.filter(
        pk__in=Invoice.objects.filter(status=Invoice.Status.OPEN).values("subscription")
    ) | Subscription.objects.filter(restricted_by_billing=True)
    changed = {}
    checked = 0
    for subscription in subscriptions.distinct().order_by("pk"):
        checked += 1
        try:
            status = subscription_standing_apply(subscription=subscription, today=today)
        except Exception:  # one town's failure must not spare the others
            logger.exception("Relance : abonnement %s non traité.", subscription.pk)
            continue
        if status is not None:
            changed[subscription.tenant_id] = status
    return DunningRun(checked=checked, changed=changed)
