"""Invoices and credit notes of our own (manual mode) and the payment of any invoice by the
staff."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.emails import email_send_on_commit
from accounts.models import User
from console.audit import audit_record
from core.errors import Conflict, Invalid

from .. import gateway
from ..models import BillingDetails, Invoice, InvoiceNumberSequence, Payment, Subscription
from .details import billing_details_required
from .dunning import subscription_standing_apply
from .stripe_sync import invoice_apply


def invoice_sequence_next(*, year: int) -> int:
    """The next place in the year's continuous series (1, 2, …).

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
    return number


def invoice_number(*, year: int, sequence: int) -> str:
    """E.g. AGORA-2026-00042: invoices and credit notes share the series."""
    return f"{settings.BILLING_INVOICE_PREFIX}-{year}-{sequence:05d}"


def invoice_line(*, description: str, quantity: int, amount_cents: int, proration: bool) -> dict:
    return {
        "description": description,
        "quantity": quantity,
        "amount_cents": amount_cents,
        "proration": proration,
    }


def vat_rate() -> Decimal:
    return Decimal(settings.BILLING_VAT_RATE).quantize(Decimal("0.01"))


def with_vat(lines: list[dict]) -> dict:
    """The totals of a document's lines (amounts before VAT): the subtotal, today's VAT rate,
    the VAT to the nearest cent (one rate per document) and the total with VAT."""
    subtotal = sum(line["amount_cents"] for line in lines)
    rate = vat_rate()
    tax = int((subtotal * rate / 100).to_integral_value(rounding=ROUND_HALF_UP))
    return {
        "subtotal_cents": subtotal,
        "tax_rate": rate,
        "tax_cents": tax,
        "total_cents": subtotal + tax,
    }


def _document_create(
    *, subscription: Subscription, details: BillingDetails, now: datetime.datetime, **fields
) -> Invoice:
    """A numbered document of ours (invoice or credit note), carrying the buyer as it is now."""
    year = timezone.localdate(now).year
    sequence = invoice_sequence_next(year=year)
    return Invoice.objects.create(
        subscription=subscription,
        number=invoice_number(year=year, sequence=sequence),
        sequence_year=year,
        sequence_number=sequence,
        **with_vat(fields["lines"]),
        issued_at=now,
        buyer_name=details.legal_name,
        buyer_siret=details.siret,
        buyer_address=details.postal_address,
        buyer_service_code=details.service_code,
        commitment_number=details.commitment_number,
        **fields,
    )


def invoice_issue_manual(
    *,
    subscription: Subscription,
    reason: str,
    lines: list[dict],
    period_start: datetime.date,
    period_end: datetime.date,
) -> Invoice:
    """Issue one of our own invoices (line amounts before VAT), numbered, carrying the town's
    SIRET and commitment number, due after the subscription's payment delay, and e-mail it to
    the town's billing address once committed. Call inside a transaction. Refused (Invalid) for
    a town without billing details: nothing is numbered."""
    details = billing_details_required(subscription.tenant)
    now = timezone.now()
    invoice = _document_create(
        subscription=subscription,
        details=details,
        now=now,
        status=Invoice.Status.OPEN,
        billing_reason=reason,
        amount_due_cents=0,  # set below, once VAT is known
        period_start=period_start,
        period_end=period_end,
        lines=lines,
        due_date=timezone.localdate(now) + datetime.timedelta(days=subscription.days_until_due),
    )
    invoice.amount_due_cents = invoice.total_cents
    invoice.save(update_fields=["amount_due_cents"])
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


def credit_note_issue(
    *, actor: User, invoice: Invoice, reason: str, request: HttpRequest | None = None
) -> Invoice:
    """Cancel one of our open invoices by a credit note (« avoir ») for its whole amount: an
    issued invoice is never deleted nor changed (French law), the credit note takes the next
    number of the series and references it; the invoice is no longer due."""
    reason = " ".join(reason.split())
    if not reason:
        raise Invalid(_("Indiquez le motif de l'avoir."), field="reason")
    with transaction.atomic():
        invoice = (
            Invoice.objects.select_for_update()
            .select_related("subscription__tenant")
            .get(pk=invoice.pk)
        )
        if not invoice.is_ours or invoice.kind != Invoice.Kind.INVOICE:
            raise Conflict(_("Seule une facture émise ici peut être annulée par un avoir."))
        if invoice.status != Invoice.Status.OPEN:
            raise Conflict(
                _("La facture %(number)s n'est pas à payer (statut : %(status)s) : pas d'avoir.")
                % {"number": invoice.number, "status": invoice.get_status_display()}
            )
        subscription = invoice.subscription
        now = timezone.now()
        credit_note = _document_create(
            subscription=subscription,
            details=billing_details_required(subscription.tenant),
            now=now,
            kind=Invoice.Kind.CREDIT_NOTE,
            credited_invoice=invoice,
            status=Invoice.Status.PAID,  # nothing to pay: it settles the invoice it cancels
            paid_at=now,
            billing_reason=Invoice.Reason.CREDIT,
            amount_due_cents=0,
            period_start=invoice.period_start,
            period_end=invoice.period_end,
            lines=[
                invoice_line(
                    description=_("Avoir sur la facture %(number)s – %(reason)s")
                    % {"number": invoice.number, "reason": reason},
                    quantity=1,
                    amount_cents=invoice.subtotal_cents,
                    proration=False,
                )
            ],
        )
        invoice.status = Invoice.Status.VOID
        invoice.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action="billing.credit_note_issue",
            town=subscription.tenant,
            details={
                "invoice": invoice.number,
                "credit_note": credit_note.number,
                "reason": reason,
            },
            request=request,
        )
        subscription_standing_apply(subscription=subscription)
    return credit_note


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
