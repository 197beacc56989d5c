"""Sentry: started when SENTRY_DSN is set; every event carries the town it happened in."""

from __future__ import annotations

import sentry_sdk
from celery.signals import task_prerun
from django.conf import settings
from django.db import connection


def init_sentry(*, dsn: str, environment: str, traces_sample_rate: float, transport=None) -> None:
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        traces_sample_rate=traces_sample_rate,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        transport=transport,
    )


def tag_town(tenant) -> None:
    sentry_sdk.set_tag("town", getattr(tenant, "slug", None) or connection.schema_name)
    sentry_sdk.set_tag("schema", connection.schema_name)


def _tag_task_town(**_kwargs) -> None:
    # Connected after tenant-schemas-celery's own task_prerun handler: the schema is set.
    tag_town(getattr(connection, "tenant", None))


def connect() -> None:
    if settings.SENTRY_DSN:
        init_sentry(
            dsn=settings.SENTRY_DSN,
            environment=settings.SENTRY_ENVIRONMENT,
            traces_sample_rate=settings.SENTRY_TRACES_SAMPLE_RATE,
        )
    task_prerun.connect(_tag_task_town, dispatch_uid="agora_sentry_town_tag", weak=False)
