"""Stripe webhooks: verified on the raw body, stored once by event id, processed after commit.

Receiving only verifies and stores (a fast 200 for Stripe); a Celery task processes the event
under its row lock, once. Processing re-fetches the object from Stripe (billing.services
.stripe_sync), so a duplicate or an event out of order changes nothing. An event that fails
(Stripe unreachable, a subscription not committed yet) keeps its error and is tried again by
``webhook_events_retry``.
"""

from __future__ import annotations

import datetime
import logging

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.errors import ApplicationError

from .. import gateway
from ..models import WebhookEvent
from .stripe_sync import invoice_sync, subscription_sync

logger = logging.getLogger(__name__)

RETRY_AFTER = datetime.timedelta(minutes=5)
MAX_ATTEMPTS = 20


def webhook_receive(*, payload: bytes, signature: str) -> WebhookEvent:
    """Verify and store the event (once: a second delivery finds the first row), and have it
    processed after commit when it is new. A replay of an event already stored queues nothing:
    it is processed already, or queued already, or left to ``webhook_events_retry`` (a replay
    must not multiply the tasks of an event that keeps failing). Raises gateway.WebhookRefused."""
    event = gateway.event_verify(payload=payload, signature=signature)
    try:
        # A savepoint: the unique event id refuses a second row, the request's transaction
        # goes on.
        with transaction.atomic():
            stored = WebhookEvent.objects.create(
                stripe_event_id=event.id,
                type=event.type,
                payload=event.payload,
                event_created_at=event.created_at,
            )
    except IntegrityError:
        return WebhookEvent.objects.get(stripe_event_id=event.id)
    _process_on_commit(stored.pk)
    return stored


def _process_on_commit(event_pk: int) -> None:
    from ..tasks import webhook_event_process_task

    transaction.on_commit(lambda: webhook_event_process_task.delay(event_pk))


def _dispatch(event: WebhookEvent) -> None:
    obj = event.payload["data"]["object"]
    if obj["object"] == "invoice":
        invoice_sync(stripe_invoice_id=obj["id"])
    elif obj["object"] == "subscription":
        subscription_sync(stripe_subscription_id=obj["id"])
    # Other types are not ours to act on: stored, marked processed.


def webhook_event_process(*, event_pk: int) -> bool:
    """Process a stored event once. True if it is processed now (or was already)."""
    try:
        with transaction.atomic():
            event = WebhookEvent.objects.select_for_update().get(pk=event_pk)
            if event.processed_at is not None:
                return True
            _dispatch(event)
            event.processed_at = timezone.now()
            event.attempts += 1
            event.error = ""
            event.save(update_fields=["processed_at", "attempts", "error"])
        return True
    except Exception as exc:
        WebhookEvent.objects.filter(pk=event_pk, processed_at__isnull=True).update(
            attempts=F("attempts") + 1, error=str(exc)[:2000]
        )
        if isinstance(exc, ApplicationError):
            logger.warning("Événement Stripe %s à réessayer : %s", event_pk, exc)
            return False
        raise


def webhook_events_retry(*, now: datetime.datetime | None = None) -> int:
    """Every few minutes: enqueue the events still unprocessed some minutes after arrival."""
    now = now or timezone.now()
    pending = WebhookEvent.objects.filter(
        processed_at__isnull=True, received_at__lte=now - RETRY_AFTER, attempts__lt=MAX_ATTEMPTS
    ).values_list("pk", flat=True)
    count = 0
    for pk in pending:
        _process_on_commit(pk)
        count += 1
    return count
