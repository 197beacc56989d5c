"""Throughput and latency of a town's public pages, next to a bare Django view.

    .venv/bin/python benchmarks/pages.py [--runs 3] [--duration 10] [--connections 8]

Works in a database of its own, ``agora_bench_pages``, on the server of DATABASE_URL (or the
embedded one of ``config.services``), created fresh and dropped at the end, even on failure or
Ctrl-C; its cache keys live in Redis database 12 and are deleted at the end too.

It creates one town with a published space holding a news component whose phase is open, 50
posts and 200 comments on them (and a space with 5 posts and 20 comments, to compare query
counts), plus a few other spaces for the home page. Then gunicorn (2 sync workers,
127.0.0.1, ``DEBUG=False``) serves the real urlconf plus ``/__bare__``, a view that returns
``HttpResponse("ok")`` without any query of its own, and ``/__empty_page__``, an empty page of
the site's layout (``base.html`` with its context processors): the settings module and the
urlconf that add them are written to a temporary directory, so the product's urlconfs are
untouched. Both go through the same middleware as the pages (the tenant middleware's Domain
lookup included): the bare view measures what Django and the stack cost before any page's own
work, the empty page what any page of the site costs at least.

Each run warms every page up (2 s of load), then the pages take turns in 5 slices of 2 s
(bare, empty page, home, space, news list, bare, ...), so that a change of the load weighs
on all of them alike: ``wrk -t2 -c8 --latency`` measures requests per second (over the 10 s of
each page) and the median and 95th-percentile latency (median of its slices'). The ratio to
the bare view is computed within each run; the table gives the median of the runs. Without
``wrk`` (``apt-get install wrk``), or with ``--client python``, a bounded Python load generator
(threads + http.client) stands in, and the output says so.

The SQL queries per page are counted in-process (django.test.Client under
CaptureQueriesContext, after one warm-up request) for the 50-item space and the 5-item one.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.support import (  # noqa: E402
    Gunicorn,
    bench_environment,
    get,
    say,
)

BENCH_DATABASE = "agora_bench_pages"
BENCH_REDIS_DB = 12
CACHE_PREFIX = "agora-bench-pages"
TOWN_SLUG = "bench-pages"
BIG_SPACE, SMALL_SPACE = "place-du-marche", "petit-espace"
BIG_POSTS, BIG_COMMENTS = 50, 200
SMALL_POSTS, SMALL_COMMENTS = 5, 20
GOAL_RATIO, GOAL_QUERIES = 0.40, 15

SETTINGS_MODULE = "bench_pages_settings"
URLCONF_MODULE = "bench_pages_urls"

BENCH_SETTINGS = """\
from config.settings.local import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "bench_pages_urls"
"""

# The real town urlconf plus the bare view. (PUBLIC_SCHEMA_URLCONF is left alone: the pages
# are served on the town's host, which uses ROOT_URLCONF.)
BENCH_URLCONF = """\
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from config.urls_town import urlpatterns as town_urlpatterns

EMPTY_PAGE = engines["django"].from_string(
    '{% extends "base.html" %}{% block content %}<h1>ok</h1>{% endblock %}'
)


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


def empty_page(request):
    return HttpResponse(EMPTY_PAGE.render({}, request))


urlpatterns = [
    path("__bare__", bare, name="bench_bare"),
    path("__empty_page__", empty_page, name="bench_empty_page"),
    *town_urlpatterns,
]
"""

# wrk's --latency prints 50/75/90/99 %; this prints the 95th too, in one parsable line.
WRK_REPORT = """\
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p95_us=%d errors=%d non2xx=%d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""


# --- load generators ------------------------------------------------------------------------


class Measure:
    def __init__(self, *, requests: int, seconds: float, p50: float, p95: float):
        self.requests, self.seconds, self.p50, self.p95 = requests, seconds, p50, p95
        self.rps = requests / seconds

    @classmethod
    def combine(cls, slices: list[Measure]) -> Measure:
        """One page's slices of a run: requests over their total time; latency percentiles
        are the median of the slices' (an approximation: wrk gives no histogram to merge)."""
        return cls(
            requests=sum(piece.requests for piece in slices),
            seconds=sum(piece.seconds for piece in slices),
            p50=statistics.median(piece.p50 for piece in slices),
            p95=statistics.median(piece.p95 for piece in slices),
        )


