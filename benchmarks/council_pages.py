"""Latency and SQL queries of a large neighbourhood council's pages, in process.

    .venv/bin/python benchmarks/council_pages.py [--requests 200]

Works in a database of its own, ``agora_bench_councils``, on the server of DATABASE_URL (or
the embedded one of ``config.services``), created fresh and dropped at the end, even on
failure or Ctrl-C; its cache keys live in Redis database 14 and are deleted at the end too.

It creates one town with a published council space: 40 members (30 with an account), 60
meetings (30 held, each with its PDF minutes and an attendance of 30 members; 30 to come), 30
shops on the map and a news component; then a second council of 3 members, 2 meetings and
1 shop, to compare query counts. Each page is asked ``--requests`` times through Django's test
client (middleware included, DEBUG off, the anonymous page cache off): median and 95th
percentile of the whole request in milliseconds, and the queries of one request (large
council vs small). No network and no server: what the page itself costs.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.support import bench_environment, percentile, say  # noqa: E402

BENCH_DATABASE = "agora_bench_councils"
BENCH_REDIS_DB = 14
CACHE_PREFIX = "agora-bench-councils"
TOWN_SLUG = "bench-conseils"
SETTINGS_MODULE = "bench_councils_settings"
BENCH_SETTINGS = """\
from config.settings.local import *  # noqa: F403

DEBUG = False
PUBLIC_PAGE_CACHE_SECONDS = 0
"""


def seed_council(admin, *, slug: str, members: int, accounts: int, meetings: int, shops: int):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from accounts.models import User
    from core.pdf import minimal_pdf
    from participation import services as engine
    from participation.councils import services
    from participation.councils.models import CouncilMember
    from participation.models import Official

    space = engine.space_create(
        actor=admin, kind="neighbourhood_council", title=f"Conseil {slug}", publish=True
    )
    council = engine.component_add(actor=admin, space=space, type_key="councils", title="Conseil")
    engine.component_add(actor=admin, space=space, type_key="news", title="Actualités")
    official = Official.objects.create(name=f"Élu {slug}", title="Adjoint au maire")
    joined = timezone.localdate() - datetime.timedelta(days=400)
    seat = {"actor": admin, "component": council, "joined_on": joined}
    services.member_add(**seat, role=CouncilMember.Role.PRESIDENT, name="Présidente")
    services.member_add(**seat, role=CouncilMember.Role.REFERENT, official=official)
    seated = []
    for n in range(members - 2):
        if n < accounts:
            account = User.objects.create_user(
                f"membre{n}@{slug}.test", None, display_name=f"Membre {n}"
            )
            seated.append(
                services.member_add(**seat, role=CouncilMember.Role.RESIDENT, account=account)
            )
        else:
            seated.append(
                services.member_add(**seat, role=CouncilMember.Role.RESIDENT, name=f"Nom {n}")
            )
    now = timezone.now()
    held = None
    for n in range(meetings):
        days = (n // 2 + 1) * (1 if n % 2 else -1) * 7
        starts = now + datetime.timedelta(days=days)
        meeting = services.meeting_schedule(
            actor=admin,
            component=council,
            title=f"Séance {n}",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            place="Salle des fêtes",
            agenda="1. Travaux\n2. Fête de quartier",
        )
        if days < 0:
            held = meeting
            pdf = SimpleUploadedFile("cr.pdf", minimal_pdf([f"Seance {n}"]))
            services.meeting_publish_minutes(actor=admin, meeting=meeting, file=pdf)
            services.meeting_record_attendance(
                actor=admin,
                meeting=meeting,
                present=[member.pk for member in seated[:30]],
                public_attendance=12,
            )
    for n in range(shops):
        services.shop_add(
            actor=admin,
            component=council,
            name=f"Commerce {n}",
            address=f"{n} rue du Marché",
            description="Un commerce du quartier.",
            opening_hours={"tue": "9h-12h30, 14h30-19h", "sat": "9h-19h"},
            latitude=f"48.77{n:02d}",
            longitude=f"2.03{n:02d}",
        )
    return council, held


def paths(council, meeting) -> dict[str, str]:
    base = f"/espaces/{council.space.slug}/councils/{council.pk}/"
    api = f"/api/v1/espaces/{council.space.slug}/councils/{council.pk}/"
    return {
        "council page": base,
        "meetings": f"{base}reunions/",
        "meeting": f"{base}reunions/{meeting.pk}/",
        "calendar (.ics)": f"{base}reunions.ics",
        "shops (GeoJSON)": f"{base}commerces.geojson",
        "API council": api,
        "API meetings": f"{api}reunions/",
        "API shops": f"{api}commerces/",
    }


def measure(client, path: str, requests: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm-up
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    # Read now: the captured list is a window on the connection's log, reset by each request.
    count = len(queries)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), percentile(times, 0.95), count


def run(requests: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django_tenants.utils import tenant_context

    from accounts.models import User
    from core.hosts import town_host
    from tenants.models import Tenant
    from tenants.services import platform_tenant_ensure, town_create

    say(f"database {connection.settings_dict['NAME']}: migrate_schemas, seeding")
    call_command("migrate_schemas", interactive=False, verbosity=0)
    platform_tenant_ensure()
    tenant = town_create(
        slug=TOWN_SLUG,
        name="Commune de banc d'essai",
        kind=Tenant.Kind.COMMUNE,
        population=12_000,
        status=Tenant.Status.ACTIVE,
    ).tenant
    with tenant_context(tenant):
        admin = User.objects.create_user(
            "admin@bench.test", None, display_name="Mairie", role=User.Role.ADMIN
        )
        big = seed_council(admin, slug="grand", members=40, accounts=30, meetings=60, shops=30)
        small = seed_council(admin, slug="petit", members=3, accounts=1, meetings=2, shops=1)
    connection.set_schema_to_public()
    client = Client(HTTP_HOST=town_host(TOWN_SLUG))
    small_counts = {name: measure(client, path, 1)[2] for name, path in paths(*small).items()}
    say(f"{requests} requests a page, load before: {os.getloadavg()[0]:.2f}")
    print(f"{'page':<18} {'median ms':>10} {'p95 ms':>8} {'queries (40/60/30 vs 3/2/1)':>30}")
    for name, path in paths(*big).items():
        median, p95, count = measure(client, path, requests)
        print(f"{name:<18} {median:>10.1f} {p95:>8.1f} {count:>22} vs {small_counts[name]}")
    connection.set_schema_to_public()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per page")
    args = parser.parse_args()
    from config.services import ServiceUnavailable, ensure

    try:
        urls = ensure()
    except ServiceUnavailable as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 3
    workdir = Path(tempfile.mkdtemp(prefix="agora-bench-councils-"))
    (workdir / f"{SETTINGS_MODULE}.py").write_text(BENCH_SETTINGS)
    with tempfile.TemporaryDirectory(prefix="agora-bench-councils-media-") as media:
        os.environ["MEDIA_ROOT"] = media
        with bench_environment(
            urls,
            settings_module=SETTINGS_MODULE,
            database=BENCH_DATABASE,
            redis_db=BENCH_REDIS_DB,
            cache_prefix=CACHE_PREFIX,
            workdir=workdir,
        ):
            run(args.requests)
    return 0


if __name__ == "__main__":
    sys.exit(main())
