from celery import shared_task

from .services import usage_snapshot_take


@shared_task(name="usage.snapshot_take")
def snapshot_take() -> int:
    return usage_snapshot_take().pk
