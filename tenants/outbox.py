"""Tasks sent while the broker is down wait in the database, then leave when it is back.

Every task of the app is an ``OutboxTask`` (config/celery.py). Sending one while Redis cannot
be reached stores it in ``TaskOutbox`` (public schema) with the schema of the town it was sent
from, instead of raising: the request that sent it (a sign-up, a comment) succeeds, and the
task runs later in the right schema. ``outbox_flush`` (beat, every minute) sends the stored
tasks in order, each from its own schema so that tenant-schemas-celery stamps it, and deletes
each one sent in the same transaction. A crash between sending and committing would send a
task twice: the tasks sent this way (e-mails, processing of a stored row) accept that, and it
never happens while the broker answers."""

from __future__ import annotations

import logging

from django.db import connection, transaction
from django_tenants.utils import schema_context
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from tenant_schemas_celery.task import TenantTask

logger = logging.getLogger(__name__)

# What sending raises when the broker cannot be reached (Celery wraps most in kombu's).
BROKER_UNREACHABLE = (KombuOperationalError, RedisConnectionError, RedisTimeoutError, OSError)
FLUSH_BATCH = 200


class OutboxTask(TenantTask):
    abstract = True

    def apply_async(self, args=None, kwargs=None, *arg, **options):
        if self.app.conf.task_always_eager:
            return super().apply_async(args, kwargs, *arg, **options)
        try:
            return super().apply_async(args, kwargs, *arg, **options)
        except BROKER_UNREACHABLE as exc:
            if (options.get("headers") or {}).get("_outbox"):
                raise  # a flush: the row stays where it is
            outbox_keep(task_name=self.name, args=args, kwargs=kwargs, error=exc)
            return None


def outbox_keep(*, task_name: str, args, kwargs, error: BaseException) -> None:
    from .models import TaskOutbox

    schema = connection.schema_name
    # Its own transaction: the caller's (often an on_commit callback) has committed already,
    # and the row must not depend on what happens next.
    with transaction.atomic():
        TaskOutbox.objects.create(
            task_name=task_name,
            args=list(args or ()),
            kwargs=dict(kwargs or {}),
            schema_name=schema,
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
    logger.warning(
        "Broker injoignable : tâche %s (schéma %s) gardée dans la file d'attente (%s).",
        task_name,
        schema,
        error,
    )


def outbox_flush() -> int:
    """Send the kept tasks, oldest first; stop at the first that cannot be sent (the broker
    is still down). Rows locked by a concurrent flush are skipped. How many were sent."""
    from celery import current_app

    from .models import TaskOutbox

    sent = 0
    with transaction.atomic():
        rows = list(TaskOutbox.objects.select_for_update(skip_locked=True)[:FLUSH_BATCH])
        for row in rows:
            task = current_app.tasks[row.task_name]
            try:
                with schema_context(row.schema_name):
                    task.apply_async(row.args, row.kwargs, headers={"_outbox": True})
            except BROKER_UNREACHABLE as exc:
                TaskOutbox.objects.filter(pk=row.pk).update(
                    attempts=row.attempts + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000]
                )
                break
            row.delete()
            sent += 1
    return sent
