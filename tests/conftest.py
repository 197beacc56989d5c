"""One set of town schemas per test session; each test runs in a transaction on top of it.

Creating a schema per test made other projects' suites take hours (django-tenants #100): the
towns below are cloned once, after pytest-django has migrated the public and template schemas.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django.utils import translation
from django.utils.functional import empty
from django_tenants.utils import get_public_schema_name, tenant_context

from core.hosts import town_host
from tenants.models import Tenant
from tenants.services import platform_tenant_ensure, town_create

TOWN_A = "ville-a"
TOWN_B = "ville-b"


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """The test database, always (pytest-django makes it only when a collected test asks for
    ``db``; browser and worker tests do not), then the session's towns."""
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        databases = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        assert connection.settings_dict["NAME"].startswith("test_"), "not the test database"
        platform_tenant_ensure()
        for slug, name in ((TOWN_A, "Ville A"), (TOWN_B, "Ville B")):
            town_create(
                slug=slug,
                name=name,
                kind=Tenant.Kind.COMMUNE,
                population=20_000,
                status=Tenant.Status.ACTIVE,
            )
    yield
    with django_db_blocker.unblock():
        _disconnect_other_sessions()
        teardown_databases(databases, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


def _disconnect_other_sessions() -> None:
    """Server threads and worker processes may still hold a connection to the test database;
    PostgreSQL refuses to drop a database in use."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _public_schema_after_each_test():
    yield
    if connection.schema_name != get_public_schema_name():
        connection.set_schema_to_public()


@pytest.fixture
def town_a(db) -> Tenant:
    return Tenant.objects.get(slug=TOWN_A)


@pytest.fixture
def town_b(db) -> Tenant:
    return Tenant.objects.get(slug=TOWN_B)


@pytest.fixture
def platform(db) -> Tenant:
    return Tenant.objects.get(schema_name=get_public_schema_name())


def client_for(tenant: Tenant) -> Client:
    """A browser on the town's own host (or the console's host for the platform)."""

    host = settings.PLATFORM_DOMAIN if tenant.is_platform else town_host(tenant.slug)
    return Client(HTTP_HOST=host)


@pytest.fixture
def committed_db(django_db_setup, django_db_blocker):
    """Database access outside the test transaction, for what another process must see (a
    Celery worker, concurrent requests). The test removes what it wrote."""
    with django_db_blocker.unblock():
        yield
    connection.set_schema_to_public()


def database_url_for(settings_dict: dict) -> str:
    from urllib.parse import quote, urlencode

    query = {"host": settings_dict["HOST"]} if settings_dict["HOST"] else {}
    if settings_dict["PORT"]:
        query["port"] = settings_dict["PORT"]
    credentials = quote(settings_dict["USER"]) + (
        ":" + quote(settings_dict["PASSWORD"]) if settings_dict["PASSWORD"] else ""
    )
    return f"postgresql://{credentials}@/{settings_dict['NAME']}?{urlencode(query)}"


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    """A real Celery worker process on the real Redis broker, using the test database."""
    import os
    import subprocess
    import sys
    import time

    from config.celery import app
    from config.settings.celery import queue_names

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url_for(connection.settings_dict),
        "AGORA_TEST_RUN_ID": settings.TEST_RUN_ID,
    }
    worker_name = f"agora-test-{settings.TEST_RUN_ID}@localhost"
    queues = queue_names(settings.CELERY_QUEUE_PREFIX)
    with app.connection_for_write() as conn:
        for queue in queues:
            conn.default_channel.queue_purge(queue)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo",
         "--queues", ",".join(queues), "--hostname", worker_name,
         "--loglevel", "WARNING", "--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=settings.BASE_DIR,
        env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while not app.control.ping(destination=[worker_name], timeout=0.5):
        if worker.poll() is not None or time.monotonic() > deadline:
            worker.kill()
            pytest.fail("le worker Celery de test n'a pas démarré")
    yield worker
    worker.terminate()
    worker.wait(timeout=20)


@pytest.fixture
def real_worker(celery_worker_process, committed_db):
    """Tasks go through Redis to the worker process instead of running in-process."""
    from config.celery import app

    was_eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield celery_worker_process
    finally:
        app.conf.task_always_eager = was_eager


@pytest.fixture
def vendor_staff(platform):
    """A vendor staff account of the public schema with a confirmed TOTP device."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User
    from tests.factories import UserFactory

    user = UserFactory(email="equipe@agora.test", role=User.Role.VENDOR_STAFF)
    TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True)
    return user


