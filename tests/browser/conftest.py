"""Journeys in a real Chromium (Debian's package) against a real server thread.

The server runs in this process but on its own database connections, so it sees only what
is committed: browser tests get a town of their own, cloned once per session and dropped at
the end, instead of the transaction-wrapped towns of the other tests.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest
from django.db import connection
from django.test.testcases import LiveServerThread, _StaticFilesHandler
from django_tenants.utils import get_public_schema_name, schema_context, tenant_context

from tenants.models import Tenant
from tenants.services import town_create

# Playwright's sync API keeps an event loop running in this thread; the ORM calls the tests
# make between browser steps are ordinary blocking ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

BROWSER_TOWN = "parcours"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_town(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        tenant = town_create(
            slug=BROWSER_TOWN,
            name="Ville du Parcours",
            kind=Tenant.Kind.COMMUNE,
            population=12_000,
            status=Tenant.Status.ACTIVE,
        ).tenant
        try:
            yield tenant
        finally:
            with schema_context(get_public_schema_name()):
                with connection.cursor() as cursor:
                    cursor.execute(f'DROP SCHEMA IF EXISTS "{tenant.schema_name}" CASCADE')
                Tenant.objects.filter(pk=tenant.pk).delete()


@pytest.fixture(scope="session")
def live_server_port(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        server = LiveServerThread("127.0.0.1", _StaticFilesHandler, port=0)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        yield server.port
        server.terminate()


@pytest.fixture(scope="session")
def town_url(browser_town, live_server_port):
    def url(path: str = "/") -> str:
        return f"http://{browser_town.slug}.localhost:{live_server_port}{path}"

    return url


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="agora-chromium-")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(chromium):
    """A fresh browser context (no cookies) on a 375-pixel-wide phone screen."""
    context = chromium.new_context(viewport={"width": 375, "height": 812}, locale="fr-FR")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def committed_town(browser_town, django_db_blocker):
    """Work in the browser town's schema, committed (the server thread must see it)."""
    with django_db_blocker.unblock(), tenant_context(browser_town):
        yield browser_town
    connection.set_schema_to_public()
