from celery import shared_task

from . import services


@shared_task(name="training.reminders_send")
def reminders_send() -> int:
    """Daily (CELERY_BEAT_SCHEDULE), in the public schema: the 7-day and 1-day reminders."""
    return services.reminders_send()
