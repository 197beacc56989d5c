"""A town's subscription: starting it, adding options mid-year, renewing it (manual mode).

Stripe mode (STRIPE_SECRET_KEY set): Stripe holds the subscription and issues the invoices; we
make the calls through billing.gateway and keep a synced copy. Manual mode: the same records,
our own invoices, paid by bank transfer and marked paid by the staff.
"""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import User
from console.audit import audit_record
from core.errors import Conflict, Invalid, NotAllowed
from tenants.models import Tenant

from .. import gateway
from ..models import AddOn, Invoice, Plan, Subscription, SubscriptionAddOn
from .invoices import invoice_issue_manual, invoice_line
from .stripe_sync import invoice_apply, subscription_apply

logger = logging.getLogger(__name__)


def billing_mode() -> str:
    """The mode of subscriptions started now; a subscription keeps the mode it started in."""
    return Subscription.Mode.STRIPE if gateway.is_configured() else Subscription.Mode.MANUAL


def add_year(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def prorated_cents(
    *,
    annual_cents: int,
    period_start: datetime.date,
    period_end: datetime.date,
    today: datetime.date,
) -> int:
    """The share of a yearly amount for the days left in the period, to the nearest cent."""
    days_in_period = (period_end - period_start).days
    days_left = max(0, min((period_end - today).days, days_in_period))
    return (2 * annual_cents * days_left + days_in_period) // (2 * days_in_period)


def _period_text(start: datetime.date, end: datetime.date) -> str:
    return _("du %(start)s au %(end)s") % {
        "start": formats.date_format(start, "SHORT_DATE_FORMAT"),
        "end": formats.date_format(end, "SHORT_DATE_FORMAT"),
    }


def yearly_lines(
    subscription: Subscription, *, start: datetime.date, end: datetime.date
) -> list[dict]:
    """A full year of the plan and its add-ons, as invoice lines."""
    period = _period_text(start, end)
    lines = [
        invoice_line(
            description=f"{subscription.plan.name} – {period}",
            quantity=1,
            amount_cents=subscription.plan.annual_price_cents,
            proration=False,
        )
    ]
    for item in subscription.addons.select_related("addon"):
        lines.append(
            invoice_line(
                description=f"{item.addon.name} – {period}",
                quantity=item.quantity,
                amount_cents=item.quantity * item.addon.annual_unit_price_cents,
                proration=False,
            )
        )
    return lines


def _start_checked(*, tenant: Tenant, plan: Plan, billing_email: str, days_until_due: int) -> str:
    if tenant.is_platform:
        raise NotAllowed(_("La plateforme elle-même ne s'abonne pas."))
    if not plan.active:
        raise Invalid(_("La formule « %(plan)s » n'est plus proposée.") % {"plan": plan})
    billing_email = (billing_email or "").strip()
    try:
        validate_email(billing_email)
    except ValidationError as exc:
        raise Invalid(_("Indiquez une adresse e-mail de facturation valide.")) from exc
    if not 1 <= days_until_due <= 120:
        raise Invalid(_("Le délai de paiement doit être compris entre 1 et 120 jours."))
    return billing_email


def _lock_town_without_subscription(tenant: Tenant) -> Tenant:
    tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
    if Subscription.objects.filter(tenant=tenant).exists():
        raise Conflict(_("%(town)s a déjà un abonnement.") % {"town": tenant.name})
    return tenant


def subscription_start(
    *,
    actor: User,
    tenant: Tenant,
    plan: Plan,
    billing_email: str,
    days_until_due: int = 30,
    grace_days: int = 15,
    request: HttpRequest | None = None,
) -> Subscription:
    """Subscribe a town to a plan for a year, from today, and issue the first invoice.

    In Stripe mode a customer and a subscription invoiced by send_invoice are created in Stripe
    and the first invoice is finalised and sent. Nothing is half-created: if anything fails
    after the customer was created, the customer is deleted again (which cancels its
    subscription) and our transaction rolls back.
    """
    billing_email = _start_checked(
        tenant=tenant, plan=plan, billing_email=billing_email, days_until_due=days_until_due
    )
    mode = billing_mode()
    fields = {
        "plan": plan,
        "mode": mode,
        "billing_email": billing_email,
        "days_until_due": days_until_due,
        "grace_days": grace_days,
    }
    customer_id = None
    try:
        with transaction.atomic():
            tenant = _lock_town_without_subscription(tenant)
            # The towns list filters and shows the town's plan: the one it now pays for.
            tenant.plan = plan.code
            tenant.save(update_fields=["plan"])
            if mode == Subscription.Mode.STRIPE:
                customer_id = gateway.customer_create(
                    name=tenant.name, email=billing_email, tenant_id=tenant.pk
                )
                subscription = _stripe_subscription_create(
                    tenant=tenant, customer_id=customer_id, **fields
                )
            else:
                subscription = _manual_subscription_create(tenant=tenant, **fields)
            audit_record(
                actor=actor,
                action="billing.subscription_start",
                town=tenant,
                details={"plan": plan.code, "mode": mode},
                request=request,
            )
    except Exception:
        if customer_id is not None:
            _customer_delete_quietly(customer_id)
        raise
    return subscription


def _customer_delete_quietly(customer_id: str) -> None:
    try:
        gateway.customer_delete(customer_id)
    except gateway.GatewayError:
        logger.exception("Client Stripe %s à supprimer à la main.", customer_id)


def _manual_subscription_create(*, tenant: Tenant, **fields) -> Subscription:
    start = timezone.localdate()
    subscription = Subscription.objects.create(
        tenant=tenant, current_period_start=start, current_period_end=add_year(start), **fields
    )
    invoice_issue_manual(
        subscription=subscription,
        reason=Invoice.Reason.SUBSCRIPTION_CREATE,
        lines=yearly_lines(subscription, start=start, end=subscription.current_period_end),
        period_start=start,
        period_end=subscription.current_period_end,
    )
    return subscription


def _stripe_subscription_create(*, tenant: Tenant, customer_id: str, **fields) -> Subscription:
    plan = fields["plan"]
    price_id = gateway.price_ensure(
        kind="plan", code=plan.code, name=plan.name, unit_amount_cents=plan.annual_price_cents
    )
    data = gateway.subscription_create(
        customer_id=customer_id,
        price_id=price_id,
        days_until_due=fields["days_until_due"],
        tenant_id=tenant.pk,
    )
    start, end = data.period
    subscription = Subscription.objects.create(
        tenant=tenant,
        stripe_customer_id=customer_id,
        stripe_subscription_id=data.id,
        current_period_start=start,
        current_period_end=end,
        **fields,
    )
    subscription_apply(subscription=subscription, data=data)
    _latest_invoice_send_and_apply(subscription=subscription, data=data)
    return subscription


def _latest_invoice_send_and_apply(
    *, subscription: Subscription, data: gateway.StripeSubscription
) -> Invoice | None:
    """Stripe leaves a subscription's new invoice a draft for an hour: send it now, so that the
    town has its number and payment details at once; keep our copy."""
    if data.latest_invoice_id is None:
        return None
    invoice = gateway.invoice_retrieve(data.latest_invoice_id)
    if invoice.status == Invoice.Status.DRAFT:
        invoice = gateway.invoice_send(invoice.id)
    return invoice_apply(subscription=subscription, data=invoice)


def addon_add(
    *,
    actor: User,
    subscription: Subscription,
    addon: AddOn,
    quantity: int,
    request: HttpRequest | None = None,
) -> Invoice | None:
    """Add ``quantity`` units of an option for the rest of the period; the prorated share is
    invoiced at once (by Stripe in Stripe mode, computed by day here in manual mode). Returns
    that invoice."""
    if quantity < 1:
        raise Invalid(_("La quantité doit être d'au moins 1."))
    if not addon.active:
        raise Invalid(_("L'option « %(addon)s » n'est plus proposée.") % {"addon": addon})
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update()
            .select_related("tenant", "plan")
            .get(pk=subscription.pk)
        )
        if subscription.status == Subscription.Status.CANCELED:
            raise Conflict(_("L'abonnement est résilié."))
        item = SubscriptionAddOn.objects.filter(subscription=subscription, addon=addon).first()
        if item is None:
            item = SubscriptionAddOn(subscription=subscription, addon=addon, quantity=0)
        item.quantity += quantity
        if subscription.mode == Subscription.Mode.STRIPE:
            invoice = _stripe_addon_add(subscription=subscription, item=item)
        else:
            item.save()
            invoice = _manual_addon_invoice(
                subscription=subscription, addon=addon, quantity=quantity
            )
        audit_record(
            actor=actor,
            action="billing.addon_add",
            town=subscription.tenant,
            details={
                "addon": addon.code,
                "quantity": quantity,
                "invoice": invoice.number if invoice else None,
            },
            request=request,
        )
    return invoice


