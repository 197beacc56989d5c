"""A module left out of the installed apps (AGORA_DISABLED_MODULES) leaves the project whole:
it starts, migrates a fresh database and serves the other modules, and nothing imports the
module that is gone. Each case runs in subprocesses of its own, on a database of its own."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import database_url_for

# Run in the subprocess once the database is migrated: fill a town through the registry (the
# demo), add a call for ideas with a proposal, and show the space pages and the proposal's
# back-office page (where the ideas module asks for votes to send proposals to).
SCRIPT = """
import sys

import django

django.setup()

from django.apps import apps
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.models import User
from participation import services
from participation.demo import demo_content_seed
from participation.ideas.backoffice import admin_url
from participation.ideas.models import Proposal
from participation.models import Space
from participation.registry import registry
from core.hosts import town_host
from tenants.models import Tenant
from tenants.services import platform_tenant_ensure, town_create

removed = sys.argv[1]
assert not apps.is_installed(f"participation.{removed}"), removed
assert removed not in registry, removed

platform_tenant_ensure()
town = town_create(
    slug="sans-module", name="Sans module", kind=Tenant.Kind.COMMUNE, population=1000,
    status=Tenant.Status.ACTIVE,
).tenant
with tenant_context(town):
    admin = User.objects.create_user("admin@sans-module.example", "x", role=User.Role.ADMIN)
    resident = User.objects.create_user(
        "habitant@sans-module.example", "x", email_verified_at=timezone.now()
    )
    demo_content_seed(admin=admin, residents=[resident])
    spaces = list(Space.objects.order_by("pk"))
    ideas = services.component_add(
        actor=admin, space=spaces[0], type_key="ideas", title="Vos idées"
    )
    proposal = Proposal.objects.create(
        component=ideas, author=resident, title="Un banc", description="Sur la place."
    )
    pages = {f"/espaces/{space.slug}/": space.components.all() for space in spaces}
    proposal_page = admin_url(ideas, "proposal", proposal.pk)

client = Client(HTTP_HOST=town_host(town.slug))
shown = []
for path, components in pages.items():
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    html = response.content.decode()
    for component in components:
        assert component.title in html, (path, component.title)
        shown.append(component.type_key)
with tenant_context(town):
    client.force_login(admin)
response = client.get(proposal_page)
assert response.status_code == 200, (proposal_page, response.status_code)
assert "Un banc" in response.content.decode()

leaked = sorted(
    name for name in sys.modules
    if name == f"participation.{removed}" or name.startswith(f"participation.{removed}.")
)
assert not leaked, f"imported although not installed: {leaked}"
print("served:", " ".join(sorted(set(shown))))
"""


def _admin_connection() -> psycopg.Connection:
    """A connection to the server's maintenance database, outside any test transaction."""
    params = connection.settings_dict
    return psycopg.connect(
        dbname="postgres",
        user=params["USER"],
        password=params["PASSWORD"] or None,
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        autocommit=True,
    )


@pytest.fixture
def fresh_database(request):
    """An empty database named after this run and case, dropped afterwards."""
    name = f"agora_without_{request.node.callspec.id}_{settings.TEST_RUN_ID}"
    with _admin_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with _admin_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=540,
    )
    assert done.returncode == 0, f"{args[0]} failed:\n{done.stdout}\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.mark.parametrize(
    ("removed", "served"),
    [
        (
            "budgets",
            {"councils", "documents", "elections", "ideas", "news", "polls", "questions"}
            | {"surveys", "volunteering"},
        ),
        (
            "polls",
            {"budgets", "councils", "documents", "elections", "ideas", "news", "questions"}
            | {"surveys", "volunteering"},
        ),
    ],
)
def test_a_module_left_out_leaves_the_project_whole(removed, served, fresh_database):
    run_id = f"{settings.TEST_RUN_ID}-without-{removed}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "AGORA_DISABLED_MODULES": removed,
        "AGORA_TEST_RUN_ID": run_id,
        "DATABASE_URL": database_url_for({**connection.settings_dict, "NAME": fresh_database}),
    }
    try:
        assert "no issues" in _run(["manage.py", "check"], env)
        _run(["manage.py", "migrate_schemas", "--noinput", "-v", "0"], env)
        output = _run(["-c", SCRIPT, removed], env)
    finally:
        shutil.rmtree(settings.BASE_DIR / "var" / "test-media" / run_id, ignore_errors=True)

    assert f"served: {' '.join(sorted(served))}" in output


def test_a_misspelt_module_to_leave_out_stops_the_start():
    env = {**os.environ, "AGORA_DISABLED_MODULES": "budget"}
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "AGORA_DISABLED_MODULES names no module: budget" in done.stderr
