"""Stripe's webhook: signature on the raw body, each event stored once and processed once after
commit, duplicates and disorder harmless."""

from __future__ import annotations

import datetime
import json
import threading
import time

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from billing.models import Invoice, Payment, Plan, Subscription, WebhookEvent
from billing.services.subscriptions import subscription_start
from billing.services.webhooks import webhook_events_retry
from console.models import AuditEntry
from tests.conftest import on_own_connection

from .conftest import WEBHOOK_SECRET
from .fake_stripe import WebhookSender, webhook_signature


@pytest.fixture
def subscribed(fake_stripe, stripe_webhooks, town_a, plan, vendor_staff) -> Subscription:
    """A Stripe subscription whose creation events have been delivered already."""
    subscription = subscription_start(
        actor=vendor_staff, tenant=town_a, plan=plan, billing_email="finances@ville-a.fr"
    )
    stripe_webhooks.deliver_pending()
    return subscription


def _invoice_fetches(fake_stripe, invoice_id: str) -> int:
    return len(fake_stripe.requests_to("GET", f"/v1/invoices/{invoice_id}"))


def _an_event(stripe_webhooks, subscribed, fake_stripe) -> dict:
    fake_stripe.transfer_received(subscribed.invoices.get().stripe_invoice_id)
    (event,) = stripe_webhooks.pending()
    return event


@pytest.mark.parametrize(
    "signature",
    [
        pytest.param(lambda body: "t=1,v1=" + "0" * 64, id="forged"),
        pytest.param(lambda body: webhook_signature(body, "whsec_someone_else"), id="other-secret"),
        pytest.param(lambda body: webhook_signature(body + " ", WEBHOOK_SECRET), id="other-body"),
        pytest.param(
            lambda body: webhook_signature(body, WEBHOOK_SECRET, int(time.time()) - 600),
            id="replayed-10-minutes-later",
        ),
        pytest.param(lambda body: "", id="missing"),
    ],
)
def test_bad_signature_is_refused_and_nothing_stored(
    stripe_webhooks, subscribed, fake_stripe, signature
):
    event = _an_event(stripe_webhooks, subscribed, fake_stripe)
    body = json.dumps(event)

    response = stripe_webhooks.sender.post(event, body=body, signature=signature(body))

    assert response.status_code == 400
    assert not WebhookEvent.objects.filter(stripe_event_id=event["id"]).exists()
    assert subscribed.invoices.get().status == Invoice.Status.OPEN


def test_signed_body_that_is_not_an_event_is_refused(stripe_webhooks):
    for body in [
        "pas du JSON",
        json.dumps({"id": "evt_1", "type": "invoice.paid"}),
        json.dumps([{"id": "evt_1", "type": "invoice.paid"}]),  # the wrong shape: a list
        json.dumps({"id": "evt_1", "type": "invoice.paid", "data": ["object"]}),
    ]:
        response = stripe_webhooks.sender.post({}, body=body)
        assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


def test_webhook_takes_no_get_and_no_secret_means_no_event(stripe_webhooks, settings):
    assert stripe_webhooks.sender.client.get("/facturation/stripe/webhook/").status_code == 405
    settings.STRIPE_WEBHOOK_SECRET = ""
    response = stripe_webhooks.sender.post({"id": "evt_1"})
    assert response.status_code == 400


def test_event_is_stored_then_processed_only_after_commit(
    stripe_webhooks, subscribed, fake_stripe, django_capture_on_commit_callbacks
):
    event = _an_event(stripe_webhooks, subscribed, fake_stripe)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = stripe_webhooks.sender.post(event)

    assert response.status_code == 200
    stored = WebhookEvent.objects.get(stripe_event_id=event["id"])
    assert stored.type == "invoice.paid"
    assert stored.payload == event
    assert stored.processed_at is None
    assert subscribed.invoices.get().status == Invoice.Status.OPEN
    assert len(callbacks) == 1
    callbacks[0]()  # the commit: the Celery task runs (eagerly here)
    stored.refresh_from_db()
    assert stored.processed_at is not None
    assert subscribed.invoices.get().status == Invoice.Status.PAID


def test_same_event_twice_is_processed_once(stripe_webhooks, subscribed, fake_stripe):
    event = _an_event(stripe_webhooks, subscribed, fake_stripe)
    invoice_id = event["data"]["object"]["id"]
    fetches = _invoice_fetches(fake_stripe, invoice_id)

    stripe_webhooks.deliver([event, event])

    stored = WebhookEvent.objects.get(stripe_event_id=event["id"])
    assert stored.attempts == 1
    assert _invoice_fetches(fake_stripe, invoice_id) == fetches + 1
    assert Payment.objects.filter(invoice__subscription=subscribed).count() == 1


