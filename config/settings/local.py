"""Development on one machine: `./agora up`."""

from .base import *  # noqa: F403
from .env import env

DEBUG = env.bool("DEBUG", default=True)

# The site's own 404 page even with DEBUG on (Django would show its technical page).
MIDDLEWARE = [*MIDDLEWARE, "core.middleware.StyledNotFoundMiddleware"]  # noqa: F405
