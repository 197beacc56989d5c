"""Celery adapters of the billing services; they run in the public schema."""

from celery import shared_task
from django_tenants.utils import get_public_schema_name, schema_context

from .services.dunning import dunning_run
from .services.reminders import renewal_reminders_send
from .services.subscriptions import manual_renewals_run
from .services.webhooks import webhook_event_process, webhook_events_retry


@shared_task(name="billing.webhook_event_process")
def webhook_event_process_task(event_pk: int) -> bool:
    with schema_context(get_public_schema_name()):
        return webhook_event_process(event_pk=event_pk)


@shared_task(name="billing.webhook_events_retry")
def webhook_events_retry_task() -> int:
    with schema_context(get_public_schema_name()):
        return webhook_events_retry()


@shared_task(name="billing.manual_renewals_run")
def manual_renewals_run_task() -> int:
    with schema_context(get_public_schema_name()):
        return manual_renewals_run()


@shared_task(name="billing.dunning_run")
def dunning_run_task() -> dict[str, str]:
    with schema_context(get_public_schema_name()):
        return {str(pk): status for pk, status in dunning_run().changed.items()}


@shared_task(name="billing.renewal_reminders_send")
def renewal_reminders_send_task() -> int:
    with schema_context(get_public_schema_name()):
        return renewal_reminders_send()
