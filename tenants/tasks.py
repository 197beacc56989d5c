from celery import current_app, shared_task
from django_tenants.utils import tenant_context

from core.errors import Invalid, Unavailable

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


@shared_task(name="tenants.custom_domain_check")
def custom_domain_check_task(domain_id: int) -> bool:
    """Look a custom domain's records up once, right after it was asked for (public schema).
    Whether it is verified now; beat looks again later (tenants.custom_domains_check)."""
    from .domains import custom_domain_verify
    from .models import Domain

    domain = Domain.objects.filter(pk=domain_id, is_custom=True).select_related("tenant").first()
    if domain is None or domain.verified_at is not None:
        return False
    try:
        custom_domain_verify(domain=domain)
    except (Invalid, Unavailable):
        return False
    return True


@shared_task(name="tenants.custom_domains_check")
def custom_domains_check_task() -> int:
    """Look again for the records of the custom domains asked for this week (public schema;
    beat every 10 minutes). How many became verified."""
    from .domains import custom_domains_pending_check

    return custom_domains_pending_check()
