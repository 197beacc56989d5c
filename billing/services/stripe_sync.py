"""Our records of Stripe-mode subscriptions and invoices, synced from Stripe's current state.

Webhook events only say "this object changed": the object is fetched again from Stripe and our
row rewritten from it. Events may arrive twice or in any order, the result is the same: the
state Stripe holds when the last of them is processed. Every function here is idempotent and
runs under the subscription's row lock, so two events of one town are applied one at a time.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import NotFound

from .. import gateway
from ..models import AddOn, Invoice, Payment, Plan, Subscription, SubscriptionAddOn
from .dunning import subscription_standing_apply

logger = logging.getLogger(__name__)


def _locked_subscription(**lookup: str) -> Subscription:
    subscription = (
        Subscription.objects.select_for_update()
        .select_related("tenant", "plan")
        .filter(**lookup)
        .first()
    )
    if subscription is None:
        # Usually a town's subscription whose creation has not committed yet: retried later.
        raise NotFound(
            _("Aucun abonnement ne correspond à l'objet Stripe %(lookup)s.") % {"lookup": lookup}
        )
    return subscription


def invoice_apply(
    *,
    subscription: Subscription,
    data: gateway.StripeInvoice,
    recorded_by: User | None = None,
    reference: str = "",
) -> Invoice:
    """Write Stripe's invoice onto ours (created if new); record its payment once paid."""
    paid_at = data.paid_at or (timezone.now() if data.status == Invoice.Status.PAID else None)
    invoice, _created = Invoice.objects.update_or_create(
        stripe_invoice_id=data.id,
        defaults={
            "subscription": subscription,
            "number": data.number or None,
            "status": data.status,
            "billing_reason": data.billing_reason
            if data.billing_reason in Invoice.Reason.values
            else Invoice.Reason.MANUAL,
            "total_cents": data.total_cents,
            "amount_due_cents": data.amount_due_cents,
            "amount_paid_cents": data.amount_paid_cents,
            "period_start": data.period_start,
            "period_end": data.period_end,
            "lines": [
                {
                    "description": line.description,
                    "quantity": line.quantity,
                    "amount_cents": line.amount_cents,
                    "proration": line.proration,
                }
                for line in data.lines
            ],
            "issued_at": data.finalized_at,
            "due_date": data.due_date,
            "paid_at": paid_at,
            "hosted_invoice_url": data.hosted_invoice_url,
        },
    )
    if invoice.status == Invoice.Status.PAID and data.amount_paid_cents > 0:
        Payment.objects.get_or_create(
            invoice=invoice,
            defaults={
                "amount_cents": data.amount_paid_cents,
                "method": Payment.Method.BANK_TRANSFER
                if data.paid_out_of_band
                else Payment.Method.STRIPE,
                "paid_at": paid_at,
                "reference": reference,
                "recorded_by": recorded_by,
            },
        )
    return invoice


def subscription_apply(*, subscription: Subscription, data: gateway.StripeSubscription) -> None:
    """Write Stripe's subscription onto ours: status, period, plan and add-on quantities."""
    if data.status in Subscription.Status.values:
        subscription.status = data.status
    subscription.current_period_start, subscription.current_period_end = data.period
    plan = Plan.objects.filter(code=data.plan_item.code).first()
    if plan is not None:
        subscription.plan = plan
    subscription.save(
        update_fields=["status", "current_period_start", "current_period_end", "plan", "updated_at"]
    )

    addon_items = [item for item in data.items if item.kind == "addon"]
    addons = AddOn.objects.in_bulk([item.code for item in addon_items], field_name="code")
    kept = []
    for item in addon_items:
        addon = addons.get(item.code)
        if addon is None:
            logger.warning("Article Stripe %s : option « %s » inconnue.", item.id, item.code)
            continue
        SubscriptionAddOn.objects.update_or_create(
            subscription=subscription,
            addon=addon,
            defaults={"quantity": item.quantity, "stripe_item_id": item.id},
        )
        kept.append(addon.pk)
    subscription.addons.exclude(addon__in=kept).delete()


def invoice_sync(*, stripe_invoice_id: str) -> Invoice | None:
    """Fetch the invoice from Stripe and sync ours; then the town's standing (a payment gives
    a restricted town its status back)."""
    with transaction.atomic():
        try:
            data = gateway.invoice_retrieve(stripe_invoice_id)
        except gateway.StripeNotFound:
            # Only drafts can be deleted in Stripe.
            Invoice.objects.filter(
                stripe_invoice_id=stripe_invoice_id, status=Invoice.Status.DRAFT
            ).delete()
            return None
        subscription = _locked_subscription(stripe_customer_id=data.customer_id)
        invoice = invoice_apply(subscription=subscription, data=data)
        subscription_standing_apply(subscription=subscription)
    return invoice


def subscription_sync(*, stripe_subscription_id: str) -> Subscription:
    with transaction.atomic():
        data = gateway.subscription_retrieve(stripe_subscription_id)
        subscription = _locked_subscription(stripe_subscription_id=stripe_subscription_id)
        subscription_apply(subscription=subscription, data=data)
    return subscription
