"""Every call to Stripe goes through this module (and nothing else imports ``stripe``).

It speaks to Stripe with the official library (``STRIPE_API_BASE`` points it elsewhere, e.g. the
tests' local fake Stripe) and hands back plain dataclasses, so the rest of billing never sees a
Stripe object. Stripe errors become ``GatewayError`` (core.errors.Unavailable, French message).

Towns are public bodies: they pay by invoice and bank transfer. Subscriptions are created with
``collection_method="send_invoice"``, a payment delay, and the customer balance funded by an EU
bank transfer (each town gets its own virtual IBAN from Stripe, so transfers are matched).
"""

from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

import stripe
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Invalid, Unavailable

from .models import CURRENCY

PriceKind = Literal["plan", "addon"]
# The price's metadata key naming what it bills: "plan" or "addon", then the code.
PRICE_KIND_KEY = "agora_kind"
PRICE_CODE_KEY = "agora_code"
TENANT_KEY = "agora_tenant_id"

PAYMENT_SETTINGS = {
    "payment_method_types": ["customer_balance"],
    "payment_method_options": {
        "customer_balance": {
            "funding_type": "bank_transfer",
            "bank_transfer": {"type": "eu_bank_transfer", "eu_bank_transfer": {"country": "FR"}},
        }
    },
}


class GatewayError(Unavailable):
    """Stripe could not be reached or refused the request (callers tell it from our own refusals:
    a billing action whose Stripe half failed is left for a person to finish)."""


class StripeNotFound(GatewayError):
    """The object does not exist (any more) in Stripe."""


class WebhookRefused(Invalid):
    """A webhook request that is not a genuine Stripe event (bad signature or payload)."""


@dataclass(frozen=True)
class StripeLine:
    description: str
    quantity: int
    amount_cents: int
    proration: bool
    period_start: datetime.date
    period_end: datetime.date


@dataclass(frozen=True)
class StripeInvoice:
    id: str
    customer_id: str
    subscription_id: str | None
    number: str | None
    status: str
    billing_reason: str
    total_cents: int
    amount_due_cents: int
    amount_paid_cents: int
    period_start: datetime.date | None
    period_end: datetime.date | None
    due_date: datetime.date | None
    finalized_at: datetime.datetime | None
    paid_at: datetime.datetime | None
    paid_out_of_band: bool
    hosted_invoice_url: str
    lines: tuple[StripeLine, ...]


@dataclass(frozen=True)
class StripeItem:
    id: str
    kind: str  # "plan" or "addon" (PRICE_KIND_KEY of its price)
    code: str
    quantity: int
    period_start: datetime.date
    period_end: datetime.date


@dataclass(frozen=True)
class StripeSubscription:
    id: str
    customer_id: str
    status: str
    latest_invoice_id: str | None
    items: tuple[StripeItem, ...]

    @property
    def plan_item(self) -> StripeItem:
        return next((item for item in self.items if item.kind == "plan"), self.items[0])

    @property
    def period(self) -> tuple[datetime.date, datetime.date]:
        """The billing period: Stripe keeps one per item, the plan's is the subscription's."""
        return self.plan_item.period_start, self.plan_item.period_end


@dataclass(frozen=True)
class StripeEvent:
    id: str
    type: str
    created_at: datetime.datetime
    object_type: str
    object_id: str
    payload: dict[str, Any]


def is_configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


@functools.lru_cache(maxsize=4)
def _client_for(api_key: str, api_base: str) -> stripe.StripeClient:
    base_addresses = {"api": api_base} if api_base else None
    return stripe.StripeClient(api_key, base_addresses=base_addresses, max_network_retries=2)


def _client() -> stripe.StripeClient:
    if not is_configured():
        raise GatewayError(_("Stripe n'est pas configuré : la facturation est en mode manuel."))
    return _client_for(settings.STRIPE_SECRET_KEY, settings.STRIPE_API_BASE)


