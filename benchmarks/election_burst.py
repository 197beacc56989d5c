"""A burst of secret ballots: a neighbourhood council's electors vote through the HTTP API.

    .venv/bin/python benchmarks/election_burst.py [--electors 10000] [--clients 50]
        [--workers 4] [--worker-class sync|gthread] [--threads 4] [--timeout 900] [--profile 0]

Works in a database of its own, ``agora_bench_elections``, on the server of DATABASE_URL (or
the embedded one of ``config.services``), created fresh and dropped at the end; its cache keys
live in Redis database 14 and are deleted at the end too (``benchmarks.support``).

One town, one neighbourhood council, one election for 3 seats with 8 validated candidates and a
vote phase running; ``--electors`` verified residents of the neighbourhood on the roll, each
with an API token (``vote_burst.make_voters``). Each elector's ballot names 1 to 3 candidates,
drawn from a fixed seed. Gunicorn serves the real urlconf plus the bare insert view of
``benchmarks.load``; the same ``--clients`` keep-alive clients POST the bare view's bodies
before and after the votes (its throughput is that of both bursts), and the ballots as
``{"candidates": [...]}`` to ``/api/v1/espaces/<space>/elections/<component>/bulletin/``.

Then the box is closed as beat closes it (``secret_ballots.box_close``: every sealed ballot
decrypted and shuffled in, timed) and the checks: as many electors marked as having voted as
ballots in the box, both equal to the electors, every receipt different, the votes per
candidate equal to those sent, no HTTP error; ballots per second as a ratio of the bare
view's, and p95.

``--profile N`` first casts N ballots in-process (``django.test.Client``, middleware included),
by N more electors on the roll of a second election of the same council (the burst's box
holds the burst's ballots only): timed beside the bare view in-process, then under cProfile,
SQL timed apart (``benchmarks.request_profile``); printed after the results.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.load import (  # noqa: E402
    BARE_PATH,
    Burst,
    bare_rows,
    bare_table_create,
    bench_settings,
    bench_urlconf,
    burst,
    gunicorn_options,
    print_results,
)
from benchmarks.request_profile import RequestProfile, profile_count, profile_requests  # noqa: E402
from benchmarks.support import Gunicorn, bench_environment, say  # noqa: E402
from benchmarks.vote_burst import make_voters  # noqa: E402

BENCH_DATABASE = "agora_bench_elections"
BENCH_REDIS_DB = 14
CACHE_PREFIX = "agora-bench-elections"
TOWN_SLUG = "bench-elections"
SETTINGS_MODULE = "bench_elections_settings"
URLCONF_MODULE = "bench_elections_urls"
GOAL_RATIO = 0.50
SEATS = 3
CANDIDATES = 8
SEED = 2026
# The steps of a vote that --profile breaks the time into (pstats restriction on names).
STEPS = (
    r"\((post|dispatch|initial|perform_authentication|authenticate|authenticate_credentials|"
    r"check_permissions|has_permission|has_perm|why_not|page|ballot_page|get|ballot_cast|"
    r"rate_limit|ensure_perm|validate_choices|_roll_lookup|_seal|finalize_response|render|"
    r"candidates_from_json|data|__call__)\)"
)


@dataclass
class Probe:
    """``--profile``'s electors, on the roll of an election of their own."""

    vote_path: str
    tokens: list[str]
    body: bytes


@dataclass
class Setup:
    host: str
    vote_path: str
    component_id: int
    bodies: list[bytes]
    tokens: list[str]
    sent: Counter  # candidate pk -> ballots naming them
    seconds: float
    probe: Probe | None  # with --profile


def election_create(space, title: str, now) -> tuple:
    """An election of ``space`` for SEATS seats with CANDIDATES validated candidates, its vote
    phase running: (its component, its candidates' ids)."""
    import datetime

    from participation.elections.models import Candidate, Election
    from participation.models import Component, Phase

    component = Component.objects.create(space=space, type_key="elections", title=title)
    Election.objects.create(component=component, seats=SEATS)
    Phase.objects.create(
        component=component,
        kind="vote",
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(days=1),
    )
    candidates = [
        Candidate.objects.create(
            component=component,
            name=f"Candidat {n}",
            gender="fm"[n % 2],
            statement="Profession de foi.",
            status=Candidate.Status.VALIDATED,
        ).pk
        for n in range(CANDIDATES)
    ]
    return component, candidates


