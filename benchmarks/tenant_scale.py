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
d. ``migrate_schemas`` with N up-to-date towns (the skipping executor);
e. memory after serving many different towns: the database backend's memory contexts of one
   connection (pg_backend_memory_contexts: the catalogue caches grow with every schema
   touched) after GET / on 3, 100 and 1,000 towns in-process, and one gunicorn worker's RSS
   after 1,000 different towns (connections kept: DATABASE_MAX_TOWNS_PER_CONNECTION=0).

Towns 4..N are made by the benchmark's bulk path unless ``--one-by-one``: rows by
``bulk_create`` and schemas cloned from the template (tenants.clone) ``--batch`` per transaction
in ``--workers`` processes; what a town is afterwards is what ``town_create`` makes (no spare
taken, no admin). (b) then times each batch per town.
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


def create_bulk_slice(numbers: list[int], batch: int) -> list[float]:
    """Towns `numbers`, `batch` per transaction (rows, then each schema cloned): the time per
    town of each batch."""
    from django.db import connection, transaction
    from django_tenants.utils import schema_context

    from core.hosts import town_host
    from tenants.clone import clone_template
    from tenants.migration import template_schema_name
    from tenants.models import Domain, Tenant

    template = template_schema_name()
    per_town = []
    with schema_context("public"):
        for start in range(0, len(numbers), batch):
            chunk = numbers[start : start + batch]
            started = time.perf_counter()
            with transaction.atomic():
                tenants = Tenant.objects.bulk_create(
                    Tenant(
                        schema_name=slug(n).replace("-", "_"),
                        slug=slug(n),
                        name=f"Commune de test {n}",
                        kind=Tenant.Kind.COMMUNE,
                        population=1000 + n,
                    )
                    for n in chunk
                )
                Domain.objects.bulk_create(
                    Domain(domain=town_host(t.slug), tenant=t, is_primary=True) for t in tenants
                )
                for tenant in tenants:
                    clone_template(template, tenant.schema_name)
            per_town.append((time.perf_counter() - started) / len(chunk))
    connection.close()
    return per_town


def _bulk_worker(numbers: list[int], batch: int) -> list[float]:
    import django

    django.setup()
    return create_bulk_slice(numbers, batch)


def create_bulk(first: int, last: int, *, batch: int, workers: int, say) -> list[float]:
    """Towns first..last in `workers` processes (interleaved slices, so that each process's
    batches spread over the whole range); the time per town of every batch."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    from django.db import connections

    numbers = list(range(first, last + 1))
    slices = [numbers[i::workers] for i in range(workers)]
    connections.close_all()
    started = time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        futures = [pool.submit(_bulk_worker, part, batch) for part in slices if part]
        results = [future.result() for future in futures]
    say(f"  {len(numbers)} towns in {time.perf_counter() - started:.0f} s ({workers} processes)")
    return [value for result in results for value in result]


def backend_memory_contexts() -> tuple[int, int]:
    """(all memory contexts, CacheMemoryContext and its children) of this connection's backend,
    in bytes."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sum(total_bytes), sum(total_bytes) FILTER (WHERE path[2] = ("
            "SELECT path[2] FROM pg_backend_memory_contexts WHERE name = 'CacheMemoryContext')) "
            "FROM pg_backend_memory_contexts"
        )
        total, cache = cursor.fetchone()
    return int(total), int(cache or 0)


def serve_in_process(numbers: list[int]) -> None:
    """GET / of each town in this process (its own database connection), as a worker would."""
    from django.db import connection
    from django.test import Client

    from core.hosts import town_host

    for n in numbers:
        response = Client(HTTP_HOST=town_host(slug(n))).get("/")
        if response.status_code != 200:
            raise RuntimeError(f"GET / on {slug(n)} answered {response.status_code}")
    connection.set_schema_to_public()


def mb(size: int) -> str:
    return f"{size / 1024 / 1024:8.1f} MB"


def measure_memory(args, environ: dict[str, str], note, say) -> None:
    """(e): one connection's backend after 3 / 100 / 1,000 towns in-process; one gunicorn
    worker and its backend after 1,000 different towns."""
    import psutil
    from django.db import connection

    from core.hosts import town_host

    count = min(1000, args.towns)
    rng = random.Random(7)
    towns = rng.sample(range(1, args.towns + 1), count)
    connection.close()
    served = 0
    for step in (3, 100, count):
        if step > count:
            continue
        serve_in_process(towns[served:step])
        served = step
        total, cache = backend_memory_contexts()
        note((f"(e) one connection after {step} towns: backend memory contexts", mb(total)))
        note((f"(e) one connection after {step} towns: CacheMemoryContext", mb(cache)))
    connection.close()

    server = Gunicorn(environ, options=["--workers", "1", "--max-requests", "0"])
    try:
        server.wait_ready(town_host(slug(1)))
        worker = psutil.Process(server.process.pid).children()[0]
        say(f"one gunicorn worker: GET / on {count} different towns")
        rss_start = worker.memory_info().rss
        for n in towns:
            status, _elapsed = get(server.port, town_host(slug(n)))
            if status != 200:
                raise RuntimeError(f"GET / on {slug(n)} answered {status}")
        rss_end = worker.memory_info().rss
        note(("(e) gunicorn worker RSS after /healthz", mb(rss_start)))
        note((f"(e) gunicorn worker RSS after {count} towns", mb(rss_end)))
    finally:
        server.stop()


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

        if args.one_by_one:
            say(f"creating towns 4..{args.towns} by clone")
            for number in range(4, args.towns + 1):
                clone_times.append(create_by_clone(number))
                if number % 50 == 0:
                    say(f"  {number} towns, last one in {ms(clone_times[-1]).strip()}")
        else:
            say(f"creating towns 4..{args.towns}: bulk, {args.batch} per transaction")
            started = time.perf_counter()
            bulk_times = create_bulk(4, args.towns, batch=args.batch, workers=args.workers, say=say)
            bulk_total = time.perf_counter() - started

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

    if not args.one_by_one and args.towns > 3:
        note((f"(b) bulk creation of towns 4..{args.towns}, total", f"{bulk_total:8.1f} s"))
        note(("(b) bulk creation, per town, median of batches", ms(statistics.median(bulk_times))))
        note(("(b) bulk creation, per town, first batch", ms(bulk_times[0])))
        note(("(b) bulk creation, per town, slowest batch", ms(max(bulk_times))))
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
    measure_memory(args, environ, note, say)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--towns", type=int, default=500, help="towns to create (≥ 3)")
    parser.add_argument("--requests", type=int, default=300, help="timed requests per series")
    parser.add_argument(
        "--one-by-one", action="store_true", help="make towns 4..N by town_create, not in bulk"
    )
    parser.add_argument(
        "--batch", type=int, default=10, help="bulk: towns per transaction (locks: ~220 each)"
    )
    parser.add_argument("--workers", type=int, default=2, help="bulk: processes")
    args = parser.parse_args()
    if args.towns < 3:
        parser.error("--towns must be at least 3")

    from config.services import ServiceUnavailable, ensure

    try:
        urls = ensure()
    except ServiceUnavailable as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 3
    # (e) measures connections that are never recycled, neither by age nor by towns served.
    os.environ.update(CONN_MAX_AGE="3600", DATABASE_MAX_TOWNS_PER_CONNECTION="0")
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
