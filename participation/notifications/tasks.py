"""Periodic e-mails, run in one town's schema each (``tenants.dispatch_to_towns`` fans them
out; see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from . import push, services


@shared_task(name="notifications.phase_openings_notify")
def phase_openings_notify() -> int:
    return services.phase_openings_notify()


@shared_task(name="notifications.weekly_digest_send")
def weekly_digest_send() -> int:
    return services.weekly_digest_send()


@shared_task(name="notifications.push_send")
def push_send(*, user_id: int, payload: str) -> int:
    return push.push_deliver(user_id=user_id, payload=payload)
