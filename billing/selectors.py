"""Read-only billing queries for the console."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import (
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from participation.modules import Plan as TownPlan
from tenants.models import Tenant

from .models import AddOn, BillingDetails, ChorusDeposit, Invoice, Plan, Quote, Subscription


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
    invoices = Invoice.objects.select_related("subscription__tenant", "payment", "credited_invoice")
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
    return subscription.invoices.select_related("payment__recorded_by", "credited_invoice")


def our_documents() -> QuerySet[Invoice]:
    """Our own invoices and credit notes (manual mode), ready to render: newest first."""
    return (
        Invoice.objects.filter(stripe_invoice_id__isnull=True, sequence_number__isnull=False)
        .select_related("subscription__tenant", "credited_invoice", "chorus_deposit")
        .order_by("-sequence_year", "-sequence_number")
    )


def our_document(number: str) -> Invoice | None:
    return our_documents().filter(number=number).first()


def chorus_to_deposit() -> QuerySet[Invoice]:
    """Our documents not (or no longer) on Chorus Pro: never deposited, or rejected (to deposit
    again once corrected), oldest first."""
    return (
        our_documents()
        .filter(
            Q(chorus_deposit__isnull=True) | Q(chorus_deposit__status=ChorusDeposit.Status.REJECTED)
        )
        # Cancelled before it was deposited: neither it nor its credit note goes to Chorus Pro.
        .exclude(status=Invoice.Status.VOID, chorus_deposit__isnull=True)
        .exclude(kind=Invoice.Kind.CREDIT_NOTE, credited_invoice__chorus_deposit__isnull=True)
        .order_by("sequence_year", "sequence_number")
    )


def chorus_deposited() -> QuerySet[Invoice]:
    return (
        our_documents()
        .filter(chorus_deposit__isnull=False)
        .exclude(chorus_deposit__status=ChorusDeposit.Status.REJECTED)
    )


def town_billing_details(tenant: Tenant) -> BillingDetails | None:
    return BillingDetails.objects.filter(tenant=tenant).first()


def town_quotes(tenant: Tenant) -> QuerySet[Quote]:
    return Quote.objects.filter(tenant=tenant).select_related("plan", "subscription")


def town_plan(town: Tenant) -> TownPlan | None:
    """The plan whose modules the town may switch on (participation.modules): its
    subscription's, else the one chosen at its creation (Tenant.plan); None without either."""
    subscription = Subscription.objects.filter(tenant=town).select_related("plan").first()
    plan = (
        subscription.plan
        if subscription is not None
        else Plan.objects.filter(code=town.plan).first()
        if town.plan
        else None
    )
    return None if plan is None else TownPlan(plan.name, frozenset(plan.included_modules))
