from celery import shared_task

from .notifications import digest_send


@shared_task(name="network.digest_send")
def weekly_digest_send() -> int:
    """Weekly (CELERY_BEAT_SCHEDULE), in the public schema: the network's digest."""
    return digest_send()