def test_a_replay_of_an_event_that_waits_for_a_retry_queues_nothing(
    stripe_webhooks, subscribed, fake_stripe, django_capture_on_commit_callbacks
):
    """An event whose processing failed waits for webhook_events_retry: Stripe's replays of
    it (it retries for days) must not each queue one more task."""
    event = _an_event(stripe_webhooks, subscribed, fake_stripe)
    fake_stripe.fail_next("GET", "/v1/invoices/", "Temporary failure.")
    stripe_webhooks.deliver([event])
    assert WebhookEvent.objects.get(stripe_event_id=event["id"]).processed_at is None

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for _replay in range(3):
            assert stripe_webhooks.sender.post(event).status_code == 200

    assert callbacks == []
    stored = WebhookEvent.objects.get(stripe_event_id=event["id"])
    assert (stored.attempts, stored.processed_at) == (1, None)


def test_events_in_reverse_order_leave_the_final_state(
    fake_stripe, stripe_webhooks, town_a, plan, vendor_staff
):
    subscription = subscription_start(
        actor=vendor_staff, tenant=town_a, plan=plan, billing_email="finances@ville-a.fr"
    )
    Invoice.objects.all().delete()  # as if our copy were lost: rebuilt from the events alone
    stripe_invoice_id = fake_stripe.latest_invoice(subscription.stripe_subscription_id)["id"]
    fake_stripe.transfer_received(stripe_invoice_id)
    events = stripe_webhooks.pending()
    types = [event["type"] for event in events]
    assert types.index("invoice.created") < types.index("invoice.paid")

    stripe_webhooks.deliver(list(reversed(events)))

    invoice = Invoice.objects.get(stripe_invoice_id=stripe_invoice_id)
    assert invoice.status == Invoice.Status.PAID  # the older "created"/"finalized" came last
    assert invoice.number == "FAKE-0001"
    assert invoice.payment.amount_cents == 365_000
    assert not WebhookEvent.objects.filter(processed_at__isnull=True).exists()


def test_subscription_updates_out_of_order_keep_the_latest_period(
    fake_stripe, stripe_webhooks, subscribed
):
    with time_machine.travel(datetime.datetime(2027, 1, 20, tzinfo=datetime.UTC), tick=False):
        fake_stripe.subscription_renew(subscribed.stripe_subscription_id)
    with time_machine.travel(datetime.datetime(2028, 1, 20, tzinfo=datetime.UTC), tick=False):
        fake_stripe.subscription_renew(subscribed.stripe_subscription_id)
        updates = [e for e in stripe_webhooks.pending() if e["type"].startswith("customer.")]
        newest, oldest = updates[-1], updates[0]
        assert newest["created"] > oldest["created"]
        stripe_webhooks.deliver([newest, oldest])

    subscribed.refresh_from_db()
    plan_item_id = fake_stripe.subscriptions[subscribed.stripe_subscription_id]["item_ids"][0]
    period_end = fake_stripe.items[plan_item_id]["current_period_end"]
    assert subscribed.current_period_end == timezone.localdate(
        datetime.datetime.fromtimestamp(period_end, tz=datetime.UTC)
    )
    assert subscribed.current_period_end.year == subscribed.current_period_start.year + 1


def test_event_of_a_subscription_not_committed_yet_is_retried(
    fake_stripe, stripe_webhooks, town_a, plan, vendor_staff, django_capture_on_commit_callbacks
):
    """Stripe's first events may arrive before the transaction that records the subscription
    commits: they wait, with their error, and the retry applies them."""
    subscription = subscription_start(
        actor=vendor_staff, tenant=town_a, plan=plan, billing_email="finances@ville-a.fr"
    )
    ids = (subscription.stripe_customer_id, subscription.stripe_subscription_id)
    Subscription.objects.filter(pk=subscription.pk).update(
        stripe_customer_id="cus_not_yet", stripe_subscription_id="sub_not_yet"
    )
    subscription.invoices.all().delete()  # what the webhooks must bring

    stripe_webhooks.deliver_pending()

    waiting = WebhookEvent.objects.filter(processed_at__isnull=True)
    assert {event.type for event in waiting} >= {
        "customer.subscription.created",
        "invoice.created",
        "invoice.finalized",
    }
    assert all(event.attempts == 1 and "Aucun abonnement" in event.error for event in waiting)
    ignored = WebhookEvent.objects.get(type="customer.created")  # not ours to act on
    assert ignored.processed_at is not None

    Subscription.objects.filter(pk=subscription.pk).update(
        stripe_customer_id=ids[0], stripe_subscription_id=ids[1]
    )
    pending = waiting.count()
    with django_capture_on_commit_callbacks(execute=True):
        assert webhook_events_retry() == 0  # too soon: received less than five minutes ago
        assert webhook_events_retry(now=timezone.now() + datetime.timedelta(minutes=6)) == pending
    assert not WebhookEvent.objects.filter(processed_at__isnull=True).exists()
    assert subscription.invoices.get().number == "FAKE-0001"


