"""The test suite: the real PostgreSQL and Redis of `./agora test`."""

from .base import *  # noqa: F403
from .env import redis_url_with_db

DEBUG = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Logical database 15 of the same Redis: a running `./agora up` worker (database 0) never
# picks up a test's tasks, and the tests never read the dev server's cache.
REDIS_URL = redis_url_with_db(REDIS_URL, 15)  # noqa: F405
CACHES["default"]["LOCATION"] = REDIS_URL  # noqa: F405
CACHES["default"]["KEY_PREFIX"] = "agora-test"  # noqa: F405
CELERY_BROKER_URL = REDIS_URL

# Tests whose behaviour does not depend on the broker run tasks in-process; the ones that do
# (tests/tenants/test_celery.py) start a real worker process on the real Redis broker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True

MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
