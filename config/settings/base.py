"""Settings shared by every environment; all values come from the environment."""

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from .celery import *  # noqa: F403
from .env import BASE_DIR, database_from_url, env
from .sentry import *  # noqa: F403
from .stripe import *  # noqa: F403
from .tenants import *  # noqa: F403

# Development only: production refuses it (config/settings/production.py).
DEVELOPMENT_SECRET_KEY = "agora-insecure-development-key-change-me"
SECRET_KEY = env("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=False)

# The platform's own domain: the vendor console is served on it, each town on SLUG.<domain>.
PLATFORM_DOMAIN = env("PLATFORM_DOMAIN", default="localhost")
PLATFORM_SCHEME = env("PLATFORM_SCHEME", default="http")
PLATFORM_PORT = env("PORT", default="8000")
# FranceConnect's issuers (v2), by environment; a town's provider may set its own instead.
FRANCECONNECT_ISSUERS = {
    "integration": env(
        "FRANCECONNECT_INTEGRATION_ISSUER",
        default="https://fcp-low.integ01.dev-franceconnect.fr/api/v2",
    ),
    "production": env(
        "FRANCECONNECT_PRODUCTION_ISSUER", default="https://oidc.franceconnect.gouv.fr/api/v2"
    ),
}
# Where custom domains' DNS records are looked up (tenants.domains): "host:port" of a resolver,
# or empty for the machine's own (/etc/resolv.conf).
DNS_RESOLVER = env("DNS_RESOLVER", default="")
# Any host may be a town's verified custom domain: the Domain table, read by the tenant
# middleware, is the list of hosts served; every other host gets a 404 page.
ALLOWED_HOSTS = ["*"]

DATABASES = {"default": database_from_url(env("DATABASE_URL", default="postgresql:///agora"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        # Every key carries the schema of the town it belongs to.
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="agora"),
        # A Redis that does not answer fails fast (then is ignored, below).
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
    }
}
# Redis down: the cache answers "nothing cached" and writes are dropped, so pages, votes and
# answers are still served (the anonymous page cache degrades to no cache); each ignored
# error is logged (logger django_redis.cache).
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# Anonymous visitors' pages are served from the cache this long (participation/caching.py).
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=30)

# Map tiles: a Leaflet URL pattern ({s} {z} {x} {y}) and its attribution (HTML: the tile
# server's licence asks for it). OpenStreetMap's own servers take light use only; a town with
# heavy traffic points this at its own or a commercial tile server.
MAP_TILES_URL = env("MAP_TILES_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = env(
    "MAP_TILES_ATTRIBUTION",
    default='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)

MIDDLEWARE = [
    # Before the town lookup: the unknown-host 404 it answers itself, and the 503 page when the
    # database is down, carry the security headers too.
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.PrivatePagesMiddleware",
    "tenants.middleware.TownMiddleware",
    "core.ratelimit.ClientAddressMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Every POST of a town's back office goes to the town's audit log (/gestion/journal/).
    "participation.team.audit.BackOfficeAuditMiddleware",
    # Every request made with an integration token goes to the token's usage log.
    "participation.integrations.middleware.IntegrationTokenUseMiddleware",
    # A member's second factor before any back-office page (participation.team.otp).
    "participation.team.otp.BackOfficeSecondFactorMiddleware",
    "tenants.middleware.TownStatusMiddleware",
    "core.middleware.ForbiddenCharactersMiddleware",
    "core.middleware.ApplicationErrorMiddleware",
]

ROOT_URLCONF = "config.urls_town"
PUBLIC_SCHEMA_URLCONF = "config.urls_public"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tenants.context_processors.town",
                "theming.context_processors.theme",
                "csp.context_processors.nonce",
            ],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "accounts.backends.EmailPasswordBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3
EMAIL_VERIFICATION_TIMEOUT = 60 * 60 * 24 * 7

# A console enrolment link (console.enrolment) is valid this many hours.
CONSOLE_ENROLMENT_LINK_HOURS = env.int("CONSOLE_ENROLMENT_LINK_HOURS", default=24)

# API tokens (accounts.ApiToken) stop working this many days after they are made.
API_TOKEN_LIFETIME_DAYS = env.int("API_TOKEN_LIFETIME_DAYS", default=30)
# The integration tokens' usage log (participation.integrations) is kept this many days.
INTEGRATION_USE_RETENTION_DAYS = env.int("INTEGRATION_USE_RETENTION_DAYS", default=365)

