import time

from django_tenants.utils import tenant_context

from tenants.usage.models import UsageSnapshot
from tenants.usage.tasks import snapshot_take


def test_task_sent_from_town_a_runs_in_town_a(celery_worker_process, committed_db, settings):
    from tenants.models import Tenant
    from tests.conftest import TOWN_A, TOWN_B

    town_a, town_b = Tenant.objects.get(slug=TOWN_A), Tenant.objects.get(slug=TOWN_B)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from config.celery import app

    app.conf.task_always_eager = False
    try:
        with tenant_context(town_a):
            snapshot_take.delay()
        deadline = time.monotonic() + 20
        found = False
        while time.monotonic() < deadline and not found:
            with tenant_context(town_a):
                found = UsageSnapshot.objects.exists()
            time.sleep(0.2)
        assert found
        with tenant_context(town_b):
            assert not UsageSnapshot.objects.exists()
    finally:
        app.conf.task_always_eager = True
        with tenant_context(town_a):
            UsageSnapshot.objects.all().delete()
