"""Journeys in a real Chromium (Debian's package) against a real server thread.

The server runs in this process but on its own database connections, so it sees only what
is committed: browser tests get a town of their own, cloned once per session and dropped at
the end, instead of the transaction-wrapped towns of the other tests.
"""

from __future__ import annotations

import datetime
import os
import shutil
import tempfile

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.db import connection
from django.test.testcases import LiveServerThread
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context, tenant_context

from participation import services
from participation.news.services import news_post_publish
from participation.polls.services import poll_create
from participation.surveys.models import Question
from participation.surveys.services import question_add, section_add, survey_create
from tenants.models import Tenant
from tenants.services import town_create
from tests.participation.factories import AdminFactory

# Playwright's sync API keeps an event loop running in this thread; the ORM calls the tests
# make between browser steps are ordinary blocking ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

BROWSER_TOWN = "parcours"
ADMIN_EMAIL = "mairie@parcours.fr"
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
            town_drop(tenant)


def town_drop(tenant: Tenant) -> None:
    """Remove a town a browser test made: its schema and its record."""
    with schema_context(get_public_schema_name()):
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{tenant.schema_name}" CASCADE')
        Tenant.objects.filter(pk=tenant.pk).delete()


@pytest.fixture(scope="session")
def live_server_port(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
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


def log_in(chromium, town_url, email: str):
    """A new phone-sized browser context signed in as ``email`` (factories' password)."""
    from playwright.sync_api import expect

    from tests.factories import PASSWORD

    context = chromium.new_context(viewport={"width": 375, "height": 812}, locale="fr-FR")
    page = context.new_page()
    page.goto(town_url("/compte/connexion/"))
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("header")).to_contain_text("Se déconnecter")
    return context, page


def open_component(admin, space, type_key: str, title: str, phase: str):
    component = services.component_add(actor=admin, space=space, type_key=type_key, title=title)
    now = timezone.now()
    services.phase_add(
        actor=admin,
        component=component,
        kind=phase,
        starts_at=now - datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=30),
    )
    return component


@pytest.fixture(scope="session")
def consultation(browser_town, django_db_blocker):
    """A published consultation with an open survey, poll and news feed, made once."""
    with django_db_blocker.unblock(), tenant_context(browser_town):
        yield _consultation()
    connection.set_schema_to_public()


def _consultation() -> dict:
    admin = AdminFactory(email=ADMIN_EMAIL)
    space = services.space_create(
        actor=admin, kind="consultation", title="Place du marché", publish=True
    )
    survey = survey_create(
        actor=admin,
        component=open_component(admin, space, "surveys", "Questionnaire", "answer"),
        title="Votre avis sur la place",
    )
    section = section_add(actor=admin, survey=survey, title="Vos habitudes")
    question_add(
        actor=admin,
        section=section,
        kind=Question.Kind.SINGLE_CHOICE,
        label="Comment venez-vous au marché ?",
        required=True,
        options=["À pied", "À vélo", "En voiture"],
    )
    question_add(
        actor=admin,
        section=section,
        kind=Question.Kind.LONG_TEXT,
        label="Que faudrait-il changer ?",
    )
    poll_component = open_component(admin, space, "polls", "Sondage", "answer")
    poll = poll_create(
        actor=admin,
        component=poll_component,
        question="Faut-il piétonniser la place le samedi ?",
        kind="single",
        choices=["Oui", "Non"],
    )
    news = open_component(admin, space, "news", "Actualités", "publication")
    post = news_post_publish(
        actor=admin, component=news, title="Réunion publique jeudi", body="Salle des fêtes."
    )
    return {"admin": admin, "survey": survey, "poll": poll, "post": post, "space": space}


CONSOLE_STAFF_EMAIL = "accueil@agora.test"
CONSOLE_PLAN = "commune-parcours"


@pytest.fixture
def console_staff(live_server_port, django_db_blocker):
    """A committed vendor staff account with its TOTP device, and one plan on sale; removed
    afterwards with what the staff member did."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User
    from billing.models import Plan
    from console.models import AuditEntry
    from tests.factories import UserFactory

    with django_db_blocker.unblock(), schema_context(get_public_schema_name()):
        staff = UserFactory(email=CONSOLE_STAFF_EMAIL, role=User.Role.VENDOR_STAFF)
        device = TOTPDevice.objects.create(user=staff, name="Téléphone", confirmed=True)
        plan = Plan.objects.create(
            code=CONSOLE_PLAN, name="Commune (parcours)", annual_price_cents=1_500_000
        )
    yield device
    with django_db_blocker.unblock(), schema_context(get_public_schema_name()):
        AuditEntry.objects.filter(actor=staff).delete()
        plan.delete()
        device.delete()
        # Not staff.delete(): its cascade would look for API tokens, a table of town schemas.
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM accounts_user WHERE id = %s", [staff.pk])


def console_sign_in(page, port: int, device) -> None:
    """Sign in to the console as the device's owner: password, then the current TOTP code."""
    from tests.console.helpers import totp_now
    from tests.factories import PASSWORD

    page.goto(f"http://localhost:{port}/")
    page.get_by_label("Adresse e-mail").fill(device.user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_label("Code à 6 chiffres").fill(totp_now(device))
    page.get_by_role("button", name="Valider").click()
