"""Periodic e-mails, run in one town's schema each (``tenants.dispatch_to_towns`` fans them
out; see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from . import services


@shared_task(name="notifications.phase_openings_notify")
def phase_openings_notify() -> int:
    return services.phase_openings_notify()


@shared_task(name="notifications.weekly_digest_send")
def weekly_digest_send() -> int:
    return services.weekly_digest_send()
