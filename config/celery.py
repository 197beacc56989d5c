"""The Celery application: every task runs in the schema of the town that enqueued it."""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = CeleryApp("agora")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