@contextmanager
def _stripe_errors() -> Iterator[None]:
    try:
        yield
    except stripe.InvalidRequestError as exc:
        message = exc.user_message or str(exc)
        if exc.http_status == 404:
            raise StripeNotFound(
                _("Objet introuvable chez Stripe : %(message)s") % {"message": message}
            ) from exc
        raise GatewayError(
            _("Stripe a refusé la demande : %(message)s") % {"message": message}
        ) from exc
    except stripe.StripeError as exc:
        raise GatewayError(
            _("Stripe est injoignable ou a refusé la demande (%(message)s). Réessayez plus tard.")
            % {"message": exc.user_message or exc.__class__.__name__}
        ) from exc


def _date(timestamp: int | None) -> datetime.date | None:
    if timestamp is None:
        return None
    return timezone.localdate(datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC))


def _datetime(timestamp: int | None) -> datetime.datetime | None:
    if timestamp is None:
        return None
    return datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC)


def _invoice(invoice: stripe.Invoice) -> StripeInvoice:
    obj = invoice.to_dict()
    parent = obj.get("parent") or {}
    details = parent.get("subscription_details") or {}
    transitions = obj.get("status_transitions") or {}
    lines = tuple(
        StripeLine(
            description=line.get("description") or "",
            quantity=line.get("quantity") or 1,
            amount_cents=line["amount"],
            proration=bool(
                ((line.get("parent") or {}).get("subscription_item_details") or {}).get("proration")
            ),
            period_start=_date(line["period"]["start"]),
            period_end=_date(line["period"]["end"]),
        )
        for line in obj["lines"]["data"]
    )
    return StripeInvoice(
        id=obj["id"],
        customer_id=obj["customer"],
        subscription_id=details.get("subscription"),
        number=obj.get("number"),
        status=obj["status"],
        billing_reason=obj.get("billing_reason") or "manual",
        total_cents=obj["total"],
        amount_due_cents=obj["amount_due"],
        amount_paid_cents=obj["amount_paid"],
        # The lines' period: Stripe's own invoice period_* are those of pending invoice items.
        period_start=min((line.period_start for line in lines), default=None),
        period_end=max((line.period_end for line in lines), default=None),
        due_date=_date(obj.get("due_date")),
        finalized_at=_datetime(transitions.get("finalized_at")),
        paid_at=_datetime(transitions.get("paid_at")),
        paid_out_of_band=bool(obj.get("paid_out_of_band")),
        hosted_invoice_url=obj.get("hosted_invoice_url") or "",
        lines=lines,
    )


def _subscription(subscription: stripe.Subscription) -> StripeSubscription:
    obj = subscription.to_dict()
    items = tuple(
        StripeItem(
            id=item["id"],
            kind=item["price"]["metadata"].get(PRICE_KIND_KEY, ""),
            code=item["price"]["metadata"].get(PRICE_CODE_KEY, ""),
            quantity=item.get("quantity") or 1,
            period_start=_date(item["current_period_start"]),
            period_end=_date(item["current_period_end"]),
        )
        for item in obj["items"]["data"]
    )
    return StripeSubscription(
        id=obj["id"],
        customer_id=obj["customer"],
        status=obj["status"],
        latest_invoice_id=obj.get("latest_invoice"),
        items=items,
    )


# Customers ------------------------------------------------------------------------------------


def customer_create(*, name: str, email: str, tenant_id: int) -> str:
    with _stripe_errors():
        customer = _client().v1.customers.create(
            params={
                "name": name,
                "email": email,
                "preferred_locales": ["fr"],
                "metadata": {TENANT_KEY: str(tenant_id)},
            }
        )
    return customer.id


def customer_delete(customer_id: str) -> None:
    """Delete a customer (Stripe cancels its subscriptions with it): undoes a creation."""
    with _stripe_errors():
        _client().v1.customers.delete(customer_id)


# Prices ---------------------------------------------------------------------------------------


