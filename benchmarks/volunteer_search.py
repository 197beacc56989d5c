"""Associations searching volunteers: skill + availability + neighbourhood through HTTP.

    .venv/bin/python benchmarks/volunteer_search.py [--profiles 20000] [--associations 500]
        [--requests 2000] [--clients 20] [--workers 2×CPU+1] [--worker-class sync|gthread]
        [--threads 4] [--timeout 300] [--profile 0]

Works in a database of its own, ``agora_bench_search``, on the server of DATABASE_URL (or the
embedded one of ``config.services``), created fresh and dropped at the end; its cache keys
live in Redis database 12 and are deleted at the end too (``benchmarks.support``).

One town with ten neighbourhoods, ``--associations`` validated associations and a published
volunteering hub; the managers of the first ``--clients`` associations hold an API token each
(searches go round them: each manager stays within the API's limit per account, as the
managers of many associations would). Volunteers are made in
two steps: 10 profiles, then the rest up to ``--profiles`` (skills, availability and
neighbourhoods spread deterministically). After each step, the number of SQL queries of one
search page is counted in-process (django.test.Client, middleware included): both the API
(``/api/v1/espaces/<space>/volunteering/<hub>/associations/<slug>/benevoles/?skill=...``) and
the HTML page (signed in). Goal: at most 15, and the same at 10 profiles as at the full count.

Then gunicorn (as ``deploy/gunicorn.conf.py`` runs it: 2 × CPU + 1 sync workers, unless
``--workers``) serves the real urlconf plus ``/__bare_search__``, a GET view reading 20 profile
ids in one query and answering them as JSON, through the same middleware (as
``benchmarks/vote_burst.py`` does with its bare insert). ``--clients`` keep-alive clients
(``benchmarks.load.burst``) send ``--requests`` bare GETs, then as many searches (every
combination of skill, availability and neighbourhood in turn, with the token), then the bare
GETs again: the search's throughput is reported as a ratio of the bare view's (its two bursts
together, so that a change of the machine's load weighs on both sides). Goal ≥ 40 %.
``--profile N`` first sends N API searches in-process under cProfile (SQL timed apart) and
prints where a search's time goes, beside the bare view's in-process time.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.load import Burst, burst, gunicorn_options  # noqa: E402
from benchmarks.request_profile import profile_count, profile_requests  # noqa: E402
from benchmarks.support import Gunicorn, bench_environment, say  # noqa: E402

BENCH_DATABASE = "agora_bench_search"
BENCH_REDIS_DB = 12
CACHE_PREFIX = "agora-bench-search"
TOWN_SLUG = "bench-search"
BARE_PATH = "/__bare_search__"
GOAL_RATIO = 0.40
MAX_QUERIES = 15
SMALL = 10
SETTINGS_MODULE = "bench_search_settings"
URLCONF_MODULE = "bench_search_urls"

BENCH_SETTINGS = f"""\
from config.settings.local import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "{URLCONF_MODULE}"
"""

# The real town urlconf plus the bare read.
BENCH_URLCONF = f"""\
from django.db import connection
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.http import require_GET

from config.urls_town import urlpatterns as town_urlpatterns


