"""Stripe mode, against the local fake Stripe over HTTP: a town's subscription through a year."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail

from billing.models import Invoice, Payment, Subscription
from billing.services.dunning import dunning_run
from billing.services.invoices import invoice_mark_paid
from billing.services.subscriptions import addon_add, subscription_start
from console.models import AuditEntry
from core.errors import ApplicationError
from tenants.models import Tenant
from tests.conftest import client_for

UTC = datetime.UTC
START = datetime.datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
MID_YEAR = datetime.datetime(2026, 7, 16, 9, 0, tzinfo=UTC)  # 183 of 365 days left
RENEWAL = datetime.datetime(2027, 1, 15, 9, 1, tzinfo=UTC)
BILLING_EMAIL = "finances@ville-a.fr"


def _at(moment: datetime.datetime):
    return time_machine.travel(moment, tick=False)


def _day(year: int, month: int, day: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, 8, 0, tzinfo=UTC)


def _start(town, plan, staff) -> Subscription:
    return subscription_start(actor=staff, tenant=town, plan=plan, billing_email=BILLING_EMAIL)


def _status(town) -> str:
    town.refresh_from_db()
    return town.status


def test_start_creates_customer_and_yearly_subscription_invoiced_for_bank_transfer(
    fake_stripe, town_a, plan, vendor_staff
):
    with _at(START):
        subscription = _start(town_a, plan, vendor_staff)

    (customer,) = fake_stripe.customers.values()
    assert customer["email"] == BILLING_EMAIL
    assert customer["metadata"] == {"agora_tenant_id": str(town_a.pk)}
    (price,) = fake_stripe.prices.values()
    assert price["unit_amount"] == 365_000
    assert price["currency"] == "eur"
    assert price["recurring"]["interval"] == "year"
    (sent,) = fake_stripe.requests_to("POST", "/v1/subscriptions")
    assert sent["collection_method"] == "send_invoice"
    assert sent["days_until_due"] == "30"
    assert sent["payment_settings"] == {
        "payment_method_types": ["customer_balance"],
        "payment_method_options": {
            "customer_balance": {
                "funding_type": "bank_transfer",
                "bank_transfer": {
                    "type": "eu_bank_transfer",
                    "eu_bank_transfer": {"country": "FR"},
                },
            }
        },
    }

    assert subscription.mode == Subscription.Mode.STRIPE
    assert subscription.stripe_customer_id == customer["id"]
    assert subscription.stripe_subscription_id in fake_stripe.subscriptions
    assert subscription.current_period_start == datetime.date(2026, 1, 15)
    assert subscription.current_period_end == datetime.date(2027, 1, 15)
    (invoice,) = subscription.invoices.all()
    assert invoice.status == Invoice.Status.OPEN
    assert invoice.number == "FAKE-0001"
    assert invoice.total_cents == invoice.amount_due_cents == 365_000
    assert invoice.billing_reason == Invoice.Reason.SUBSCRIPTION_CREATE
    assert invoice.due_date == datetime.date(2026, 2, 14)
    assert invoice.hosted_invoice_url.startswith("https://invoice.stripe.test/")
    # Sent at once (finalised), not left a draft for Stripe's hour.
    assert fake_stripe.invoices[invoice.stripe_invoice_id]["status"] == "open"
    assert AuditEntry.objects.filter(action="billing.subscription_start", town=town_a).exists()


def test_a_year_of_subscription(
    fake_stripe,
    stripe_webhooks,
    town_a,
    plan,
    addon,
    vendor_staff,
    django_capture_on_commit_callbacks,
):
    """Creation, invoice, payment, an add-on prorated mid-year, renewal, non-payment →
    read-only → suspended → payment → active."""
    with _at(START):
        subscription = _start(town_a, plan, vendor_staff)
        stripe_webhooks.deliver_pending()
    first = subscription.invoices.get()
    assert first.status == Invoice.Status.OPEN

    # The town's transfer reaches its virtual IBAN; Stripe says so by webhook.
    with _at(_day(2026, 2, 3)):
        fake_stripe.transfer_received(first.stripe_invoice_id)
        stripe_webhooks.deliver_pending()
    first.refresh_from_db()
    assert first.status == Invoice.Status.PAID
    assert first.payment.method == Payment.Method.STRIPE
    assert first.payment.amount_cents == 365_000

    # Two neighbourhood-council spaces from mid-July: 183 days of 365 invoiced at once.
    with _at(MID_YEAR):
        prorated = addon_add(actor=vendor_staff, subscription=subscription, addon=addon, quantity=2)
        stripe_webhooks.deliver_pending()
    assert prorated.billing_reason == Invoice.Reason.SUBSCRIPTION_UPDATE
    assert prorated.total_cents == 2 * 73_000 * 183 // 365 == 73_200
    assert prorated.status == Invoice.Status.OPEN
    assert [line["proration"] for line in prorated.lines] == [True]
    (sent,) = fake_stripe.requests_to("POST", "/v1/subscription_items")
    assert sent["proration_behavior"] == "always_invoice"
    (item,) = subscription.addons.all()
    assert (item.addon, item.quantity) == (addon, 2)
    assert item.stripe_item_id in fake_stripe.items
    assert subscription.invoices.count() == 2  # the webhooks added no copy
    with _at(_day(2026, 8, 1)):
        fake_stripe.transfer_received(prorated.stripe_invoice_id)
        stripe_webhooks.deliver_pending()

    # Stripe renews for a year: plan + 2 spaces, invoiced and sent.
    with _at(RENEWAL):
        fake_stripe.subscription_renew(subscription.stripe_subscription_id)
        stripe_webhooks.deliver_pending()
    subscription.refresh_from_db()
    assert subscription.current_period_end == datetime.date(2028, 1, 15)
    renewal = subscription.invoices.get(billing_reason=Invoice.Reason.SUBSCRIPTION_CYCLE)
    assert renewal.total_cents == 365_000 + 2 * 73_000
    assert renewal.due_date == datetime.date(2027, 2, 14)

    # Unpaid: 15 days of grace after the due date, then read-only, 30 days later suspended.
    with django_capture_on_commit_callbacks(execute=True):
        for day, expected in [
            (_day(2027, 3, 1), Tenant.Status.ACTIVE),
            (_day(2027, 3, 2), Tenant.Status.READ_ONLY),
            (_day(2027, 3, 31), Tenant.Status.READ_ONLY),
            (_day(2027, 4, 1), Tenant.Status.SUSPENDED),
        ]:
            with _at(day):
                dunning_run()
            assert _status(town_a) == expected, day
    subscription.refresh_from_db()
    assert subscription.restricted_by_billing
    subjects = [message.subject for message in mail.outbox]
    assert "Ville A : facture impayée, site en lecture seule" in subjects
    assert "Ville A : facture impayée, service suspendu" in subjects
    assert client_for(town_a).get("/").status_code == 503

    # The transfer arrives: the webhook alone gives the town back.
    with _at(_day(2027, 4, 3)):
        fake_stripe.transfer_received(renewal.stripe_invoice_id)
        stripe_webhooks.deliver_pending()
    assert _status(town_a) == Tenant.Status.ACTIVE
    subscription.refresh_from_db()
    assert not subscription.restricted_by_billing
    assert mail.outbox[-1].subject == "Ville A : paiement reçu, service rétabli"
    assert client_for(town_a).get("/").status_code == 200
    assert Payment.objects.filter(invoice__subscription=subscription).count() == 3


def test_read_only_town_takes_no_contribution(
    fake_stripe, town_a, plan, vendor_staff, django_capture_on_commit_callbacks
):
    with _at(START):
        _start(town_a, plan, vendor_staff)
    with _at(_day(2026, 3, 2)), django_capture_on_commit_callbacks(execute=True):
        dunning_run()

    response = client_for(town_a).post("/compte/inscription/", {"email": "a@exemple.fr"})

    assert response.status_code == 403
    assert "lecture seule" in response.content.decode()
    (notice,) = mail.outbox
    assert notice.to == [BILLING_EMAIL]
    assert "FAKE-0001" in notice.body


def test_quantity_added_to_an_addon_is_prorated_on_the_difference(
    fake_stripe, town_a, plan, addon, vendor_staff
):
    with _at(START):
        subscription = _start(town_a, plan, vendor_staff)
        addon_add(actor=vendor_staff, subscription=subscription, addon=addon, quantity=1)
    with _at(MID_YEAR):
        invoice = addon_add(actor=vendor_staff, subscription=subscription, addon=addon, quantity=1)

    (update,) = fake_stripe.requests_to(
        "POST", f"/v1/subscription_items/{subscription.addons.get().stripe_item_id}"
    )
    assert update == {"quantity": "2", "proration_behavior": "always_invoice"}
    assert subscription.addons.get().quantity == 2
    # Credit for 1 unused, debit for 2 remaining: one more unit for 183 days.
    assert [line["amount_cents"] for line in invoice.lines] == [-36_600, 73_200]
    assert invoice.total_cents == 36_600


def test_staff_marks_a_stripe_invoice_paid_out_of_band_once(
    fake_stripe, stripe_webhooks, town_a, plan, vendor_staff
):
    with _at(START):
        subscription = _start(town_a, plan, vendor_staff)
        invoice = subscription.invoices.get()
        invoice_mark_paid(actor=vendor_staff, invoice=invoice, reference="Mandat 2026-118")
        stripe_webhooks.deliver_pending()  # invoice.paid comes back: no second payment

    assert fake_stripe.invoices[invoice.stripe_invoice_id]["paid_out_of_band"] is True
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    payment = Payment.objects.get(invoice__subscription=subscription)
    assert payment.method == Payment.Method.BANK_TRANSFER
    assert payment.reference == "Mandat 2026-118"
    assert payment.recorded_by == vendor_staff
    assert AuditEntry.objects.filter(action="billing.invoice_mark_paid").count() == 1


@pytest.mark.parametrize(
    ("failing_path", "message"),
    [
        ("/v1/subscriptions", "This customer has no attached payment source."),
        ("/v1/invoices/", "Invoice cannot be sent."),
    ],
)
def test_stripe_refusal_leaves_nothing_half_created(
    fake_stripe, town_a, plan, vendor_staff, failing_path, message
):
    fake_stripe.fail_next("POST", failing_path, message)

    with pytest.raises(ApplicationError, match="Stripe a refusé la demande") as refused:
        _start(town_a, plan, vendor_staff)

    assert message in str(refused.value)
    assert not Subscription.objects.exists()
    assert not Invoice.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="billing.").exists()
    # The customer made before the failure was deleted again, its subscription with it.
    assert fake_stripe.customers == {}
    assert all(sub["status"] == "canceled" for sub in fake_stripe.subscriptions.values())


def test_unreachable_stripe_is_a_message_not_a_crash(settings, town_a, plan, vendor_staff):
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # discard port: nothing listens

    with pytest.raises(ApplicationError, match="Stripe est injoignable"):
        _start(town_a, plan, vendor_staff)
    assert not Subscription.objects.exists()


def test_second_subscription_for_a_town_is_refused_before_calling_stripe(
    fake_stripe, town_a, plan, vendor_staff
):
    _start(town_a, plan, vendor_staff)
    calls = len(fake_stripe.requests)

    with pytest.raises(ApplicationError, match="Ville A a déjà un abonnement"):
        _start(town_a, plan, vendor_staff)
    assert len(fake_stripe.requests) == calls
