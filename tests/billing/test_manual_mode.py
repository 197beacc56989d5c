"""Manual mode (no Stripe key): our own numbered invoices, paid by transfer and marked paid by
the staff; the same dunning, reminders and renewals."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail

from billing.models import BillingDetails, Invoice, Payment, RenewalReminder, Subscription
from billing.services.dunning import dunning_run
from billing.services.invoices import invoice_mark_paid
from billing.services.reminders import renewal_reminders_send
from billing.services.subscriptions import addon_add, manual_renewals_run, subscription_start
from console.models import AuditEntry
from core.errors import ApplicationError
from tenants.models import Tenant
from tenants.services import town_set_status

pytestmark = pytest.mark.usefixtures("manual_mode", "billing_details")

START = datetime.datetime(2026, 1, 15, 9, 0, tzinfo=datetime.UTC)
BILLING_EMAIL = "comptabilite@ville-a.fr"


def _at(year: int, month: int, day: int):
    return time_machine.travel(datetime.datetime(year, month, day, 9, 0, tzinfo=datetime.UTC))


def _start(town, plan, staff, **options) -> Subscription:
    with time_machine.travel(START):
        return subscription_start(
            actor=staff, tenant=town, plan=plan, billing_email=BILLING_EMAIL, **options
        )


def _status(town) -> str:
    town.refresh_from_db()
    return town.status


def test_start_issues_our_first_invoice_and_emails_it(
    town_a, plan, vendor_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        subscription = _start(town_a, plan, vendor_staff)

    assert subscription.mode == Subscription.Mode.MANUAL
    assert subscription.stripe_customer_id is None
    assert (subscription.current_period_start, subscription.current_period_end) == (
        datetime.date(2026, 1, 15),
        datetime.date(2027, 1, 15),
    )
    (invoice,) = subscription.invoices.all()
    assert invoice.number == "AGORA-2026-00001"
    assert invoice.status == Invoice.Status.OPEN
    # Catalogue prices are before VAT (20 %): the town owes 3 650 € + 730 €.
    assert invoice.subtotal_cents == 365_000
    assert invoice.total_cents == invoice.amount_due_cents == 438_000
    assert invoice.due_date == datetime.date(2026, 2, 14)
    assert invoice.lines == [
        {
            "description": "Commune standard – du 15/01/2026 au 15/01/2027",
            "quantity": 1,
            "amount_cents": 365_000,
            "proration": False,
        }
    ]
    (email,) = mail.outbox
    assert email.to == [BILLING_EMAIL]
    assert email.subject == "Facture AGORA-2026-00001 – Ville A"
    assert "Total : 4\xa0380,00\xa0€" in email.body
    assert "15/02/2026" not in email.body and "14/02/2026" in email.body
    entry = AuditEntry.objects.get(action="billing.subscription_start")
    assert (entry.actor, entry.town, entry.details["mode"]) == (vendor_staff, town_a, "manual")


def test_invoice_numbers_are_continuous_per_year(town_a, town_b, plan, vendor_staff):
    first = _start(town_a, plan, vendor_staff).invoices.get()
    second = _start(town_b, plan, vendor_staff).invoices.get()
    with _at(2027, 1, 15):
        assert manual_renewals_run() == 2

    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert (first.number, second.number) == ("AGORA-2026-00001", "AGORA-2026-00002")
    assert numbers == [
        "AGORA-2026-00001",
        "AGORA-2026-00002",
        "AGORA-2027-00001",
        "AGORA-2027-00002",
    ]


def test_addon_mid_year_is_invoiced_prorated_by_day(town_a, plan, addon, vendor_staff):
    subscription = _start(town_a, plan, vendor_staff)

    with _at(2026, 7, 16):  # 183 days of 365 left
        invoice = addon_add(actor=vendor_staff, subscription=subscription, addon=addon, quantity=2)

    assert invoice.billing_reason == Invoice.Reason.SUBSCRIPTION_UPDATE
    assert invoice.subtotal_cents == 73_200  # 2 × 730 € × 183 / 365, as Stripe's fake computes it
    assert invoice.number == "AGORA-2026-00002"
    (line,) = invoice.lines
    assert line["proration"] is True
    assert line["quantity"] == 2
    assert line["description"] == (
        "Espace conseil de quartier – prorata du 16/07/2026 au 15/01/2027"
    )
    assert (invoice.period_start, invoice.period_end) == (
        datetime.date(2026, 7, 16),
        datetime.date(2027, 1, 15),
    )
    assert subscription.addons.get().quantity == 2
    assert AuditEntry.objects.filter(action="billing.addon_add", town=town_a).count() == 1


def test_addon_on_the_last_day_costs_nothing_and_renewal_bills_it_for_the_year(
    town_a, plan, addon, vendor_staff
):
    subscription = _start(town_a, plan, vendor_staff)
    with _at(2027, 1, 15):
        assert (
            addon_add(actor=vendor_staff, subscription=subscription, addon=addon, quantity=1)
            is None
        )
        manual_renewals_run()

    renewal = subscription.invoices.get(billing_reason=Invoice.Reason.SUBSCRIPTION_CYCLE)
    assert renewal.subtotal_cents == 365_000 + 73_000
    assert [line["amount_cents"] for line in renewal.lines] == [365_000, 73_000]


def test_a_town_without_siret_is_not_renewed_and_does_not_hold_up_the_others(
    town_a, town_b, plan, vendor_staff
):
    first, second = _start(town_a, plan, vendor_staff), _start(town_b, plan, vendor_staff)
    BillingDetails.objects.filter(tenant=town_a).delete()  # as a town subscribed before SIRETs

    with _at(2027, 1, 16):
        assert manual_renewals_run() == 1

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.current_period_end == datetime.date(2027, 1, 15)  # nothing half-renewed
    assert first.invoices.count() == 1
    assert second.current_period_end == datetime.date(2028, 1, 15)
    assert second.invoices.get(billing_reason=Invoice.Reason.SUBSCRIPTION_CYCLE).number == (
        "AGORA-2027-00001"
    )


@pytest.mark.parametrize("quantity", [0, -1])
def test_addon_quantity_must_be_positive(town_a, plan, addon, vendor_staff, quantity):
    subscription = _start(town_a, plan, vendor_staff)
    with pytest.raises(ApplicationError, match="au moins 1"):
        addon_add(actor=vendor_staff, subscription=subscription, addon=addon, quantity=quantity)
    assert not subscription.addons.exists()


def test_staff_marks_an_invoice_paid_once(town_a, plan, vendor_staff):
    invoice = _start(town_a, plan, vendor_staff).invoices.get()

    invoice_mark_paid(actor=vendor_staff, invoice=invoice, reference="VIR-2026-0042")

    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    assert invoice.paid_at is not None
    assert invoice.amount_paid_cents == 438_000
    payment = invoice.payment
    assert (payment.method, payment.amount_cents, payment.reference, payment.recorded_by) == (
        Payment.Method.BANK_TRANSFER,
        438_000,
        "VIR-2026-0042",
        vendor_staff,
    )
    entry = AuditEntry.objects.get(action="billing.invoice_mark_paid")
    assert entry.details == {"invoice": "AGORA-2026-00001", "reference": "VIR-2026-0042"}
    with pytest.raises(ApplicationError, match="n'est pas à payer"):
        invoice_mark_paid(actor=vendor_staff, invoice=invoice)
    assert Payment.objects.count() == 1


def test_unpaid_renewal_read_only_then_suspended_then_payment_restores(
    town_a, plan, vendor_staff, django_capture_on_commit_callbacks
):
    subscription = _start(town_a, plan, vendor_staff, grace_days=10)
    invoice_mark_paid(actor=vendor_staff, invoice=subscription.invoices.get())
    with _at(2027, 1, 15):
        manual_renewals_run()
    renewal = subscription.invoices.get(status=Invoice.Status.OPEN)
    assert renewal.due_date == datetime.date(2027, 2, 14)

    with django_capture_on_commit_callbacks(execute=True):
        for day, expected in [
            ((2027, 2, 24), Tenant.Status.ACTIVE),  # 10 days late: still in grace
            ((2027, 2, 25), Tenant.Status.READ_ONLY),
            ((2027, 3, 26), Tenant.Status.READ_ONLY),  # 40 days late
            ((2027, 3, 27), Tenant.Status.SUSPENDED),  # 41 > 10 + 30
        ]:
            with _at(*day):
                dunning_run()
            assert _status(town_a) == expected, day
        with _at(2027, 3, 28):
            invoice_mark_paid(actor=vendor_staff, invoice=renewal, reference="Mandat 77")
    assert _status(town_a) == Tenant.Status.ACTIVE
    subscription.refresh_from_db()
    assert not subscription.restricted_by_billing
    changes = AuditEntry.objects.filter(action="billing.town_status", town=town_a)
    assert [entry.details["to"] for entry in changes.order_by("pk")] == [
        "read_only",
        "suspended",
        "active",
    ]
    assert [message.subject for message in mail.outbox][-3:] == [
        "Ville A : facture impayée, site en lecture seule",
        "Ville A : facture impayée, service suspendu",
        "Ville A : paiement reçu, service rétabli",
    ]


def test_dunning_leaves_alone_a_status_the_staff_chose(town_a, plan, vendor_staff):
    subscription = _start(town_a, plan, vendor_staff)
    town_set_status(tenant=town_a, status=Tenant.Status.READ_ONLY)  # e.g. elections period

    with _at(2026, 6, 1):
        dunning_run()
        assert _status(town_a) == Tenant.Status.READ_ONLY
        invoice_mark_paid(actor=vendor_staff, invoice=subscription.invoices.get())

    assert _status(town_a) == Tenant.Status.READ_ONLY  # payment does not open it either
    subscription.refresh_from_db()
    assert not subscription.restricted_by_billing


def test_payment_does_not_reopen_a_town_archived_meanwhile(town_a, plan, vendor_staff):
    subscription = _start(town_a, plan, vendor_staff)
    with _at(2026, 3, 15):
        dunning_run()
    assert _status(town_a) == Tenant.Status.READ_ONLY
    town_set_status(tenant=town_a, status=Tenant.Status.ARCHIVED)

    invoice_mark_paid(actor=vendor_staff, invoice=subscription.invoices.get())

    assert _status(town_a) == Tenant.Status.ARCHIVED


def test_renewal_runs_once_per_period(town_a, plan, vendor_staff):
    subscription = _start(town_a, plan, vendor_staff)
    with _at(2027, 1, 14):
        assert manual_renewals_run() == 0
    with _at(2027, 1, 15):
        assert manual_renewals_run() == 1
        assert manual_renewals_run() == 0

    subscription.refresh_from_db()
    assert subscription.current_period_end == datetime.date(2028, 1, 15)
    assert (
        subscription.invoices.filter(billing_reason=Invoice.Reason.SUBSCRIPTION_CYCLE).count() == 1
    )


def test_renewal_reminders_60_and_30_days_before_each_sent_once(
    town_a, plan, vendor_staff, django_capture_on_commit_callbacks
):
    _start(town_a, plan, vendor_staff)
    sent_on = []
    day = datetime.date(2026, 10, 1)
    while day <= datetime.date(2027, 1, 20):  # the daily beat, through the period's end
        with _at(day.year, day.month, day.day), django_capture_on_commit_callbacks(execute=True):
            if renewal_reminders_send():
                sent_on.append(day)
        day += datetime.timedelta(days=1)

    assert sent_on == [datetime.date(2026, 11, 16), datetime.date(2026, 12, 16)]
    first, second = mail.outbox
    assert first.to == [BILLING_EMAIL]
    assert first.subject == "Ville A : votre abonnement Agora se renouvelle le 15/01/2027"
    assert "dans 60 jours" in first.body
    assert "dans 30 jours" in second.body
    assert "de 3\xa0650,00\xa0€" in first.body
    assert RenewalReminder.objects.count() == 2


def test_missed_days_send_only_the_nearest_reminder(town_a, plan, vendor_staff):
    _start(town_a, plan, vendor_staff)
    with _at(2026, 12, 20):  # 26 days left: the 60-day reminder is past, the 30-day one due
        assert renewal_reminders_send() == 1
        assert renewal_reminders_send() == 0
    assert list(RenewalReminder.objects.values_list("days_before", flat=True)) == [30]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"billing_email": "pas-une-adresse"}, "adresse e-mail de facturation valide"),
        ({"days_until_due": 0}, "entre 1 et 120 jours"),
    ],
)
def test_bad_subscription_input_creates_nothing(town_a, plan, vendor_staff, options, message):
    fields = {"billing_email": BILLING_EMAIL, **options}
    with pytest.raises(ApplicationError, match=message):
        subscription_start(actor=vendor_staff, tenant=town_a, plan=plan, **fields)
    assert not Subscription.objects.exists()
    assert not Invoice.objects.exists()


def test_withdrawn_plan_and_platform_cannot_subscribe(town_a, platform, plan, vendor_staff):
    plan.active = False
    plan.save()
    with pytest.raises(ApplicationError, match="n'est plus proposée"):
        _start(town_a, plan, vendor_staff)
    plan.active = True
    plan.save()
    with pytest.raises(ApplicationError, match="plateforme"):
        _start(platform, plan, vendor_staff)
    assert not Subscription.objects.exists()
