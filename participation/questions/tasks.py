"""Periodic work, run in one town's schema each (``tenants.dispatch_to_towns`` fans it out;
see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from . import services


@shared_task(name="questions.remind_overdue")
def remind_overdue() -> int:
    return services.questions_remind_overdue()