@require_GET
def bare_search(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM volunteering_volunteerprofile ORDER BY id LIMIT 20")
        ids = [row[0] for row in cursor.fetchall()]
    return JsonResponse({{"results": ids}})


urlpatterns = [
    path("{BARE_PATH.lstrip("/")}", bare_search, name="bench_bare_search"),
    *town_urlpatterns,
]
"""


@dataclass
class Town:
    host: str
    api_paths: list[str]  # one per searching association, without the query string
    page_path: str  # the first association's
    tokens: list[str]  # its manager's, one per association
    manager_id: int  # the first association's
    neighbourhood_ids: list[int]

    @property
    def api_path(self) -> str:
        return self.api_paths[0]

    @property
    def token(self) -> str:
        return self.tokens[0]


def make_volunteers(start: int, count: int, neighbourhood_ids: list[int], now) -> None:
    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from participation.models import Profile
    from participation.volunteering.models import AVAILABILITY_CHOICES, Skill, VolunteerProfile

    skills = Skill.values
    slots = [value for value, _label in AVAILABILITY_CHOICES]
    password = make_password("volunteer-search")
    for offset in range(start, start + count, 5000):
        size = min(5000, start + count - offset)
        users = User.objects.bulk_create(
            User(
                email=f"benevole{n}@exemple.fr",
                display_name=f"Bénévole {n}",
                password=password,
                email_verified_at=now,
            )
            for n in range(offset, offset + size)
        )
        Profile.objects.bulk_create(
            Profile(user=user, charter_accepted_at=now, phone="06 00 00 00 00") for user in users
        )
        profiles = VolunteerProfile.objects.bulk_create(
            VolunteerProfile(
                user=user,
                skills=[skills[n % len(skills)], skills[(n * 7 + 3) % len(skills)]],
                availability=[slots[(n * k) % len(slots)] for k in (1, 5, 11)],
                bio=f"Bénévole n° {n}, disponible pour donner un coup de main.",
                # what the m2m_changed signal keeps for the join rows below (bulk_create
                # sends none)
                neighbourhood_ids=[neighbourhood_ids[n % len(neighbourhood_ids)]],
            )
            for n, user in zip(range(offset, offset + size), users, strict=True)
        )
        through = VolunteerProfile.neighbourhoods.through
        through.objects.bulk_create(
            through(
                volunteerprofile_id=profile.pk,
                neighbourhood_id=neighbourhood_ids[n % len(neighbourhood_ids)],
            )
            for n, profile in zip(range(offset, offset + size), profiles, strict=True)
        )


def prepare(args) -> tuple[Town, object]:
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from accounts.models import User
    from accounts.services import api_token_create
    from core.hosts import town_host
    from participation.models import Component, Neighbourhood, Profile, Space
    from participation.volunteering.models import Association, Membership
    from tenants.models import Tenant
    from tenants.services import town_create

    created = town_create(
        slug=TOWN_SLUG,
        name="Commune de banc d'essai (bénévolat)",
        kind=Tenant.Kind.COMMUNE,
        population=50_000,
        status=Tenant.Status.ACTIVE,
    )
    with tenant_context(created.tenant):
        now = timezone.now()
        neighbourhoods = Neighbourhood.objects.bulk_create(
            Neighbourhood(name=f"Quartier {n}", slug=f"quartier-{n}", position=n) for n in range(10)
        )
        space = Space.objects.create(
            kind=Space.Kind.VOLUNTEERING_HUB,
            title="Bénévolat",
            slug="benevolat",
            status=Space.Status.PUBLISHED,
            published_at=now,
        )
        hub = Component.objects.create(space=space, type_key="volunteering", title="Bénévolat")
        associations = Association.objects.bulk_create(
            Association(
                name=f"Association {n}",
                slug=f"association-{n}",
                description="Une association de la ville.",
                categories=["solidarite"],
                status=Association.Status.VALIDATED,
                validated_at=now,
            )
            for n in range(args.associations)
        )
        # One searching association per client: each manager's calls stay within the API's
        # limit per account (RATE_LIMITS["api"]), as many associations' would.
        managers, keys = [], []
        for n, association in enumerate(associations[: args.clients]):
            manager = User.objects.create_user(
                email=f"responsable{n}@exemple.fr",
                password="volunteer-search",
                display_name=f"Responsable {n}",
                email_verified_at=now,
            )
            Profile.objects.create(user=manager, charter_accepted_at=now)
            Membership.objects.create(association=association, user=manager, role="manager")
            managers.append(manager)
            keys.append(api_token_create(user=manager)[1])
        ids = [n.pk for n in neighbourhoods]
        hub_path = f"espaces/{space.slug}/volunteering/{hub.pk}/associations"
        town = Town(
            host=town_host(TOWN_SLUG),
            api_paths=[
                f"/api/v1/{hub_path}/{association.slug}/benevoles/"
                for association in associations[: args.clients]
            ],
            page_path=f"/{hub_path}/{associations[0].slug}/benevoles/",
            tokens=keys,
            manager_id=managers[0].pk,
            neighbourhood_ids=ids,
        )
    return town, created.tenant


def queries_per_search(town: Town, tenant) -> dict[str, int]:
    """SQL queries of one search page, API and HTML (after one warm-up request each)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_tenants.utils import tenant_context

    from accounts.models import User
    from participation.volunteering.models import AVAILABILITY_CHOICES, Skill

    # What the first volunteer made offers: the page is never empty (an empty page skips
    # the queries of its rows, and would flatter the count).
    query = (
        f"?skill={Skill.values[0]}&availability={AVAILABILITY_CHOICES[0][0]}"
        f"&neighbourhood={town.neighbourhood_ids[0]}"
    )
    api = Client(HTTP_HOST=town.host, HTTP_AUTHORIZATION=f"Token {town.token}")
    page = Client(HTTP_HOST=town.host)
    with tenant_context(tenant):
        page.force_login(User.objects.get(pk=town.manager_id))
    counts = {}
    for name, client, path in (("api", api, town.api_path), ("page", page, town.page_path)):
        client.get(path + query)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path + query)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path}{query} answered {response.status_code}")
        if b"@exemple.fr" in response.content or b"06 00 00 00 00" in response.content:
            raise RuntimeError(f"GET {path}{query} shows a volunteer's e-mail or phone")
        if b"B\xc3\xa9n\xc3\xa9vole n" not in response.content:
            raise RuntimeError(f"GET {path}{query} found nobody")
        counts[name] = len(captured)
    connection.set_schema_to_public()
    return counts


