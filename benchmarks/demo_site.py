"""The demo installation served for the browser scripts (``lighthouse.py``, ``screenshots.py``):
``seed_demo``'s towns in a database of their own, gunicorn with ``DEBUG=False``, each town's
pages found in its data, and session cookies of its resident and its administrator.

Static files: in production nginx serves ``/static/`` (deploy/nginx/agora.conf); here a
generated urlconf puts Django's staticfiles view in front of the town's urlconf, so that no
nginx is needed and the product's urlconfs stay untouched.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.support import Gunicorn, bench_environment, get, say

ANONYMOUS, RESIDENT, ADMIN = "anonymous", "resident", "admin"

SETTINGS = """\
from config.settings.local import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "{urlconf}"
"""

URLCONF = """\
from django.contrib.staticfiles.views import serve
from django.urls import re_path

from config.urls_town import urlpatterns as town_urlpatterns


def static(request, path):
    return serve(request, path, insecure=True)


urlpatterns = [re_path(r"^static/(?P<path>.*)$", static), *town_urlpatterns]
"""


@dataclass(frozen=True)
class Page:
    name: str  # home, space, survey, ballot, results, dashboard
    path: str
    who: str  # ANONYMOUS, RESIDENT or ADMIN


@dataclass
class DemoTown:
    slug: str
    host: str
    pages: list[Page]
    cookies: dict[str, str] = field(default_factory=dict)  # who -> "sessionid=..."
    missing: list[str] = field(default_factory=list)  # pages the demo has nothing for

    def url(self, port: int, page: Page) -> str:
        return f"http://{self.host}:{port}{page.path}"


@dataclass
class DemoSite:
    port: int
    towns: list[DemoTown]


def _session_cookie(host: str, user) -> str:
    """A signed-in session of ``user`` (stored in the current town's schema), as the value of
    a Cookie header."""
    from django.conf import settings
    from django.test import Client

    client = Client(HTTP_HOST=host)
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


def _town_pages(demo, host: str) -> DemoTown:
    """Every page the scripts visit in one demo town, found in its data rather than assumed:
    the consultation space holding the survey, the survey its resident may answer, a budget
    its resident may vote in, results (a budget's once published, seen by anyone; else the
    survey's, which the town's administrator may see while it runs), the back office."""
    from django.urls import reverse

    from accounts.models import User
    from participation.budgets.models import Budget
    from participation.surveys.models import Survey

    resident = User.objects.get(email=demo.citizen_email)
    admin = User.objects.get(email=demo.admin_email)
    town = DemoTown(slug=demo.slug, host=host, pages=[Page("home", "/", ANONYMOUS)])

    survey = next(
        (
            candidate
            for candidate in Survey.objects.select_related("component__space").order_by("pk")
            if resident.has_perm("surveys.answer_survey", candidate)
        ),
        None,
    )
    if survey is None:
        town.missing += ["space", "survey"]
    else:
        component = survey.component
        town.pages.append(
            Page("space", reverse("participation:space", args=[component.space.slug]), ANONYMOUS)
        )
        survey_kwargs = {
            "space_slug": component.space.slug,
            "component_id": component.pk,
            "survey_id": survey.pk,
        }
        town.pages.append(Page("survey", reverse("surveys:survey", kwargs=survey_kwargs), RESIDENT))

    budgets = list(Budget.objects.select_related("component__space").order_by("pk"))
    ballot = next((b for b in budgets if resident.has_perm("budgets.vote_budget", b)), None)
    if ballot is None:
        town.missing.append("ballot")
    else:
        town.pages.append(
            Page("ballot", reverse("budgets:ballot", kwargs=_kwargs(ballot)), RESIDENT)
        )

    published = next((b for b in budgets if b.results_published_at is not None), None)
    if published is not None:
        path = reverse("budgets:results", kwargs=_kwargs(published))
        town.pages.append(Page("results", path, ANONYMOUS))
    elif survey is not None and admin.has_perm("surveys.view_survey_results", survey):
        town.pages.append(Page("results", reverse("surveys:results", kwargs=survey_kwargs), ADMIN))
    else:
        town.missing.append("results")

    town.pages.append(Page("dashboard", reverse("backoffice:dashboard"), ADMIN))
    town.cookies = {
        RESIDENT: _session_cookie(host, resident),
        ADMIN: _session_cookie(host, admin),
    }
    return town


def _kwargs(budget) -> dict:
    component = budget.component
    return {
        "space_slug": component.space.slug,
        "component_id": component.pk,
        "budget_id": budget.pk,
    }


@contextmanager
def demo_site(
    *, name: str, redis_db: int, slugs: list[str] | None = None, workers: int = 2
) -> Iterator[DemoSite]:
    """Seed the demo in the database ``agora_<name>`` (dropped at the end, as the benchmarks'
    are), serve it with gunicorn and yield its towns (``slugs``: all demo towns when None)."""
    from config.services import ServiceUnavailable, ensure

    try:
        urls = ensure()
    except ServiceUnavailable as exc:
        raise SystemExit(f"bench: {exc}") from exc
    workdir = Path(tempfile.mkdtemp(prefix=f"agora-{name}-"))
    module = name.replace("-", "_")
    (workdir / f"{module}_settings.py").write_text(SETTINGS.format(urlconf=f"{module}_urls"))
    (workdir / f"{module}_urls.py").write_text(URLCONF)
    with bench_environment(
        urls,
        settings_module=f"{module}_settings",
        database=f"agora_{module}",
        redis_db=redis_db,
        cache_prefix=f"agora-{name}",
        workdir=workdir,
    ) as environ:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection, connections
        from django_tenants.utils import tenant_context

        from core.hosts import town_host
        from onboarding.demo import DEMO_TOWNS
        from tenants.models import Tenant

        say(f"database {connection.settings_dict['NAME']}: migrate_schemas, seed_demo")
        call_command("migrate_schemas", interactive=False, verbosity=0)
        call_command("seed_demo", stdout=sys.stderr)
        towns = []
        for demo in DEMO_TOWNS:
            if slugs is not None and demo.slug not in slugs:
                continue
            tenant = Tenant.objects.get(slug=demo.slug)
            with tenant_context(tenant):
                towns.append(_town_pages(demo, town_host(demo.slug)))
        connection.set_schema_to_public()
        connections.close_all()
        if not towns:
            raise SystemExit(f"no demo town among {slugs}")

        server = Gunicorn(environ, options=["--workers", str(workers), "--worker-class", "sync"])
        try:
            server.wait_ready(towns[0].host)
            for town in towns:  # every page answers before a browser spends time on it
                for page in town.pages:
                    status = _status(server.port, town, page)
                    if status != 200:
                        raise RuntimeError(f"{town.host}{page.path} answered {status}")
            yield DemoSite(port=server.port, towns=towns)
        finally:
            server.stop()


def _status(port: int, town: DemoTown, page: Page) -> int:
    headers = {"Cookie": town.cookies[page.who]} if page.who in town.cookies else {}
    return get(port, town.host, page.path, headers=headers)[0]