def test_deleted_draft_invoice_is_removed_from_our_records(stripe_webhooks, subscribed):
    draft = Invoice.objects.create(
        subscription=subscribed,
        status=Invoice.Status.DRAFT,
        total_cents=100,
        amount_due_cents=100,
        stripe_invoice_id="in_deleted_at_stripe",
    )
    event = {
        "id": "evt_invoice_deleted",
        "object": "event",
        "type": "invoice.deleted",
        "created": int(time.time()),
        "data": {"object": {"id": draft.stripe_invoice_id, "object": "invoice"}},
    }

    stripe_webhooks.deliver([event])

    assert not Invoice.objects.filter(pk=draft.pk).exists()
    assert WebhookEvent.objects.get(stripe_event_id=event["id"]).processed_at is not None


def test_stripe_unavailable_while_processing_keeps_the_event_for_a_retry(
    stripe_webhooks, subscribed, fake_stripe, django_capture_on_commit_callbacks
):
    event = _an_event(stripe_webhooks, subscribed, fake_stripe)
    fake_stripe.fail_next("GET", "/v1/invoices/", "Temporary failure.")

    stripe_webhooks.deliver([event])

    stored = WebhookEvent.objects.get(stripe_event_id=event["id"])
    assert stored.processed_at is None
    assert "Temporary failure." in stored.error
    assert subscribed.invoices.get().status == Invoice.Status.OPEN
    with django_capture_on_commit_callbacks(execute=True):
        webhook_events_retry(now=timezone.now() + datetime.timedelta(minutes=6))
    stored.refresh_from_db()
    assert (stored.processed_at is not None, stored.attempts, stored.error) == (True, 2, "")
    assert subscribed.invoices.get().status == Invoice.Status.PAID


def test_concurrent_deliveries_of_one_event_store_and_process_it_once(
    db, committed_db, fake_stripe, town_a
):
    """Stripe may deliver an event again while the first delivery is still running: both
    requests run at once on their own connections, committed."""

    def subscribe() -> Subscription:
        plan = Plan.objects.create(code="concurrence", name="Concurrence", annual_price_cents=1000)
        return subscription_start(
            actor=None, tenant=town_a, plan=plan, billing_email="finances@ville-a.fr"
        )

    subscription = on_own_connection(subscribe)
    try:
        stripe_invoice_id = fake_stripe.latest_invoice(subscription.stripe_subscription_id)["id"]
        fake_stripe.transfer_received(stripe_invoice_id)
        event = fake_stripe.events[-1]
        assert event["type"] == "invoice.paid"
        fetches = _invoice_fetches(fake_stripe, stripe_invoice_id)
        sender = WebhookSender(Client(HTTP_HOST=settings.PLATFORM_DOMAIN), WEBHOOK_SECRET)
        barrier = threading.Barrier(2)

        def deliver():
            barrier.wait(timeout=10)
            return sender.post(event).status_code

        statuses = [on_own_connection_async(deliver) for _ in range(2)]
        assert [status() for status in statuses] == [200, 200]

        stored = WebhookEvent.objects.get(stripe_event_id=event["id"])
        assert (stored.processed_at is not None, stored.attempts) == (True, 1)
        assert _invoice_fetches(fake_stripe, stripe_invoice_id) == fetches + 1
        assert Payment.objects.filter(invoice__subscription=subscription).count() == 1
    finally:
        on_own_connection(_remove_billing_of, subscription)


def on_own_connection_async(function):
    """Start function in a thread with its own connection; returns a callable that waits for
    its result."""
    outcome = {}

    def run():
        try:
            outcome["value"] = function()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()

    def result():
        thread.join(timeout=60)
        assert not thread.is_alive()
        return outcome["value"]

    return result


def _remove_billing_of(subscription: Subscription) -> None:
    Payment.objects.filter(invoice__subscription=subscription).delete()
    subscription.invoices.all().delete()
    subscription.delete()
    Plan.objects.filter(code="concurrence").delete()
    WebhookEvent.objects.all().delete()
    AuditEntry.objects.filter(action__startswith="billing.").delete()