# Rate limits (core.ratelimit): per action, per scope, (attempts, seconds). "account" is the
# account (or the address typed to sign in), "ip" the client's address, "address" an e-mail
# address a message is sent to. Votes: tight per account, generous per address, because a town
# hall's or a school's network shows hundreds of voters behind one address.
RATE_LIMITS = {
    "sign_up": {"ip": (10, 60 * 60)},
    "password_reset": {"ip": (20, 60 * 60), "address": (3, 60 * 60)},
    "email_verification": {"account": (3, 60 * 60), "ip": (30, 60 * 60)},
    "api_token": {"account": (10, 60 * 60), "ip": (60, 60 * 60)},
    "idea": {"account": (10, 60 * 60), "ip": (300, 60 * 60)},
    "question": {"account": (10, 60 * 60), "ip": (300, 60 * 60)},
    "comment": {"account": (30, 60 * 60), "ip": (600, 60 * 60)},
    "network_post": {"account": (30, 60 * 60), "ip": (600, 60 * 60)},
    "vote": {"account": (10, 60), "ip": (10_000, 10 * 60)},
    # Every API call (core.throttling.RateLimitThrottle), on top of the actions' own limits.
    "api": {"account": (1200, 60), "ip": (3000, 60)},
}
# After `failures` wrong passwords within `window` seconds, the account typed (or the client's
# address) is locked out for `base` seconds, doubled at each further failure up to `max`.
SIGN_IN_LOCKOUT = {
    "account": {"failures": 5, "window": 60 * 60, "base": 60, "max": 60 * 60},
    "ip": {"failures": 50, "window": 60 * 60, "base": 60, "max": 60 * 60},
}
# Proxies whose X-Forwarded-For is believed (addresses or networks): deploy/nginx on the same
# host in production; none in development, where runserver faces the browser.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# No SESSION_COOKIE_DOMAIN: each town's cookie stays on its own host.

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One style of dates and numbers per language (config/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
# Files for the platform's staff and invited people only (training materials), served by
# views that check who asks: outside MEDIA_ROOT, which nginx serves to anyone.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "private"))
STORAGES = {
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Agora <ne-pas-repondre@agora.localhost>")

# Web push notifications (participation/notifications/push.py): the platform's VAPID key pair
# (`manage.py vapid_keys` makes one) and a contact for the push services. Without the keys,
# residents are not offered push notifications.
VAPID_PUBLIC_KEY = env("VAPID_PUBLIC_KEY", default="")
VAPID_PRIVATE_KEY = env("VAPID_PRIVATE_KEY", default="")
VAPID_SUBJECT = env("VAPID_SUBJECT", default="mailto:contact@agora.localhost")

REST_FRAMEWORK = {
    # Token first: DRF answers a missing or refused credential with the first class's
    # challenge, so an unknown token (e.g. another town's) gets 401, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        # The town's integration tokens (Authorization: Bearer), limited to their scopes.
        "participation.integrations.authentication.IntegrationTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Closed by default: every API view states who may call it.
    "DEFAULT_PERMISSION_CLASSES": ["core.permissions.DenyAll"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON bounded in size and depth before parsing (core.parsers), and forms as DRF's.
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    # Every call counts against RATE_LIMITS["api"] (core.ratelimit), per account and address.
    "DEFAULT_THROTTLE_CLASSES": ["core.throttling.RateLimitThrottle"],
    # Lists paginate through core.listing (ListEndpoint); the schema is drf-spectacular's.
    "DEFAULT_SCHEMA_CLASS": "core.openapi.AgoraAutoSchema",
}

# The OpenAPI 3 schema of a town's API (/api/v1/schema/) and its Swagger UI (/api/v1/docs/),
# whose files come from drf-spectacular-sidecar as our own static files (no CDN).
SPECTACULAR_SETTINGS = {
    "TITLE": "Agora API",
    "DESCRIPTION": (
        "The participation API of one town: read what is public, and act as a resident "
        "(session or `Authorization: Token <key>`) through the same rules as the pages. "
        "Errors share one shape (`Error`); lists are paginated (`page`, `page_size`). "
        "See docs/api.md."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "PREPROCESSING_HOOKS": ["participation.api.town_endpoints"],
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
}

# The API's JSON bodies (core.parsers): no write of ours needs more.
API_JSON_MAX_BYTES = env.int("API_JSON_MAX_BYTES", default=256 * 1024)
API_JSON_MAX_DEPTH = env.int("API_JSON_MAX_DEPTH", default=32)

# Security headers (django.middleware.security and django-csp). A strict CSP: scripts from our
# own origin only (htmx and every script are static files), styles from our origin plus the
# request's nonce for any inline <style> (the theme's tokens are a stylesheet, /theme.css).
# Style *attributes* (bars of charts and polls, colour swatches) are allowed by
# style-src-attr: they cannot run code.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"


def _origin(url: str) -> list[str]:
    """scheme://host of a URL template such as https://{s}.tile.example/{z}/{x}/{y}.png; the
    {s} sub-domain placeholder becomes a wildcard."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}", "*"))
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:", *_origin(MAP_TILES_URL)],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "worker-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Pages that hold one person's data: never kept by a browser or a proxy (core.middleware).
PRIVATE_PATH_PREFIXES = ("/gestion/", "/compte/", "/mon-profil/", "/mes-donnees/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