def price_ensure(*, kind: PriceKind, code: str, name: str, unit_amount_cents: int) -> str:
    """The yearly EUR price of a plan or add-on at this amount: found by its lookup key, or
    created. Stripe prices never change amount; a new amount is a new price."""
    lookup_key = f"agora-{kind}-{code}-{unit_amount_cents}"
    with _stripe_errors():
        found = _client().v1.prices.list(params={"lookup_keys": [lookup_key], "limit": 1})
        if found.data:
            return found.data[0].id
        price = _client().v1.prices.create(
            params={
                "currency": CURRENCY,
                "unit_amount": unit_amount_cents,
                "recurring": {"interval": "year"},
                "lookup_key": lookup_key,
                "product_data": {"name": name},
                "metadata": {PRICE_KIND_KEY: kind, PRICE_CODE_KEY: code},
            }
        )
    return price.id


# Subscriptions --------------------------------------------------------------------------------


def subscription_create(
    *, customer_id: str, price_id: str, days_until_due: int, tenant_id: int
) -> StripeSubscription:
    with _stripe_errors():
        subscription = _client().v1.subscriptions.create(
            params={
                "customer": customer_id,
                "items": [{"price": price_id, "quantity": 1}],
                "collection_method": "send_invoice",
                "days_until_due": days_until_due,
                "payment_settings": PAYMENT_SETTINGS,
                "metadata": {TENANT_KEY: str(tenant_id)},
            }
        )
    return _subscription(subscription)


def subscription_retrieve(subscription_id: str) -> StripeSubscription:
    with _stripe_errors():
        return _subscription(_client().v1.subscriptions.retrieve(subscription_id))


def subscription_item_add(*, subscription_id: str, price_id: str, quantity: int) -> str:
    """Add an item; Stripe invoices the prorated amount for the rest of the period at once."""
    with _stripe_errors():
        item = _client().v1.subscription_items.create(
            params={
                "subscription": subscription_id,
                "price": price_id,
                "quantity": quantity,
                "proration_behavior": "always_invoice",
            }
        )
    return item.id


def subscription_item_quantity_set(*, item_id: str, quantity: int) -> None:
    """Change an item's quantity; the difference is invoiced prorated at once."""
    with _stripe_errors():
        _client().v1.subscription_items.update(
            item_id, params={"quantity": quantity, "proration_behavior": "always_invoice"}
        )


# Invoices -------------------------------------------------------------------------------------


def invoice_retrieve(invoice_id: str) -> StripeInvoice:
    with _stripe_errors():
        return _invoice(_client().v1.invoices.retrieve(invoice_id))


def invoice_send(invoice_id: str) -> StripeInvoice:
    """Finalise a draft (it gets its number and payment page) and e-mail it to the customer."""
    with _stripe_errors():
        return _invoice(_client().v1.invoices.send_invoice(invoice_id))


def invoice_pay_out_of_band(invoice_id: str) -> StripeInvoice:
    """Record in Stripe that the invoice was paid outside it (e.g. an administrative mandate
    paid by the public treasury to our ordinary account)."""
    with _stripe_errors():
        return _invoice(_client().v1.invoices.pay(invoice_id, params={"paid_out_of_band": True}))


# Webhooks -------------------------------------------------------------------------------------


def event_verify(*, payload: bytes, signature: str) -> StripeEvent:
    """The event, if ``signature`` (the Stripe-Signature header) signs this exact raw body with
    our webhook secret, within Stripe's tolerance of five minutes."""
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise WebhookRefused("STRIPE_WEBHOOK_SECRET is not set")
    try:
        text = payload.decode("utf-8")
        # The signature first, on the raw text; the shape is then checked here, not by the
        # Stripe library (which fails with an AttributeError on a signed body that is a list).
        stripe.WebhookSignature.verify_header(
            text, signature, secret, stripe.Webhook.DEFAULT_TOLERANCE
        )
        event = json.loads(text)
        if not isinstance(event, dict) or not isinstance(event.get("data"), dict):
            raise ValueError("the body is not a Stripe event object")
        obj = event["data"]["object"]
        return StripeEvent(
            id=event["id"],
            type=event["type"],
            created_at=_datetime(event["created"]),
            object_type=obj["object"],
            object_id=obj["id"],
            payload=event,
        )
    except (ValueError, KeyError, TypeError, stripe.SignatureVerificationError) as exc:
        raise WebhookRefused(str(exc)) from exc
