"""Periodic work, run in one town's schema each (``tenants.dispatch_to_towns`` fans it out;
see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from . import services


@shared_task(name="integrations.uses_purge")
def uses_purge() -> int:
    return services.integration_token_uses_purge()
