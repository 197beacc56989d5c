"""django-tenants: which apps live in the public schema and which in each town's schema."""

from django.core.exceptions import ImproperlyConfigured

from .env import BASE_DIR, env

# Every participatory module is a package participation/<module>/ with its own apps.py: found
# here, so that adding a module touches nothing outside its package. An installation may leave
# some out (AGORA_DISABLED_MODULES=budgets,polls): the others do not import them.
_FOUND_MODULES = {
    apps_file.parent.name for apps_file in (BASE_DIR / "participation").glob("*/apps.py")
}
DISABLED_MODULES = set(env.list("AGORA_DISABLED_MODULES", default=[]))
if DISABLED_MODULES - _FOUND_MODULES:
    raise ImproperlyConfigured(
        "AGORA_DISABLED_MODULES names no module: "
        + ", ".join(sorted(DISABLED_MODULES - _FOUND_MODULES))
    )
PARTICIPATION_MODULES = sorted(
    f"participation.{name}" for name in _FOUND_MODULES - DISABLED_MODULES
)

SHARED_APPS = [
    "django_tenants",
    "core",
    "tenants",
    "console",
    "onboarding",
    "onboarding.training",
    # The template library towns share (network/library, docs/library.md).
    "network.library",
    "billing",
    "network",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    # The API's OpenAPI schema, and Swagger UI's files served as our own static files.
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rules.apps.AutodiscoverRulesConfig",
    # Vendor staff accounts: the same model as citizens', in the public schema's own table.
    "accounts",
    # Second factor of the vendor staff (public-schema accounts only).
    "django_otp",
    "django_otp.plugins.otp_totp",
]

TENANT_APPS = [
    # Each town is the data controller of its residents: their accounts, sessions and API
    # tokens (accounts.ApiToken) live in its schema, so nothing of town A can be found from B.
    "accounts",
    "django.contrib.sessions",
    # The second factor of the town's staff (participation.team.otp).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "theming",
    "participation",
    *PARTICIPATION_MODULES,
]

INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Tenant"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]

# New towns are cloned from this schema, kept migrated by `migrate_schemas`.
TENANT_BASE_SCHEMA = "agora_template"
TENANT_CREATION_FAKES_MIGRATIONS = True
TENANT_SUBFOLDER_PREFIX = None
GET_EXECUTOR_FUNCTION = "tenants.migration.get_executor"
# One `SET search_path` per connection and schema switch, not one before every query.
TENANT_LIMIT_SET_CALLS = True
TENANT_MULTIPROCESSING_MAX_PROCESSES = 4
TENANT_MULTIPROCESSING_CHUNKS = 4

# Media files under a per-town prefix: MEDIA_ROOT/<schema>/...
MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"