def profile_searches(town: Town, count: int) -> str:
    """``count`` API searches in-process beside the bare view, then under cProfile
    (``benchmarks.request_profile``)."""
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST=town.host)
    paths, tokens = search_paths(town, count)
    profile = profile_requests(
        "search",
        lambda index: (
            client.get(paths[index], HTTP_AUTHORIZATION=f"Token {tokens[index]}").status_code
        ),
        count,
        lambda: client.get(BARE_PATH).status_code,
    )
    connection.set_schema_to_public()
    return profile.text


def search_paths(town: Town, count: int) -> tuple[list[str], list[str]]:
    """(paths, tokens): search n by association n modulo their number, with its manager's
    token, through every combination of the criteria in turn."""
    from participation.volunteering.models import AVAILABILITY_CHOICES, Skill

    combos = [
        f"?skill={skill}&availability={slot}&neighbourhood={neighbourhood}"
        for skill in Skill.values
        for slot, _label in AVAILABILITY_CHOICES
        for neighbourhood in town.neighbourhood_ids
    ]
    searchers = len(town.api_paths)
    paths = [town.api_paths[n % searchers] + combos[(n * 37) % len(combos)] for n in range(count)]
    return paths, [town.tokens[n % searchers] for n in range(count)]


def run(args, environ: dict[str, str]) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from tenants.services import platform_tenant_ensure

    started = time.perf_counter()
    say("migrate_schemas, town, associations")
    call_command("migrate_schemas", interactive=False, verbosity=0)
    platform_tenant_ensure()
    town, tenant = prepare(args)
    with tenant_context(tenant):
        make_volunteers(0, SMALL, town.neighbourhood_ids, timezone.now())
    small = queries_per_search(town, tenant)
    say(f"{SMALL} profiles: queries per search {small}")
    setup = time.perf_counter()
    with tenant_context(tenant):
        make_volunteers(SMALL, args.profiles - SMALL, town.neighbourhood_ids, timezone.now())
    say(f"{args.profiles} profiles made in {time.perf_counter() - setup:.1f} s")
    with connections["default"].cursor() as cursor:
        cursor.execute("ANALYZE")
    large = queries_per_search(town, tenant)
    say(f"{args.profiles} profiles: queries per search {large}")
    profile = profile_searches(town, args.profile) if args.profile else ""
    connections.close_all()

    paths, tokens = search_paths(town, args.requests)
    bodies = [b""] * args.requests
    server = Gunicorn(environ, options=gunicorn_options(args))
    common = {"clients": args.clients, "timeout": args.timeout, "method": "GET"}
    try:
        server.wait_ready(town.host)
        warm_count = 4 * args.clients
        burst("warm-up bare", server.port, town.host, BARE_PATH, bodies[:warm_count],
              tokens[:warm_count], **common)  # fmt: skip
        burst("warm-up search", server.port, town.host, "", bodies[:warm_count],
              tokens[:warm_count], paths=paths[:warm_count], **common)  # fmt: skip
        bare_before = burst("bare before", server.port, town.host, BARE_PATH, bodies, tokens,
                            **common)  # fmt: skip
        say(f"bare (before): {bare_before.rps:.0f} req/s")
        searches = burst("search", server.port, town.host, "", bodies, tokens, paths=paths,
                         **common)  # fmt: skip
        say(f"search: {searches.rps:.0f} req/s, {len(searches.errors)} errors")
        bare_after = burst("bare after", server.port, town.host, BARE_PATH, bodies, tokens,
                           **common)  # fmt: skip
        say(f"bare (after): {bare_after.rps:.0f} req/s")
    finally:
        server.stop()
    problems = []
    for name, counts in ((f"{SMALL} profiles", small), (f"{args.profiles} profiles", large)):
        for kind, count in counts.items():
            if count > MAX_QUERIES:
                problems.append(f"{kind} search with {name}: {count} queries > {MAX_QUERIES}")
    if small != large:
        problems.append(f"queries per search differ: {small} at {SMALL}, {large} at full size")
    if searches.answered < args.requests:
        problems.append(f"only {searches.answered} of {args.requests} searches answered")
    if searches.errors or bare_before.errors or bare_after.errors:
        problems.append("requests failed")
    return {
        "small": small,
        "large": large,
        "searches": searches,
        "bare_runs": [bare_before, bare_after],
        "bare": Burst.combine("bare (both)", [bare_before, bare_after]),
        "problems": problems,
        "profile": profile,
        "seconds": time.perf_counter() - started,
    }