def _manual_addon_invoice(
    *, subscription: Subscription, addon: AddOn, quantity: int
) -> Invoice | None:
    today = timezone.localdate()
    end = subscription.current_period_end
    amount = prorated_cents(
        annual_cents=quantity * addon.annual_unit_price_cents,
        period_start=subscription.current_period_start,
        period_end=end,
        today=today,
    )
    if amount == 0:
        return None
    return invoice_issue_manual(
        subscription=subscription,
        reason=Invoice.Reason.SUBSCRIPTION_UPDATE,
        lines=[
            invoice_line(
                description=_("%(addon)s – prorata %(period)s")
                % {"addon": addon.name, "period": _period_text(today, end)},
                quantity=quantity,
                amount_cents=amount,
                proration=True,
            )
        ],
        period_start=today,
        period_end=end,
    )


def _stripe_addon_add(*, subscription: Subscription, item: SubscriptionAddOn) -> Invoice | None:
    """The Stripe call comes last but one: if it fails, nothing of ours was changed."""
    if item.stripe_item_id:
        gateway.subscription_item_quantity_set(item_id=item.stripe_item_id, quantity=item.quantity)
    else:
        price_id = gateway.price_ensure(
            kind="addon",
            code=item.addon.code,
            name=item.addon.name,
            unit_amount_cents=item.addon.annual_unit_price_cents,
        )
        item.stripe_item_id = gateway.subscription_item_add(
            subscription_id=subscription.stripe_subscription_id,
            price_id=price_id,
            quantity=item.quantity,
        )
    item.save()
    data = gateway.subscription_retrieve(subscription.stripe_subscription_id)
    subscription_apply(subscription=subscription, data=data)
    return _latest_invoice_send_and_apply(subscription=subscription, data=data)