def console_client_for(user) -> Client:
    """A browser on the console's host, signed in as ``user`` and verified by its TOTP device
    (what django_otp.login leaves in the session)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client(HTTP_HOST=settings.PLATFORM_DOMAIN)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


@pytest.fixture
def console_client(vendor_staff) -> Client:
    return console_client_for(vendor_staff)


@pytest.fixture
def extra_templates(settings, tmp_path):
    """Write templates for a test: ``extra_templates({"name.html": "text"})``. They are found
    before the project's, e.g. the template of a part that a test registers on a hook."""

    def write(templates: dict[str, str]) -> None:
        for name, text in templates.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        engine = settings.TEMPLATES[0]
        settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]]}]

    return write


def on_own_connection(function, *args):
    """Run function in a new thread with its own (autocommit) connection; return or raise."""
    outcome: dict[str, object] = {}

    def run():
        try:
            outcome["value"] = function(*args)
        except Exception as exc:  # re-raised in the caller's thread
            outcome["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


@pytest.fixture
def media_root(settings, tmp_path, monkeypatch) -> Path:
    """Each test stores its files in its own directory, so a run never leaves files behind nor
    sees another run's. django-tenants' storage caches MEDIA_ROOT/%s when first used and does
    not forget it when MEDIA_ROOT changes: the cached value is replaced for the test, and put
    back as it was (cached or not) afterwards."""
    if default_storage._wrapped is empty:
        default_storage._setup()
    monkeypatch.setitem(
        vars(default_storage._wrapped), "relative_media_root", os.path.join(tmp_path, "%s")
    )
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def stored_files(media_root: Path, schema: str) -> list[Path]:
    town_dir = media_root / schema
    return sorted(p for p in town_dir.rglob("*") if p.is_file()) if town_dir.exists() else []


@pytest.fixture
def page_cache(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 30
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def in_town_a(town_a):
    """Run the test in town A's schema (the connection's tenant is town A)."""
    with tenant_context(town_a):
        yield town_a


@pytest.fixture(autouse=True)
def language_of_the_site():
    """Each test starts in the site's language: a page requested in English leaves English
    active in the thread (LocaleMiddleware activates it), and a later test would read its
    messages in English."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [name])
        return cursor.fetchone() is not None


def towns_remove(slugs: list[str]) -> None:
    """Committed towns made by a test, gone again (not through the code under test)."""
    with connection.cursor() as cursor:
        for slug in slugs:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{slug.replace("-", "_")}" CASCADE')
    Tenant.objects.filter(slug__in=slugs).delete()


def run_concurrently(*calls: Callable[[], object]) -> list[object]:
    """Run each call in a thread of its own (with its own connection, so it commits), all
    released at once; their results (or exceptions) in the same order."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:  # asserted on by the caller
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results


@pytest.fixture
def rate_limits(settings):
    """Rate limits a test can reach (the test settings put them out of reach): ``limit("vote",
    account=(2, 60))`` sets one action's, ``lockout(account={...})`` the sign-in lock-out's.
    This run's counters are cleared before and after (they live in Redis, not in the test's
    transaction)."""
    from django_redis import get_redis_connection

    def clear() -> None:
        redis = get_redis_connection("default")
        prefix = settings.CACHES["default"]["KEY_PREFIX"]
        for key in redis.scan_iter(f"*:{prefix}:*:rl:*"):
            redis.delete(key)

    class Limits:
        @staticmethod
        def limit(action: str, **scopes: tuple[int, int]) -> None:
            settings.RATE_LIMITS = {**settings.RATE_LIMITS, action: scopes}

        @staticmethod
        def lockout(**scopes: dict) -> None:
            settings.SIGN_IN_LOCKOUT = {
                scope: {**settings.SIGN_IN_LOCKOUT[scope], **scopes.get(scope, {})}
                for scope in settings.SIGN_IN_LOCKOUT
            }

    clear()
    yield Limits
    clear()
