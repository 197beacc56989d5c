"""How Agora behaves as the number of towns grows.

    .venv/bin/python benchmarks/tenant_scale.py [--towns 500] [--requests 300]

Works in a database of its own, ``agora_bench``, on the server of DATABASE_URL (or the embedded
one of ``config.services``), created fresh and dropped at the end, even on failure or Ctrl-C.
Measures:

a. creating one town by cloning the template schema (cold: no spare schema) vs by running the
   migrations, and with a warm pool (a spare schema renamed: tenants.spares; the pool refilled
   with one spare before each measured creation, outside the timing), at 3 and at N towns;
b. creating the 1st, the 100th, the Nth town by clone, and the median of all;
c. GET / of a town through gunicorn (2 workers, 127.0.0.1) with 3 towns and with N towns;
d. ``migrate_schemas`` with N up-to-date towns (the skipping executor).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.support import (  # noqa: E402
    Gunicorn,
    bench_environment,
    get,
    percentile,
)

BENCH_DATABASE = "agora_bench"
BENCH_REDIS_DB = 13
SLUG_PREFIX = "bench"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def measure_requests(port: int, hosts: list[str], *, count: int, warmup: int) -> list[float]:
    for i in range(warmup):
        get(port, hosts[i % len(hosts)])
    timings = []
    for i in range(count):
        status, elapsed = get(port, hosts[i % len(hosts)])
        if status != 200:
            raise RuntimeError(f"GET / on {hosts[i % len(hosts)]} answered {status}")
        timings.append(elapsed)
    return timings


# --- the benchmark -------------------------------------------------------------------------


def slug(number: int) -> str:
    return f"{SLUG_PREFIX}-{number:04d}"


def create_by_clone(number: int) -> float:
    from tenants.models import Tenant
    from tenants.services import town_create

    started = time.perf_counter()
    town_create(
        slug=slug(number),
        name=f"Commune de test {number}",
        kind=Tenant.Kind.COMMUNE,
        population=1000 + number,
    )
    return time.perf_counter() - started


def create_warm(name: str) -> tuple[float, float]:
    """(refill of one spare, creation that takes it): the town is then dropped again."""
    from tenants.models import SpareSchema, Tenant
    from tenants.services import spare_schemas_refill, town_create

    started = time.perf_counter()
    spare_schemas_refill(1)
    refilled = time.perf_counter() - started
    started = time.perf_counter()
    town_create(slug=name, name=name, kind=Tenant.Kind.COMMUNE, population=1000)
    created = time.perf_counter() - started
    if SpareSchema.objects.exists():
        raise RuntimeError("the warm creation did not take the spare")
    drop_town(name)
    return refilled, created


def create_by_migrations(name: str) -> float:
    """What django-tenants does without a base schema: a row, CREATE SCHEMA, every migration."""
    from django.core.management import call_command
    from django.db import connection
    from django_tenants.utils import schema_context

    from core.hosts import town_host
    from tenants.models import Domain, Tenant

    started = time.perf_counter()
    with schema_context("public"):
        tenant = Tenant.objects.create(
            schema_name=name.replace("-", "_"), slug=name, name=name, kind=Tenant.Kind.COMMUNE
        )
        Domain.objects.create(domain=town_host(name), tenant=tenant, is_primary=True)
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{tenant.schema_name}"')
    call_command(
        "migrate_schemas",
        tenant=True,
        schema_name=tenant.schema_name,
        interactive=False,
        verbosity=0,
    )
    return time.perf_counter() - started


def drop_town(name: str) -> None:
    from django.db import connection
    from django_tenants.utils import schema_context

    from tenants.models import Tenant

    with schema_context("public"):
        tenant = Tenant.objects.get(slug=name)
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA "{tenant.schema_name}" CASCADE')
        tenant.domains.all().delete()
        tenant.delete()


def run(args, environ: dict[str, str]) -> list[tuple[str, str]]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from core.hosts import town_host
    from tenants.services import platform_tenant_ensure

    rows: list[tuple[str, str]] = []
    note = rows.append

    def say(message: str) -> None:
        print(f"[bench] {message}", file=sys.stderr, flush=True)

    say(f"database {connection.settings_dict['NAME']}: migrate_schemas (public + template)")
    started = time.perf_counter()
    call_command("migrate_schemas", interactive=False, verbosity=0)
    note(("migrate_schemas, empty database (public + template)", ms(time.perf_counter() - started)))
    platform_tenant_ensure()

    # a. + b. (start): the first towns by clone, then towns by migrations, at ~0 towns.
    clone_times: list[float] = []
    for number in range(1, 4):
        clone_times.append(create_by_clone(number))
    migrate_times = []
    for i in range(3):
        migrate_times.append(create_by_migrations(f"migrated-{i}"))
        drop_town(f"migrated-{i}")
    clone_small, migrate_small = statistics.median(clone_times), statistics.median(migrate_times)
    note(("(a) create 1 town by clone, median of 3 (3 towns)", ms(clone_small)))
    note(("(a) create 1 town by migrations, median of 3", ms(migrate_small)))
    note(("(a) migrations / clone", f"{migrate_small / clone_small:8.1f} x"))
    warm_small = [create_warm(f"warm-{i}") for i in range(3)]
    warm_small_median = statistics.median(created for _refill, created in warm_small)
    note(("(a) create 1 town, warm pool, median of 3 (3 towns)", ms(warm_small_median)))
    note(("(a) migrations / warm pool", f"{migrate_small / warm_small_median:8.1f} x"))

    server = Gunicorn(environ, options=["--workers", "2"])
    try:
        server.wait_ready(town_host(slug(1)))
        say(f"gunicorn on 127.0.0.1:{server.port}: {args.requests} requests with 3 towns")
        few_hosts = [town_host(slug(n)) for n in range(1, 4)]
        few = measure_requests(server.port, few_hosts, count=args.requests, warmup=30)

        say(f"creating towns 4..{args.towns} by clone")
        for number in range(4, args.towns + 1):
            clone_times.append(create_by_clone(number))
            if number % 50 == 0:
                say(f"  {number} towns, last one in {ms(clone_times[-1]).strip()}")

        say(f"{args.requests} requests with {args.towns} towns")
        many = measure_requests(server.port, few_hosts, count=args.requests, warmup=30)
        rng = random.Random(42)
        spread_hosts = [
            town_host(slug(n))
            for n in rng.sample(range(1, args.towns + 1), min(args.requests, args.towns))
        ]
        for host in spread_hosts:  # one warm-up request per town (its theme into the cache)
            get(server.port, host)
        spread = measure_requests(server.port, spread_hosts, count=args.requests, warmup=0)
    finally:
        server.stop()

    note(("(b) create town #1 by clone (1 town before)", ms(clone_times[0])))
    for number in (100, args.towns):
        if number <= len(clone_times):
            note((f"(b) create town #{number} by clone", ms(clone_times[number - 1])))
    note(
        (
            f"(b) create by clone, median of all {len(clone_times)}",
            ms(statistics.median(clone_times)),
        )
    )
    note((f"(b) create by clone, slowest of all {len(clone_times)}", ms(max(clone_times))))

    migrate_many = create_by_migrations("migrated-late")
    drop_town("migrated-late")
    note((f"(a) create 1 town by migrations ({args.towns} towns)", ms(migrate_many)))
    clone_late = statistics.median(clone_times[-10:])
    note(("(a) create 1 town by clone, median of last 10", ms(clone_late)))
    note((f"(a) migrations / clone at {args.towns} towns", f"{migrate_many / clone_late:8.1f} x"))
    say(f"10 creations with a warm pool at {args.towns} towns")
    warm_many = [create_warm(f"warm-late-{i}") for i in range(10)]
    warm_late = statistics.median(created for _refill, created in warm_many)
    note((f"(a) create 1 town, warm pool, median of 10 ({args.towns} towns)", ms(warm_late)))
    note((f"(a) create 1 town, warm pool, slowest of 10 ({args.towns} towns)",
          ms(max(created for _refill, created in warm_many))))  # fmt: skip
    note(
        (f"(a) migrations / warm pool at {args.towns} towns", f"{migrate_many / warm_late:8.1f} x")
    )
    note(
        (
            "(a) refill of 1 spare before each warm creation, median of 13",
            ms(statistics.median(refill for refill, _created in warm_small + warm_many)),
        )
    )

    few_median, many_median = statistics.median(few), statistics.median(many)
    note((f"(c) GET / median, 3 towns (3 hosts, {len(few)} req)", ms(few_median)))
    note(("(c) GET / p95, 3 towns", ms(percentile(few, 0.95))))
    note((f"(c) GET / median, {args.towns} towns (same 3 hosts)", ms(many_median)))
    note((f"(c) GET / p95, {args.towns} towns (same 3 hosts)", ms(percentile(many, 0.95))))
    note((f"(c) median ratio {args.towns} / 3 towns", f"{many_median / few_median:8.2f} x"))
    note(
        (
            f"(c) GET / median, {args.towns} towns ({len(spread_hosts)} hosts)",
            ms(statistics.median(spread)),
        )
    )
    note(
        (
            f"(c) GET / p95, {args.towns} towns ({len(spread_hosts)} hosts)",
            ms(percentile(spread, 0.95)),
        )
    )

    say(f"migrate_schemas with {args.towns} up-to-date towns")
    skip_times = []
    for _ in range(3):
        started = time.perf_counter()
        call_command("migrate_schemas", interactive=False, verbosity=0)
        skip_times.append(time.perf_counter() - started)
    note(
        (
            f"(d) migrate_schemas, {args.towns} towns up to date, median of 3",
            ms(statistics.median(skip_times)),
        )
    )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--towns", type=int, default=500, help="towns to create (≥ 3)")
    parser.add_argument("--requests", type=int, default=300, help="timed requests per series")
    args = parser.parse_args()
    if args.towns < 3:
        parser.error("--towns must be at least 3")

    from config.services import ServiceUnavailable, ensure

    try:
        urls = ensure()
    except ServiceUnavailable as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 3
    started = time.perf_counter()
    with bench_environment(
        urls,
        settings_module="config.settings.local",
        database=BENCH_DATABASE,
        redis_db=BENCH_REDIS_DB,
        cache_prefix="agora-bench",
    ) as environ:
        rows = run(args, environ)

    width = max(len(label) for label, _ in rows)
    print(f"\nAgora tenant scale benchmark — {time.strftime('%Y-%m-%d %H:%M')}, ", end="")
    print(f"{platform.node()}, {os.cpu_count()} CPU, Python {platform.python_version()}")
    print(f"{'measure'.ljust(width)}  value")
    print(f"{'-' * width}  -----------")
    for label, value in rows:
        print(f"{label.ljust(width)}  {value.strip():>11}")
    print(f"total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