def wrk_load(
    wrk: str, script: Path, port: int, host: str, path: str, *, seconds: int, args
) -> Measure:
    command = [
        wrk,
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{seconds}s",
        "--timeout", "10s",
        "--latency",
        "-s", str(script),
        "-H", f"Host: {host}",
        f"http://127.0.0.1:{port}{path}",
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = re.search(r"^BENCH (.*)$", output, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"unexpected wrk output:\n{output}")
    figures = {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", match.group(1))}
    # Gunicorn's sync workers close every connection: wrk counts the resets when it reconnects
    # as read errors ("errors"), the requests themselves are answered. Non-2xx/3xx are failures.
    if figures["non2xx"]:
        raise RuntimeError(f"{path}: {figures['non2xx']} responses were not 2xx/3xx")
    if figures["requests"] == 0:
        raise RuntimeError(f"{path}: no request answered ({output})")
    return Measure(
        requests=figures["requests"],
        seconds=figures["duration_us"] / 1e6,
        p50=figures["p50_us"] / 1e6,
        p95=figures["p95_us"] / 1e6,
    )


def python_load(port: int, host: str, path: str, *, seconds: int, args) -> Measure:
    """Stand-in for wrk: ``connections`` threads, each sending requests one after the other
    for ``seconds`` (bounded: it stops at the deadline). The GIL makes it a weaker client
    than wrk: absolute figures are lower, ratios still compare pages served alike."""
    deadline = time.monotonic() + seconds
    timings: list[float] = []
    failures: list[int] = []
    lock = threading.Lock()

    def worker() -> None:
        mine, bad = [], []
        while time.monotonic() < deadline:
            status, elapsed = get(port, host, path)
            (mine if status == 200 else bad).append(elapsed if status == 200 else status)
        with lock:
            timings.extend(mine)
            failures.extend(bad)

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(args.connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    if failures:
        raise RuntimeError(f"{path}: {len(failures)} responses were not 200 ({failures[:3]})")
    if not timings:
        raise RuntimeError(f"{path}: no request answered in {seconds} s")
    ordered = sorted(timings)
    return Measure(
        requests=len(timings),
        seconds=elapsed,
        p50=statistics.median(ordered),
        p95=ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
    )


# --- the benchmark -------------------------------------------------------------------------


def seed() -> None:
    """The town and its content (direct model creation: seeding, not behaviour)."""
    import datetime

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from accounts.models import User
    from participation.comments.models import Comment
    from participation.models import Component, Neighbourhood, Phase, Space
    from participation.news.models import NewsPost
    from tenants.models import Tenant
    from tenants.services import town_create

    created = town_create(
        slug=TOWN_SLUG,
        name="Commune de banc d'essai",
        kind=Tenant.Kind.COMMUNE,
        population=12_000,
        status=Tenant.Status.ACTIVE,
    )
    now = timezone.now()
    with tenant_context(created.tenant):
        quarters = [
            Neighbourhood.objects.create(name=f"Quartier {n}", slug=f"quartier-{n}", position=n)
            for n in range(4)
        ]
        authors = User.objects.bulk_create(
            User(
                email=f"habitant{n}@exemple.fr",
                display_name=f"Habitant {n}",
                password="!",
                email_verified_at=now,
            )
            for n in range(20)
        )
        news_type = ContentType.objects.get_for_model(NewsPost)

        def space_with_news(slug: str, title: str, posts: int, comments: int, position: int):
            space = Space.objects.create(
                kind=Space.Kind.CONSULTATION,
                title=title,
                slug=slug,
                summary=f"Résumé de « {title} ».",
                description="Une concertation ouverte à tous les habitants.\n\n" * 3,
                neighbourhood=quarters[position % len(quarters)],
                status=Space.Status.PUBLISHED,
                published_at=now,
                position=position,
            )
            component = Component.objects.create(
                space=space, type_key="news", title=f"Actualités — {title}", position=0
            )
            Phase.objects.create(
                component=component,
                kind="publication",
                starts_at=now - datetime.timedelta(days=1),
                ends_at=now + datetime.timedelta(days=30),
            )
            items = NewsPost.objects.bulk_create(
                NewsPost(
                    component=component,
                    title=f"Actualité n° {n + 1} de {title}",
                    body="Compte rendu de la réunion publique et prochaines étapes. " * 12,
                    published_at=now - datetime.timedelta(hours=n),
                )
                for n in range(posts)
            )
            roots = Comment.objects.bulk_create(
                Comment(
                    component=component,
                    content_type=news_type,
                    object_id=items[n % posts].pk,
                    author=authors[n % len(authors)],
                    body=f"Commentaire n° {n + 1}.",
                )
                for n in range(comments * 3 // 4)
            )
            Comment.objects.bulk_create(  # a quarter of the comments are replies
                Comment(
                    component=component,
                    content_type=news_type,
                    object_id=parent.object_id,
                    parent=parent,
                    depth=1,
                    author=authors[(n + 7) % len(authors)],
                    body=f"Réponse n° {n + 1}.",
                )
                for n, parent in enumerate(roots[: comments - len(roots)])
            )
            return space

        space_with_news(BIG_SPACE, "Place du marché", BIG_POSTS, BIG_COMMENTS, 0)
        space_with_news(SMALL_SPACE, "Petit espace", SMALL_POSTS, SMALL_COMMENTS, 1)
        for n in range(4):
            space_with_news(f"espace-{n}", f"Espace {n}", 2, 4, 2 + n)
        Space.objects.create(  # a draft: not on the home page
            kind=Space.Kind.BUDGET_CAMPAIGN, title="Brouillon", slug="brouillon", position=9
        )


def page_paths(space_slug: str) -> dict[str, str]:
    from django_tenants.utils import schema_context

    from participation.models import Component
    from tenants.services import schema_name_for

    with schema_context(schema_name_for(TOWN_SLUG)):
        component = Component.objects.get(space__slug=space_slug, type_key="news")
    return {
        "bare view": "/__bare__",
        "empty page": "/__empty_page__",
        "home": "/",
        "space": f"/espaces/{space_slug}/",
        "news list": f"/espaces/{space_slug}/news/{component.pk}/",
    }


def count_queries(host: str) -> dict[str, tuple[int, int]]:
    """SQL queries per page (middleware included), 50-item space vs 5-item space."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=host)
    counts = {}
    big, small = page_paths(BIG_SPACE), page_paths(SMALL_SPACE)
    for name in big:
        figures = []
        for path in (big[name], small[name]):
            client.get(path)  # warm-up: the theme into the cache, content types cached
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code}")
            figures.append(len(queries))
        counts[name] = (figures[0], figures[1])
    connection.set_schema_to_public()
    return counts


def run(args, environ: dict[str, str], workdir: Path) -> tuple[dict, dict, str]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    from core.hosts import town_host
    from tenants.services import platform_tenant_ensure

    say(f"database {connection.settings_dict['NAME']}: migrate_schemas, seeding")
    call_command("migrate_schemas", interactive=False, verbosity=0)
    platform_tenant_ensure()
    seed()
    host = town_host(TOWN_SLUG)
    queries = count_queries(host)
    connections.close_all()

    wrk = shutil.which("wrk") if args.client == "wrk" else None
    if wrk:
        script = workdir / "report.lua"
        script.write_text(WRK_REPORT)
        generator = f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s"

        def load(path: str, seconds: int) -> Measure:
            return wrk_load(wrk, script, server.port, host, path, seconds=seconds, args=args)
    else:
        if args.client == "wrk":
            say("wrk is NOT installed (apt-get install wrk): falling back to the Python client")
        generator = f"python threads+http.client, {args.connections} threads, {args.duration}s"

        def load(path: str, seconds: int) -> Measure:
            return python_load(server.port, host, path, seconds=seconds, args=args)

    paths = page_paths(BIG_SPACE)
    runs: dict[str, list[Measure]] = {name: [] for name in paths}
    ratios: dict[str, list[float]] = {name: [] for name in paths}
    server = Gunicorn(environ, options=["--workers", "2", "--worker-class", "sync"])
    try:
        server.wait_ready(host)
        for path in paths.values():
            status, _ = get(server.port, host, path)
            if status != 200:
                raise RuntimeError(f"GET {path} answered {status}")
        slice_seconds = max(1, round(args.duration / args.slices))
        for number in range(1, args.runs + 1):
            for path in paths.values():
                load(path, args.warmup)
            # The pages take turns in short slices, so that a change of the machine's load
            # (other processes on the same cores) weighs on all of them alike.
            slices: dict[str, list[Measure]] = {name: [] for name in paths}
            for _ in range(args.slices):
                for name, path in paths.items():
                    slices[name].append(load(path, slice_seconds))
            for name in paths:
                measure = Measure.combine(slices[name])
                runs[name].append(measure)
                say(
                    f"run {number}/{args.runs} {name:<10} {measure.rps:7.1f} req/s, "
                    f"p50 {measure.p50 * 1000:6.1f} ms, p95 {measure.p95 * 1000:6.1f} ms"
                )
            bare = runs["bare view"][-1].rps
            for name in paths:
                ratios[name].append(runs[name][-1].rps / bare)
    finally:
        server.stop()
    return {"runs": runs, "ratios": ratios, "paths": paths}, queries, generator


def report(results: dict, queries: dict, generator: str, args, load_before: str) -> None:
    runs, ratios, paths = results["runs"], results["ratios"], results["paths"]
    when = time.strftime("%Y-%m-%d %H:%M")
    print(f"\nAgora pages benchmark — {when}, {platform.node()}, ", end="")
    print(f"{os.cpu_count()} CPU, Python {platform.python_version()}")
    print(f"gunicorn 2 sync workers, DEBUG=False; load: {generator}, {args.runs} runs")
    print(f"load average before: {load_before}")
    print(
        f"space: {BIG_POSTS} news posts, {BIG_COMMENTS} comments; "
        "figures are medians of the runs; ratio = req/s / bare view's req/s in the same run"
    )
    header = f"{'page':<10}  {'path':<36}  {'req/s':>7}  {'p50 ms':>7}  {'p95 ms':>7}  "
    header += f"{'ratio':>6}  ratios per run"
    print(header)
    print("-" * len(header))
    for name, path in paths.items():
        measures = runs[name]
        per_run = " ".join(f"{ratio:.2f}" for ratio in ratios[name])
        print(
            f"{name:<10}  {path:<36}  {statistics.median(m.rps for m in measures):7.1f}  "
            f"{statistics.median(m.p50 for m in measures) * 1000:7.1f}  "
            f"{statistics.median(m.p95 for m in measures) * 1000:7.1f}  "
            f"{statistics.median(ratios[name]):6.2f}  {per_run}"
        )
    print(f"\nSQL queries per page (middleware included; goal ≤ {GOAL_QUERIES}, flat):")
    print(f"{'page':<10}  {f'{BIG_POSTS} items':>9}  {f'{SMALL_POSTS} items':>8}")
    for name, (big, small) in queries.items():
        print(f"{name:<10}  {big:>9}  {small:>8}")
    print()
    for name in paths:
        if name in ("bare view", "empty page"):
            continue
        ratio = statistics.median(ratios[name])
        big, small = queries[name]
        verdicts = [
            f"throughput {ratio:.0%} of bare ({'met' if ratio >= GOAL_RATIO else 'MISSED'})",
            f"queries {big} ({'met' if big <= GOAL_QUERIES and big == small else 'MISSED'})",
        ]
        print(f"{name:<10}  " + "; ".join(verdicts))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs over all pages (median)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per page and run")
    parser.add_argument("--slices", type=int, default=5, help="turns the pages take per run")
    parser.add_argument("--warmup", type=int, default=2, help="warm-up seconds per page and run")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument(
        "--client",
        choices=("wrk", "python"),
        default="wrk",
        help="load generator: wrk (falls back to python when missing) or python",
    )
    args = parser.parse_args()
    if min(args.runs, args.duration, args.slices, args.warmup, args.connections, args.threads) < 1:
        parser.error("every option must be at least 1")

    if args.client == "wrk" and shutil.which("wrk") is None:
        print(
            "bench: wrk is not installed (Debian: apt-get install -y wrk); the figures will "
            "come from a weaker Python load generator.",
            file=sys.stderr,
        )

    from config.services import ServiceUnavailable, ensure

    try:
        urls = ensure()
    except ServiceUnavailable as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 3

    workdir = Path(tempfile.mkdtemp(prefix="agora-bench-pages-"))
    (workdir / f"{SETTINGS_MODULE}.py").write_text(BENCH_SETTINGS)
    (workdir / f"{URLCONF_MODULE}.py").write_text(textwrap.dedent(BENCH_URLCONF))
    load_before = " ".join(f"{value:.2f}" for value in os.getloadavg())
    started = time.perf_counter()
    with bench_environment(
        urls,
        settings_module=SETTINGS_MODULE,
        database=BENCH_DATABASE,
        redis_db=BENCH_REDIS_DB,
        cache_prefix=CACHE_PREFIX,
        workdir=workdir,
    ) as environ:
        results, queries, generator = run(args, environ, workdir)

    report(results, queries, generator, args, load_before)
    print(f"total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