def roll_create(component, count: int, prefix: str, neighbourhood_id, now) -> list[str]:
    """``count`` verified residents on the component's roll: their API tokens."""
    from participation.elections.models import Elector

    users, tokens = make_voters(count, prefix, neighbourhood_id, now)
    Elector.objects.bulk_create(
        Elector(component=component, user=user, email=user.email, source=Elector.Source.RESIDENT)
        for user in users
    )
    return tokens


def prepare(args) -> Setup:
    from django.db import connection
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from core.hosts import town_host
    from participation.models import Neighbourhood, Space
    from tenants.models import Tenant
    from tenants.services import town_create

    started = time.perf_counter()
    created = town_create(
        slug=TOWN_SLUG,
        name="Commune de banc d'essai (élections)",
        kind=Tenant.Kind.COMMUNE,
        population=50_000,
        status=Tenant.Status.ACTIVE,
    )
    draw = random.Random(SEED)
    with tenant_context(created.tenant):
        now = timezone.now()
        place = Neighbourhood.objects.create(name="Les Prés", slug="les-pres")
        space = Space.objects.create(
            kind=Space.Kind.NEIGHBOURHOOD_COUNCIL,
            title="Conseil de quartier des Prés",
            slug="conseil-des-pres",
            neighbourhood=place,
            status=Space.Status.PUBLISHED,
            published_at=now,
        )
        component, candidates = election_create(space, "Élection du conseil", now)
        tokens = roll_create(component, args.electors, "electeur", place.pk, now)
        bodies, sent = [], Counter()
        for _token in tokens:
            picked = draw.sample(candidates, draw.randint(1, SEATS))
            sent.update(picked)
            bodies.append(json.dumps({"candidates": picked}).encode())
        probe = None
        if args.profile:
            # An election of its own, so that the burst's box holds the burst's ballots only.
            probe_component, probe_candidates = election_create(space, "Élection sonde", now)
            probe = Probe(
                vote_path=vote_path(space, probe_component),
                tokens=roll_create(probe_component, args.profile, "sonde", place.pk, now),
                body=json.dumps({"candidates": probe_candidates[:SEATS]}).encode(),
            )
        with connection.cursor() as cursor:
            bare_table_create(cursor)
    connection.set_schema_to_public()
    return Setup(
        host=town_host(TOWN_SLUG),
        vote_path=vote_path(space, component),
        component_id=component.pk,
        bodies=bodies,
        tokens=tokens,
        sent=sent,
        seconds=time.perf_counter() - started,
        probe=probe,
    )


def vote_path(space, component) -> str:
    return f"/api/v1/espaces/{space.slug}/elections/{component.pk}/bulletin/"


def profile_votes(setup: Setup) -> RequestProfile:
    """One ballot per probe elector in-process, beside the bare view, then under cProfile."""
    from django.db import connection
    from django.test import Client

    # An address of its own: the vote's per-address limit (10,000 in 10 minutes) is left
    # whole for the burst's electors, who all come from 127.0.0.1.
    client = Client(HTTP_HOST=setup.host, REMOTE_ADDR="127.0.0.2")
    probe = setup.probe

    def cast(index: int) -> int:
        return client.post(
            probe.vote_path,
            probe.body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {probe.tokens[index]}",
        ).status_code

    def bare() -> int:
        return client.post(BARE_PATH, b"{}", content_type="application/json").status_code

    profile = profile_requests("vote", cast, len(probe.tokens), bare, steps=STEPS)
    connection.set_schema_to_public()
    if profile.statuses != {201}:
        raise RuntimeError(f"in-process votes answered {sorted(profile.statuses)}")
    return profile


def verify(setup: Setup, electors: int, bare_requests: int) -> list[str]:
    from django.db import connection
    from django_tenants.utils import schema_context

    from participation import secret_ballots
    from participation.elections.models import box_name
    from participation.models import Component
    from tenants.services import schema_name_for

    problems = []
    with schema_context(schema_name_for(TOWN_SLUG)):
        box = box_name(Component.objects.get(pk=setup.component_id))
        started = time.perf_counter()
        moved = secret_ballots.box_close(box=box)
        say(
            f"box closed: {moved} sealed ballots shuffled in, {time.perf_counter() - started:.1f} s"
        )
        if moved != electors:
            problems.append(f"the close moved {moved} ballots for {electors} electors")
        audit = secret_ballots.box_audit(box=box)
        if not audit.ballots == audit.voters == electors:
            problems.append(
                f"{audit.ballots} ballots, {audit.voters} electors marked, {electors} electors"
            )
        receipts = secret_ballots.box_receipts(box=box)
        if len(set(receipts)) != len(receipts):
            problems.append("two ballots share a receipt")
        counted = secret_ballots.box_count(box=box)
        if counted != setup.sent:
            problems.append(f"votes per candidate {dict(counted)} != sent {dict(setup.sent)}")
        with connection.cursor() as cursor:
            rows = bare_rows(cursor)
        if rows != bare_requests:
            problems.append(f"{rows} bare rows for {bare_requests} answered bare requests")
    connection.set_schema_to_public()
    return problems


