"""Quotes (« devis ») for a town before it signs: the plan for a year, VAT, a validity date,
as PDF (billing.documents.pdf.quote_pdf). Signed, a quote becomes the town's subscription."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from console.audit import audit_record
from core.errors import Conflict, Invalid
from tenants.models import Tenant

from ..models import Plan, Quote, Subscription
from .invoices import invoice_line, with_vat
from .subscriptions import subscription_start

QUOTE_PREFIX = "DEVIS"


def _quote_number(year: int) -> str:
    """The next quote number of the year (quotes need no continuous series, but a readable
    one): taken under a transaction-level advisory lock so that two quotes never collide."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('billing.quote_number'))")
    taken = Quote.objects.filter(number__startswith=f"{QUOTE_PREFIX}-{year}-").count()
    return f"{QUOTE_PREFIX}-{year}-{taken + 1:05d}"


def quote_create(
    *,
    actor: User | None,
    tenant: Tenant,
    plan: Plan,
    billing_email: str,
    request: HttpRequest | None = None,
) -> Quote:
    """A quote for a year of ``plan``, valid BILLING_QUOTE_VALIDITY_DAYS days."""
    billing_email = (billing_email or "").strip()
    try:
        validate_email(billing_email)
    except ValidationError as exc:
        raise Invalid(
            _("Indiquez une adresse e-mail de facturation valide."), field="billing_email"
        ) from exc
    if not plan.active:
        raise Invalid(_("La formule « %(plan)s » n'est plus proposée.") % {"plan": plan})
    today = timezone.localdate()
    lines = [
        invoice_line(
            description=_("%(plan)s – abonnement d'un an") % {"plan": plan.name},
            quantity=1,
            amount_cents=plan.annual_price_cents,
            proration=False,
        )
    ]
    with transaction.atomic():
        quote = Quote.objects.create(
            tenant=tenant,
            number=_quote_number(today.year),
            plan=plan,
            billing_email=billing_email,
            lines=lines,
            **with_vat(lines),
            issued_on=today,
            valid_until=today + datetime.timedelta(days=settings.BILLING_QUOTE_VALIDITY_DAYS),
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="billing.quote_create",
            town=tenant,
            details={"quote": quote.number, "plan": plan.code},
            request=request,
        )
    return quote


def quote_sign(*, actor: User, quote: Quote, request: HttpRequest | None = None) -> Subscription:
    """The town signed the quote: its plan becomes the town's subscription from today (first
    invoice issued, so the town's billing details are needed, as for any invoice)."""
    with transaction.atomic():
        quote = Quote.objects.select_for_update().select_related("tenant", "plan").get(pk=quote.pk)
        if quote.status != Quote.Status.SENT:
            raise Conflict(
                _("Le devis %(number)s est « %(status)s » : il ne peut plus être signé.")
                % {"number": quote.number, "status": quote.get_status_display()}
            )
        today = timezone.localdate()
        if quote.valid_until < today:
            raise Conflict(
                _(
                    "Le devis %(number)s n'est plus valable depuis le %(day)s : "
                    "faites-en un nouveau."
                )
                % {"number": quote.number, "day": quote.valid_until.strftime("%d/%m/%Y")}
            )
        subscription = subscription_start(
            actor=actor,
            tenant=quote.tenant,
            plan=quote.plan,
            billing_email=quote.billing_email,
            request=request,
        )
        quote.status = Quote.Status.SIGNED
        quote.signed_on = today
        quote.subscription = subscription
        quote.save(update_fields=["status", "signed_on", "subscription"])
        audit_record(
            actor=actor,
            action="billing.quote_sign",
            town=quote.tenant,
            details={"quote": quote.number},
            request=request,
        )
    return subscription