def manual_renewals_run(*, today: datetime.date | None = None) -> int:
    """Daily: manual subscriptions whose period has ended start a new year, invoiced. (Stripe
    renews its own and tells us by webhook.) How many were renewed."""
    today = today or timezone.localdate()
    due = Subscription.objects.filter(
        mode=Subscription.Mode.MANUAL,
        status=Subscription.Status.ACTIVE,
        current_period_end__lte=today,
    ).values_list("pk", flat=True)
    renewed = 0
    for pk in due:
        try:
            renewed += _manual_renew(pk=pk, today=today)
        except Invalid as exc:
            # A town that cannot be invoiced (no SIRET yet: subscribed before billing details
            # existed) is renewed once the staff fill them in; the other towns are not held up.
            logger.warning("Renouvellement de l'abonnement %s impossible : %s", pk, exc)
    return renewed


def _manual_renew(*, pk: int, today: datetime.date) -> int:
    """Renew one manual subscription up to today, every year invoiced; how many years."""
    renewed = 0
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update().select_related("tenant", "plan").get(pk=pk)
        )
        while subscription.current_period_end <= today:
            start = subscription.current_period_end
            end = add_year(start)
            subscription.current_period_start, subscription.current_period_end = start, end
            subscription.save(
                update_fields=["current_period_start", "current_period_end", "updated_at"]
            )
            invoice_issue_manual(
                subscription=subscription,
                reason=Invoice.Reason.SUBSCRIPTION_CYCLE,
                lines=yearly_lines(subscription, start=start, end=end),
                period_start=start,
                period_end=end,
            )
            renewed += 1
    return renewed
