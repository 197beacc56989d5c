"""Development on one machine: `./agora up`."""

from .base import *  # noqa: F403
from .env import env

DEBUG = env.bool("DEBUG", default=True)

# E-mails do not leave a developer's machine: printed in the Celery worker's log and kept in
# var/mail/, listed at /courriels/ on every host (core/local_mail.py).
EMAIL_BACKEND = env("EMAIL_BACKEND", default="core.local_mail.KeepingEmailBackend")
LOCAL_MAIL_DIR = env.path("LOCAL_MAIL_DIR", default=str(BASE_DIR / "var" / "mail"))  # noqa: F405

# The site's own 404 page even with DEBUG on (Django would show its technical page).
MIDDLEWARE = [*MIDDLEWARE, "core.middleware.StyledNotFoundMiddleware"]  # noqa: F405
