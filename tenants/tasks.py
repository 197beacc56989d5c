from celery import current_app, shared_task
from django_tenants.utils import tenant_context

from .selectors import served_towns


@shared_task(name="tenants.dispatch_to_towns")
def dispatch_to_towns(task_name: str) -> int:
    """Fan one periodic task out to every served town; each copy runs in its town's schema
    (tenant-schemas-celery stamps the schema active when the task is sent)."""
    task = current_app.tasks[task_name]
    count = 0
    for tenant in served_towns().iterator():
        with tenant_context(tenant):
            task.delay()
        count += 1
    return count


@shared_task(name="tenants.spare_schemas_refill")
def spare_schemas_refill_task() -> int:
    """Top the pool of spare schemas up (public schema; beat every 5 minutes and after each town
    creation). How many were cloned."""
    from .services import spare_schemas_refill

    return spare_schemas_refill().created


@shared_task(name="tenants.outbox_flush")
def outbox_flush_task() -> int:
    """Send the tasks kept while the broker was down (public schema; beat every minute)."""
    from .outbox import outbox_flush

    return outbox_flush()
