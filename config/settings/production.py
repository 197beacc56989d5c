"""Production: secrets must come from the environment."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEVELOPMENT_SECRET_KEY
from .env import env

SECRET_KEY = env("SECRET_KEY")
# What Django's check security.W009 only warns about is refused here: a key that is short, made
# of few distinct characters, or Django's generated "insecure" one signs sessions badly.
if (
    len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
    or SECRET_KEY.startswith("django-insecure-")
    or SECRET_KEY == DEVELOPMENT_SECRET_KEY
):
    raise ImproperlyConfigured(
        "SECRET_KEY must be at least 50 characters of at least 5 different ones "
        "(python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )
DEBUG = False
PLATFORM_SCHEME = "https"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
# Every town is a sub-domain of the platform's domain: they are all HTTPS-only.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
# nginx redirects port 80 already; Django does too if a request reaches it in plain HTTP
# (X-Forwarded-Proto), except the health probe that a load balancer calls on the node itself.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
# deploy/nginx runs on the same host and passes the client's address in X-Forwarded-For.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=["127.0.0.1", "::1"])
