"""The Celery application: every task runs in the schema of the town that enqueued it."""

import os

from tenant_schemas_celery.app import CeleryApp

# No DJANGO_SETTINGS_MODULE means production: a forgotten variable must not serve with
# DEBUG on and the built-in key. ./agora chooses the local settings explicitly.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

# Tasks sent while Redis is down wait in the database outbox (tenants.outbox).
app = CeleryApp("agora", task_cls="tenants.outbox:OutboxTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