def run(args, environ: dict[str, str]) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from tenants.services import platform_tenant_ensure

    started = time.perf_counter()
    say("migrate_schemas, town, electors")
    call_command("migrate_schemas", interactive=False, verbosity=0)
    platform_tenant_ensure()
    setup = prepare(args)
    say(f"{args.electors} electors with tokens in {setup.seconds:.1f} s")
    profile = profile_votes(setup) if setup.probe else None
    connections.close_all()
    server = Gunicorn(environ, options=gunicorn_options(args))
    common = {"clients": args.clients, "timeout": args.timeout}
    bare_bodies = [b"{}"] * len(setup.bodies)
    try:
        server.wait_ready(setup.host)
        warm = burst(
            "warm-up",
            server.port,
            setup.host,
            BARE_PATH,
            [b"{}"] * (4 * args.clients),
            setup.tokens[: 4 * args.clients],
            **common,
        )
        bare_before = burst(
            "bare insert before",
            server.port,
            setup.host,
            BARE_PATH,
            bare_bodies,
            setup.tokens,
            **common,
        )
        say(f"bare insert (before): {bare_before.rps:.0f} req/s")
        votes = burst(
            "vote", server.port, setup.host, setup.vote_path, setup.bodies, setup.tokens, **common
        )
        say(f"votes: {votes.rps:.0f} ballots/s, {len(votes.errors)} errors")
        bare_after = burst(
            "bare insert after",
            server.port,
            setup.host,
            BARE_PATH,
            bare_bodies,
            setup.tokens,
            **common,
        )
        say(f"bare insert (after): {bare_after.rps:.0f} req/s")
    finally:
        server.stop()
    bare_sent = warm.ok + bare_before.ok + bare_after.ok
    problems = verify(setup, args.electors, bare_sent + (profile.bare_requests if profile else 0))
    if votes.errors:
        problems.append(f"{len(votes.errors)} vote requests failed")
    if votes.answered < args.electors:
        problems.append(f"only {votes.answered} of {args.electors} votes sent before the timeout")
    return {
        "votes": votes,
        "bare": Burst.combine("bare insert", [bare_before, bare_after]),
        "bare_runs": [bare_before, bare_after],
        "problems": problems,
        "profile": profile.text if profile else "",
        "seconds": time.perf_counter() - started,
    }


def report(results: dict, args, load_before: str, load_after: str) -> bool:
    votes, bare = results["votes"], results["bare"]
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"\nAgora election burst — {when}, {platform.node()}, ", end="")
    print(f"{os.cpu_count()} CPU, Python {platform.python_version()}")
    print(
        f"{args.electors} electors, {CANDIDATES} candidates, {SEATS} seats; gunicorn "
        f"{args.workers} {args.worker_class} workers, DEBUG=False; {args.clients} clients, "
        "token auth"
    )
    print(f"load average before: {load_before}; after: {load_after}")
    if print_results(votes, results["bare_runs"], bare, results["problems"], GOAL_RATIO):
        print(
            f"checks: {args.electors} ballots in the box = {args.electors} electors marked = "
            "turnout 100 %; receipts all different; votes per candidate as sent; no HTTP error"
        )
    print(f"total {results['seconds']:.0f} s")
    if results["profile"]:
        print(results["profile"])
    return not results["problems"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--electors", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--worker-class", choices=("sync", "gthread"), default="sync")
    parser.add_argument("--threads", type=int, default=4, help="threads a gthread worker")
    parser.add_argument("--timeout", type=float, default=900, help="seconds a burst at most")
    parser.add_argument(
        "--profile", type=profile_count, default=0, help="votes to profile in-process first"
    )
    args = parser.parse_args()
    if min(args.electors, args.clients, args.workers, args.threads) < 1 or args.timeout <= 0:
        parser.error("electors, clients, workers, threads and timeout must be positive")

    from config.services import ServiceUnavailable, ensure

    try:
        urls = ensure()
    except ServiceUnavailable as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 3
    workdir = Path(tempfile.mkdtemp(prefix="agora-bench-elections-"))
    (workdir / f"{SETTINGS_MODULE}.py").write_text(bench_settings(URLCONF_MODULE))
    (workdir / f"{URLCONF_MODULE}.py").write_text(bench_urlconf())
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
