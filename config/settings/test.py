"""The test suite: the real PostgreSQL and Redis of `./agora test`."""

import os

from .base import *  # noqa: F403
from .env import env, redis_url_with_db

# One id per test run, inherited by the worker process a test starts: two runs at once on one
# machine (a developer's and CI's) use their own test database, queue and cache keys.
TEST_RUN_ID = env("AGORA_TEST_RUN_ID", default=str(os.getpid()))
DATABASES["default"]["TEST"] = {"NAME": f"test_agora_{TEST_RUN_ID}"}  # noqa: F405

DEBUG = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Logical database 15 of the same Redis: a running `./agora up` worker (database 0) never
# picks up a test's tasks, and the tests never read the dev server's cache.
REDIS_URL = redis_url_with_db(REDIS_URL, 15)  # noqa: F405
CACHES["default"]["LOCATION"] = REDIS_URL  # noqa: F405
CACHES["default"]["KEY_PREFIX"] = f"agora-test-{TEST_RUN_ID}"  # noqa: F405
CELERY_BROKER_URL = REDIS_URL
CELERY_QUEUE_PREFIX = f"agora-test-{TEST_RUN_ID}-"
CELERY_TASK_DEFAULT_QUEUE = f"{CELERY_QUEUE_PREFIX}default"
CELERY_TASK_ROUTES = task_routes(CELERY_QUEUE_PREFIX)  # noqa: F405
BEAT_LOCK_KEY = f"{CELERY_QUEUE_PREFIX}agora:beat-lock"

# Tests whose behaviour does not depend on the broker run tasks in-process; the ones that do
# (tests/tenants/test_celery.py) start a real worker process on the real Redis broker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True

# Uploaded files of one run, removed when the run ends (tests/conftest.py).
# Tests change content and read it back at once; tests/participation/test_page_cache.py turns
# the anonymous page cache on for itself.
PUBLIC_PAGE_CACHE_SECONDS = 0

MEDIA_ROOT = BASE_DIR / "var" / "test-media" / TEST_RUN_ID  # noqa: F405
PRIVATE_MEDIA_ROOT = MEDIA_ROOT / "private"

# Counters live in Redis across the tests of a run, and most tests sign in, vote or comment
# from 127.0.0.1 with the same few addresses: limits out of reach, except for the tests of
# the limits themselves (tests/core/test_ratelimit.py and others lower them).
RATE_LIMITS = {
    action: {scope: (count * 10_000, seconds) for scope, (count, seconds) in scopes.items()}
    for action, scopes in RATE_LIMITS.items()  # noqa: F405
}
SIGN_IN_LOCKOUT = {
    scope: {**policy, "failures": policy["failures"] * 10_000}
    for scope, policy in SIGN_IN_LOCKOUT.items()  # noqa: F405
}
