"""The console's background work: creating a town (the wizard) and exporting one. Both are
sent from the public schema and run there (tenant-schemas-celery)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from celery import Task, shared_task
from django.db import transaction

logger = logging.getLogger(__name__)


@shared_task(name="onboarding.town_onboard")
def town_onboard(job_id: int) -> str:
    from .wizard import onboarding_job_run

    return onboarding_job_run(job_id=job_id).status


@shared_task(name="onboarding.jobs_stalled_fail")
def jobs_stalled_fail() -> int:
    from .wizard import onboarding_jobs_stalled_fail

    return onboarding_jobs_stalled_fail()


@shared_task(name="onboarding.town_export")
def town_export(export_id: int) -> str:
    from .offboarding import town_export_build

    return town_export_build(export_id=export_id).status


def delay_on_commit(task: Task, object_id: int, *, unsent: Callable[[], None]) -> None:
    """Send ``task(object_id)`` once the current transaction commits; if the broker cannot be
    reached, call ``unsent`` (which marks the row failed) rather than leave it waiting."""

    def send() -> None:
        try:
            task.delay(object_id)
        except Exception:
            logger.exception("Tâche %s (%s) non envoyée.", task.name, object_id)
            unsent()

    transaction.on_commit(send)