def report(results: dict, args, load_before: str, load_after: str) -> bool:
    searches, bare = results["searches"], results["bare"]
    server = f"gunicorn {args.workers} {args.worker_class} workers"
    if args.worker_class == "gthread":
        server += f" x {args.threads} threads"
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"\nAgora volunteer search — {when}, {platform.node()}, ", end="")
    print(f"{os.cpu_count()} CPU, Python {platform.python_version()}")
    print(f"{args.profiles} volunteer profiles, {args.associations} associations, 10 quarters")
    print(f"{server}, DEBUG=False, 127.0.0.1; {args.clients} client threads, token auth")
    print(f"load average before: {load_before}; after: {load_after}")
    print(
        f"SQL queries per search page (api, page): {SMALL} profiles "
        f"{results['small']['api']}, {results['small']['page']}; {args.profiles} profiles "
        f"{results['large']['api']}, {results['large']['page']} (goal ≤ {MAX_QUERIES}, same)"
    )
    header = (
        f"{'endpoint':<16} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7}"
    )
    print(header)
    print("-" * len(header))
    for name, measure in (
        ("search", searches),
        *((b.name, b) for b in results["bare_runs"]),
        ("bare (both)", bare),
    ):
        print(
            f"{name:<16} {measure.answered:>8} {len(measure.errors):>6} {measure.rps:>7.1f} "
            f"{measure.latency(0.5) * 1000:>7.1f} {measure.latency(0.95) * 1000:>7.1f}"
        )
    ratio = searches.rps / bare.rps if bare.rps else 0.0
    verdict = "met" if ratio >= GOAL_RATIO else "MISSED"
    print(f"throughput ratio search / bare read: {ratio:.0%} (goal ≥ {GOAL_RATIO:.0%}: {verdict})")
    for index, status, body in searches.errors[:10]:
        print(f"  error: search {index} → {status}: {body[:300]}")
    for problem in results["problems"]:
        print(f"  CHECK FAILED: {problem}")
    if results["profile"]:
        print(results["profile"])
    print(f"total {results['seconds']:.0f} s")
    return not results["problems"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profiles", type=int, default=20_000, help="volunteer profiles")
    parser.add_argument("--associations", type=int, default=500, help="associations")
    parser.add_argument("--requests", type=int, default=2000, help="searches (and bare reads)")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients")
    parser.add_argument(
        "--workers",
        type=int,
        default=(os.cpu_count() or 1) * 2 + 1,
        help="gunicorn workers (default: deploy/gunicorn.conf.py's 2 × CPU + 1)",
    )
    parser.add_argument("--worker-class", choices=("sync", "gthread"), default="sync")
    parser.add_argument("--threads", type=int, default=4, help="threads a gthread worker")
    parser.add_argument("--timeout", type=float, default=300, help="seconds a burst at most")
    parser.add_argument(
        "--profile", type=profile_count, default=0, help="searches to profile in-process first"
    )
    args = parser.parse_args()
    if args.profiles <= SMALL or args.associations < 1:
        parser.error(f"more than {SMALL} profiles and at least one association")
    if min(args.requests, args.clients, args.workers, args.threads) < 1 or args.timeout <= 0:
        parser.error("requests, clients, workers, threads and timeout must be positive")

    from config.services import ServiceUnavailable, ensure

    try:
        urls = ensure()
    except ServiceUnavailable as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 3

    workdir = Path(tempfile.mkdtemp(prefix="agora-bench-search-"))
    (workdir / f"{SETTINGS_MODULE}.py").write_text(BENCH_SETTINGS)
    (workdir / f"{URLCONF_MODULE}.py").write_text(BENCH_URLCONF)
    load_before = " ".join(f"{value:.2f}" for value in os.getloadavg())
    with bench_environment(
        urls,
        settings_module=SETTINGS_MODULE,
        database=BENCH_DATABASE,
        redis_db=BENCH_REDIS_DB,
        cache_prefix=CACHE_PREFIX,
        workdir=workdir,
    ) as environ:
        results = run(args, environ)
    load_after = " ".join(f"{value:.2f}" for value in os.getloadavg())
    return 0 if report(results, args, load_before, load_after) else 1


if __name__ == "__main__":
    sys.exit(main())
