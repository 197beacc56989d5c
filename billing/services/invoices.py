"""Invoices of our own (manual mode) and the payment of any invoice by the staff."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.emails import email_send_on_commit
from accounts.models import User
from console.audit import audit_record
from core.errors import Conflict

from .. import gateway
from ..models import Invoice, InvoiceNumberSequence, Payment, Subscription
from .dunning import subscription_standing_apply
from .stripe_sync import invoice_apply


def invoice_number_next(*, year: int) -> str:
    """The next number of the year's continuous series, e.g. AGORA-2026-00042.

    One statement creates or increments the year's counter and keeps its row locked until the
    transaction ends: concurrent invoices wait, and a rolled-back invoice gives its number back.
    """
    table = InvoiceNumberSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (year, last_number) VALUES (%s, 1) "  # noqa: S608 (our table)
            f"ON CONFLICT (year) DO UPDATE SET last_number = {table}.last_number + 1 "
            "RETURNING last_number",
            [year],
        )
        (number,) = cursor.fetchone()
    return f"{settings.BILLING_INVOICE_PREFIX}-{year}-{number:05d}"


def invoice_line(*, description: str, quantity: int, amount_cents: int, proration: bool) -> dict:
    return {
        "description": description,
        "quantity": quantity,
        "amount_cents": amount_cents,
        "proration": proration,
    }


def invoice_issue_manual(
    *,
    subscription: Subscription,
    reason: str,
    lines: list[dict],
    period_start: datetime.date,
    period_end: datetime.date,
) -> Invoice:
    """Issue one of our own invoices, numbered, due after the subscription's payment delay, and
    e-mail it to the town's billing address once committed. Call inside a transaction."""
    now = timezone.now()
    total = sum(line["amount_cents"] for line in lines)
    invoice = Invoice.objects.create(
        subscription=subscription,
        number=invoice_number_next(year=timezone.localdate(now).year),
        status=Invoice.Status.OPEN,
        billing_reason=reason,
        total_cents=total,
        amount_due_cents=total,
        period_start=period_start,
        period_end=period_end,
        lines=lines,
        issued_at=now,
        due_date=timezone.localdate(now) + datetime.timedelta(days=subscription.days_until_due),
    )
    email_send_on_commit(
        to=subscription.billing_email,
        subject=_("Facture %(number)s – %(town)s")
        % {"number": invoice.number, "town": subscription.tenant.name},
        template="billing/emails/invoice_issued.txt",
        context={
            "invoice": invoice,
            "subscription": subscription,
            "transfer_instructions": settings.BILLING_TRANSFER_INSTRUCTIONS,
        },
    )
    return invoice


def invoice_mark_paid(
    *, actor: User, invoice: Invoice, reference: str = "", request: HttpRequest | None = None
) -> Invoice:
    """The staff saw the transfer (or the treasury's mandate) that pays this invoice.

    A Stripe invoice is marked paid out of band in Stripe first, then synced from Stripe's
    answer. Either way the town gets its active status back if billing had restricted it and
    nothing else is overdue.
    """
    reference = reference.strip()
    with transaction.atomic():
        invoice = (
            Invoice.objects.select_for_update()
            .select_related("subscription__tenant")
            .get(pk=invoice.pk)
        )
        if invoice.status != Invoice.Status.OPEN:
            raise Conflict(
                _("La facture %(number)s n'est pas à payer (statut : %(status)s).")
                % {"number": invoice.number or "-", "status": invoice.get_status_display()}
            )
        subscription = invoice.subscription
        if invoice.stripe_invoice_id:
            paid = gateway.invoice_pay_out_of_band(invoice.stripe_invoice_id)
            invoice = invoice_apply(
                subscription=subscription, data=paid, recorded_by=actor, reference=reference
            )
        else:
            now = timezone.now()
            invoice.status = Invoice.Status.PAID
            invoice.paid_at = now
            invoice.amount_paid_cents = invoice.amount_due_cents
            invoice.save(update_fields=["status", "paid_at", "amount_paid_cents", "updated_at"])
            Payment.objects.create(
                invoice=invoice,
                amount_cents=invoice.amount_due_cents,
                method=Payment.Method.BANK_TRANSFER,
                paid_at=now,
                reference=reference,
                recorded_by=actor,
            )
        audit_record(
            actor=actor,
            action="billing.invoice_mark_paid",
            town=subscription.tenant,
            details={"invoice": invoice.number, "reference": reference},
            request=request,
        )
        subscription_standing_apply(subscription=subscription)
    return invoice
