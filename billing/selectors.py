"""Read-only billing queries for the console."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, F, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from tenants.models import Tenant

from .models import AddOn, Invoice, Plan, Subscription


@dataclass(frozen=True)
class BillingSummary:
    plan_name: str
    mode: str
    renewal_date: datetime.date
    amount_due_cents: int
    overdue: bool
    restricted_by_billing: bool


def _open_invoices() -> QuerySet[Invoice]:
    return Invoice.objects.filter(subscription=OuterRef("pk"), status=Invoice.Status.OPEN)


def billing_summaries(tenant_ids: Iterable[int]) -> dict[int, BillingSummary]:
    """Plan, renewal date, amount due on open invoices and whether one is past its due date,
    for each of these towns that has a subscription: one query."""
    today = timezone.localdate()
    amount_due = (
        _open_invoices()
        .values("subscription")
        .annotate(total=Sum(F("amount_due_cents") - F("amount_paid_cents")))
        .values("total")
    )
    subscriptions = (
        Subscription.objects.filter(tenant_id__in=list(tenant_ids))
        .annotate(
            plan_name=F("plan__name"),
            amount_due=Coalesce(Subquery(amount_due, output_field=IntegerField()), Value(0)),
            overdue=Exists(_open_invoices().filter(due_date__lt=today)),
        )
        .values(
            "tenant_id",
            "plan_name",
            "mode",
            "current_period_end",
            "amount_due",
            "overdue",
            "restricted_by_billing",
        )
    )
    return {
        row["tenant_id"]: BillingSummary(
            plan_name=row["plan_name"],
            mode=row["mode"],
            renewal_date=row["current_period_end"],
            amount_due_cents=row["amount_due"],
            overdue=row["overdue"],
            restricted_by_billing=row["restricted_by_billing"],
        )
        for row in subscriptions
    }


def plans_list() -> QuerySet[Plan]:
    return Plan.objects.all()


def addons_list() -> QuerySet[AddOn]:
    return AddOn.objects.all()


def invoices_list(*, status: str = "") -> QuerySet[Invoice]:
    invoices = Invoice.objects.select_related("subscription__tenant", "payment")
    if status:
        invoices = invoices.filter(status=status)
    return invoices


def town_subscription(tenant: Tenant) -> Subscription | None:
    return (
        Subscription.objects.select_related("plan")
        .prefetch_related("addons__addon")
        .filter(tenant=tenant)
        .first()
    )


def subscription_invoices(subscription: Subscription) -> QuerySet[Invoice]:
    return subscription.invoices.select_related("payment__recorded_by")
