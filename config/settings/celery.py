"""Celery on Redis; tasks carry their town's schema (tenant-schemas-celery)."""

from celery.schedules import crontab

from .env import env

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=env("REDIS_URL", default=""))
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Paris"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_TENANT_CACHE_SECONDS = 30
# Redis down: sending gives up within about a second and the task goes to the database outbox
# (tenants.outbox), instead of holding the request for Celery's default retries.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 2}

# One queue per kind of work, so that a burst of one (a weekly digest to every resident, a
# town's export) never delays another (a password-reset e-mail, a new town's onboarding), and
# each kind gets the workers it needs (`celery worker -Q emails`, docs/scaling.md). Task names
# (or glob patterns of them) by queue; any other task goes to "default".
CELERY_QUEUE_PREFIX = env("CELERY_QUEUE_PREFIX", default="")
TASK_KINDS = {
    "emails": [
        "accounts.send_email",
        "notifications.*",
        "network.digest_send",
        "questions.remind_overdue",
        "training.reminders_send",
        "billing.renewal_reminders_send",
    ],
    "exports": ["*.export", "*.*_export", "*.export_*"],
    "tallies": ["*.tally", "*.tally_*", "*.*_tally", "*.results_*"],
    "onboarding": ["onboarding.*", "tenants.spare_schemas_refill"],
}


def queue_names(prefix: str) -> list[str]:
    """Every queue, "default" first: what one worker consumes on a developer machine."""
    return [f"{prefix}default", *(f"{prefix}{kind}" for kind in TASK_KINDS)]


def task_routes(prefix: str) -> dict[str, dict[str, str]]:
    return {
        pattern: {"queue": f"{prefix}{kind}"}
        for kind, patterns in TASK_KINDS.items()
        for pattern in patterns
    }


CELERY_TASK_DEFAULT_QUEUE = f"{CELERY_QUEUE_PREFIX}default"
CELERY_TASK_ROUTES = task_routes(CELERY_QUEUE_PREFIX)

# Beat may run on several nodes (each node's systemd unit, for redundancy): only the one
# holding a lock in Redis sends the schedule (tenants.beat); the others take over within
# BEAT_LOCK_SECONDS when it stops. A tick at least every 5 s keeps the lock renewed.
CELERY_BEAT_SCHEDULER = "tenants.beat:SingleBeatScheduler"
CELERY_BEAT_MAX_LOOP_INTERVAL = 5
BEAT_LOCK_KEY = f"{CELERY_QUEUE_PREFIX}agora:beat-lock"
BEAT_LOCK_SECONDS = 30

# Periodic work is fanned out by one dispatcher to every town that is open (trial, active,
# read-only), each task then running in its own town's schema.
CELERY_BEAT_SCHEDULE = {
    # Every hour: the console's figures (registered residents, last admin sign-in…) are at most
    # an hour old. One row per town and day, updated in place (usage_snapshot_take).
    "usage-snapshot-hourly": {
        "task": "tenants.dispatch_to_towns",
        "schedule": crontab(minute=15),
        "args": ("usage.snapshot_take",),
    },
    "notifications-phase-openings": {
        "task": "tenants.dispatch_to_towns",
        "schedule": crontab(minute="*/15"),
        "args": ("notifications.phase_openings_notify",),
    },
    "notifications-weekly-digest": {
        "task": "tenants.dispatch_to_towns",
        "schedule": crontab(day_of_week="mon", hour=8, minute=0),
        "args": ("notifications.weekly_digest_send",),
    },
    # Not fanned out (public schema): the opted-in towns' figures for the network comparison
    # (network.library.figures), read from the towns' usage snapshots.
    "network-figures-gather": {
        "task": "template_library.figures_gather",
        "schedule": crontab(hour=3, minute=30),
    },
    # Every minute: the secret ballot boxes whose vote has just closed are sealed and their
    # encrypted pool shuffled into them (participation.secret_ballots.boxes_close).
    "secret-ballot-boxes-close": {
        "task": "tenants.dispatch_to_towns",
        "schedule": crontab(minute="*"),
        "args": ("participation.secret_boxes_close",),
    },
    # The integration tokens' usage log kept INTEGRATION_USE_RETENTION_DAYS.
    "integrations-uses-purge": {
        "task": "tenants.dispatch_to_towns",
        "schedule": crontab(hour=4, minute=10),
        "args": ("integrations.uses_purge",),
    },
    "questions-overdue-reminders": {
        "task": "tenants.dispatch_to_towns",
        "schedule": crontab(hour=9, minute=30),
        "args": ("questions.remind_overdue",),
    },
    # Not fanned out (public schema): tasks kept while the broker was down, each sent from
    # the schema it was sent from.
    "tenants-outbox-flush": {
        "task": "tenants.outbox_flush",
        "schedule": crontab(minute="*"),
    },
    # Not fanned out (public schema): custom domains whose DNS records may have appeared.
    "tenants-custom-domains-check": {
        "task": "tenants.custom_domains_check",
        "schedule": crontab(minute="*/10"),
    },
    # Not fanned out (public schema): the network forum's weekly digest.
    "network-weekly-digest": {
        "task": "network.digest_send",
        "schedule": crontab(day_of_week="mon", hour=8, minute=30),
    },
    # Not fanned out (public schema): onboarding jobs that lost their worker are failed.
    "onboarding-jobs-stalled": {
        "task": "onboarding.jobs_stalled_fail",
        "schedule": crontab(minute="*/5"),
    },
    # Not fanned out (public schema): e-mails 7 days and 1 day before a training session.
    "training-reminders-daily": {
        "task": "training.reminders_send",
        "schedule": crontab(hour=9, minute=0),
    },
    # Not fanned out: the spare schemas (tenants.spares) live in the public schema.
    "tenants-spare-schemas-refill": {
        "task": "tenants.spare_schemas_refill",
        "schedule": crontab(minute="*/5"),
    },
    # Billing (public schema): Stripe events left unprocessed, then the daily round in order:
    # manual renewals, dunning, renewal reminders.
    "billing-webhook-events-retry": {
        "task": "billing.webhook_events_retry",
        "schedule": crontab(minute="*/10"),
    },
    "billing-manual-renewals": {
        "task": "billing.manual_renewals_run",
        "schedule": crontab(hour=6, minute=0),
    },
    "billing-dunning": {
        "task": "billing.dunning_run",
        "schedule": crontab(hour=6, minute=10),
    },
    "billing-renewal-reminders": {
        "task": "billing.renewal_reminders_send",
        "schedule": crontab(hour=6, minute=20),
    },
}
