"""A burst of votes: every ballot of a pabulib file replayed through the HTTP vote API.

    .venv/bin/python benchmarks/vote_burst.py FILE.pb [--clients 50] [--workers 4]
        [--worker-class sync|gthread] [--threads 1] [--timeout 600] [--profile 0]
    .venv/bin/python benchmarks/vote_burst.py --projects 1000 [--voters 1000] [--seed 17] ...

``--projects N`` replaces the file with a seeded approval election of N projects and
``--voters`` ballots of 5 to 10 projects each (``benchmarks/pb_synthetic.py``), imported the
same way: the cost of a vote must not grow with the number of projects in the budget.

Works in a database of its own, ``agora_bench_votes``, on the server of DATABASE_URL (or the
embedded one of ``config.services``), created fresh and dropped at the end, even on failure or
Ctrl-C; its cache keys live in Redis database 11 and are deleted at the end too.

It creates one town, imports the file with ``participation.budgets.importing.import_pabulib``
and keeps what the import gives as the reference: the greedy selection of ``campaign_results``
(what ``pb_results`` prints) and the scores of ``selectors.project_scores``. Then one verified
resident per ballot (one precomputed password hash, charter accepted, the budget's
neighbourhood, born in 1970) with an API token each; the imported ballots are deleted, the
campaign's space is published and a vote phase opened.

Gunicorn (``--workers`` x ``--threads``, 127.0.0.1, ``DEBUG=False``) serves the real urlconf
plus ``/__bare_insert__``, a POST view that inserts its body as one row of a table created for
the run in the town's schema, in a transaction: the settings module and the urlconf that add it
are written to a temporary directory, so the product's urlconfs are untouched. Both go through
the same middleware (the tenant middleware's Domain lookup included).

``--clients`` threads, each with its own keep-alive ``http.client`` connection, share the
ballots: each POSTs its voters' ballots as JSON to
``/api/v1/espaces/<space>/budgets/<component>/<budget>/bulletin/`` with
``Authorization: Token ...``, recording latency and status (a request is never retried). The
same clients then POST the same number of bodies to the bare view; the bare view also runs
once before the votes, so that a change of the machine's load weighs on both sides: its
throughput is that of its two bursts together. Everything stops at ``--timeout``.

Then the checks: as many Ballot rows as ballots in the file, each voter exactly one, each
ballot's choices as sent, no HTTP error (printed with its body), the greedy selection and the
scores equal to the import's, as many bare rows as bare requests. ``--profile N`` casts N
more ballots in-process (django.test.Client, middleware included, cProfile) with accounts of
their own, before the burst, and prints where the time goes (SQL included); they are deleted
before the burst.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import sys
import tempfile
import time
from dataclasses import dataclass, field
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
from benchmarks.request_profile import profile_count  # noqa: E402
from benchmarks.support import (  # noqa: E402
    Gunicorn,
    bench_environment,
    get,
    say,
)
from benchmarks.vote_profile import profile_in_process  # noqa: E402

BENCH_DATABASE = "agora_bench_votes"
BENCH_REDIS_DB = 11
CACHE_PREFIX = "agora-bench-votes"
TOWN_SLUG = "bench-votes"
GOAL_RATIO = 0.50
# One more voter sends this many ballots in a row after the burst: the per-account vote limit
# (settings.RATE_LIMITS["vote"]) must answer 429 before the end, while the burst above, from
# the same address, got none. Its ballots are empty (refused with 400 once counted): no row is
# written, the tally is untouched.
HAMMER_REQUESTS = 15
SETTINGS_MODULE = "bench_votes_settings"
URLCONF_MODULE = "bench_votes_urls"

# --- the benchmark -------------------------------------------------------------------------


@dataclass
class Campaign:
    host: str
    vote_path: str
    budget_id: int
    ballot_rule: str
    ballots: int  # in the file
    bodies: list[bytes]
    tokens: list[str]
    voter_ids: list[int]
    expected: dict[int, frozenset]  # voter pk -> {(project pk, rank, points)}
    reference: list[str]  # greedy selection, pabulib project ids
    scores: dict[int, int]  # project pk -> score
    import_seconds: float
    setup_seconds: float
    probe_tokens: list[str] = field(default_factory=list)
    probe_bare_rows: int = 0  # bare rows inserted in-process by --profile
    hammer_token: str = ""


def ballot_payload(rule: str, vote, by_external) -> tuple[dict, frozenset]:
    """The JSON the API takes for one pabulib vote, and the choices it must store."""
    from participation.budgets.models import Budget

    choices, stored = [], set()
    for index, project_id in enumerate(vote.projects):
        pk = by_external[project_id]
        if rule == Budget.BallotRule.RANKED:
            choices.append({"project": pk, "rank": index + 1})
            stored.add((pk, index + 1, None))
        elif rule == Budget.BallotRule.CUMULATIVE:
            points = vote.points[index]
            choices.append({"project": pk, "points": points})
            if points:  # the service leaves 0 points out
                stored.add((pk, None, points))
        else:
            choices.append({"project": pk})
            stored.add((pk, None, None))
    return {"choices": choices}, frozenset(stored)


def make_voters(count: int, prefix: str, neighbourhood_id, now) -> tuple[list, list[str]]:
    import datetime
    import secrets

    from django.conf import settings
    from django.contrib.auth.hashers import make_password

    from accounts.models import ApiToken, User
    from accounts.services import api_key_hash
    from participation.models import Profile

    password = make_password("vote-burst")  # one hash for all: PBKDF2 is the slow part
    users = User.objects.bulk_create(
        User(
            email=f"{prefix}{n}@exemple.fr",
            display_name=f"Votant {prefix}{n}",
            password=password,
            email_verified_at=now,
        )
        for n in range(count)
    )
    Profile.objects.bulk_create(
        Profile(
            user=user,
            neighbourhood_id=neighbourhood_id,
            birth_year=1970,
            charter_accepted_at=now,
        )
        for user in users
    )
    # The keys as accounts.services.api_token_create makes them, in one bulk insert.
    keys = [secrets.token_urlsafe(32) for _user in users]
    expires_at = now + datetime.timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)
    ApiToken.objects.bulk_create(
        ApiToken(user=user, prefix=key[:8], key_hash=api_key_hash(key), expires_at=expires_at)
        for user, key in zip(users, keys, strict=True)
    )
    return users, keys


def election(args) -> tuple[str, str]:
    """The pabulib election to replay: (its name, its text)."""
    if args.projects:
        from benchmarks.pb_synthetic import approval_election

        text = approval_election(args.projects, args.voters, seed=args.seed)
        return f"synthetic approval, {args.projects} projects, seed {args.seed}", text
    return args.file.name, args.file.read_text(encoding="utf-8-sig")


def prepare(name: str, text: str, args) -> Campaign:
    import datetime

    from django.db import connection
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from core.hosts import town_host
    from participation.budgets import pabulib, selectors
    from participation.budgets.importing import (
        campaign_budget,
        campaign_results,
        import_pabulib,
    )
    from participation.budgets.models import Ballot, Project
    from participation.models import Phase, Space
    from tenants.models import Tenant
    from tenants.services import town_create

    created = town_create(
        slug=TOWN_SLUG,
        name="Commune de banc d'essai (votes)",
        kind=Tenant.Kind.COMMUNE,
        population=50_000,
        status=Tenant.Status.ACTIVE,
    )
    instance = pabulib.parse(text, source=name)
    with tenant_context(created.tenant):
        started = time.perf_counter()
        component = import_pabulib(text, source=name)
        import_seconds = time.perf_counter() - started
        started = time.perf_counter()
        budget = campaign_budget(component.pk)
        reference = campaign_results(budget, rule="greedy").selected
        scores = {pk: score for pk, (_votes, score) in selectors.project_scores(budget).items()}
        imported = Ballot.objects.filter(budget=budget).count()
        if imported != len(instance.votes):
            raise RuntimeError(f"the import made {imported} ballots of {len(instance.votes)}")
        by_external = dict(Project.objects.filter(budget=budget).values_list("external_id", "pk"))
        # The HTTP replay starts from zero.
        Ballot.objects.filter(budget=budget).delete()
        now = timezone.now()
        Space.objects.filter(pk=component.space_id).update(
            status=Space.Status.PUBLISHED, published_at=now
        )
        Phase.objects.create(
            component=component,
            kind="vote",
            starts_at=now - datetime.timedelta(hours=1),
            ends_at=now + datetime.timedelta(days=1),
        )
        users, tokens = make_voters(len(instance.votes), "votant", budget.neighbourhood_id, now)
        bodies, expected = [], {}
        for user, vote in zip(users, instance.votes, strict=True):
            payload, stored = ballot_payload(budget.ballot_rule, vote, by_external)
            bodies.append(json.dumps(payload).encode())
            expected[user.pk] = stored
        _hammer, [hammer_token] = make_voters(1, "martele", budget.neighbourhood_id, now)
        probe_tokens = []
        if args.profile:
            _users, probe_tokens = make_voters(args.profile, "sonde", budget.neighbourhood_id, now)
        with connection.cursor() as cursor:
            bare_table_create(cursor)
        space_slug = Space.objects.get(pk=component.space_id).slug
        setup_seconds = time.perf_counter() - started
    connection.set_schema_to_public()
    return Campaign(
        host=town_host(TOWN_SLUG),
        vote_path=f"/api/v1/espaces/{space_slug}/budgets/{component.pk}/{budget.pk}/bulletin/",
        budget_id=budget.pk,
        ballot_rule=budget.ballot_rule,
        ballots=len(instance.votes),
        bodies=bodies,
        tokens=tokens,
        voter_ids=[user.pk for user in users],
        expected=expected,
        reference=reference,
        scores=scores,
        import_seconds=import_seconds,
        setup_seconds=setup_seconds,
        probe_tokens=probe_tokens,
        hammer_token=hammer_token,
    )


def hammer(port: int, campaign: Campaign) -> list[int]:
    """The statuses of one voter's HAMMER_REQUESTS ballots sent in a row."""
    statuses = []
    for _ in range(HAMMER_REQUESTS):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request(
                "POST",
                campaign.vote_path,
                body=b'{"choices": []}',
                headers={
                    "Host": campaign.host,
                    "Content-Type": "application/json",
                    "Authorization": f"Token {campaign.hammer_token}",
                },
            )
            response = conn.getresponse()
            response.read()
        finally:
            conn.close()
        statuses.append(response.status)
    return statuses


def verify(campaign: Campaign, bare_requests: int) -> list[str]:
    """What went wrong, in words (empty: every check passed)."""
    from collections import Counter, defaultdict

    from django.db import connection
    from django_tenants.utils import schema_context

    from participation.budgets import selectors
    from participation.budgets.importing import campaign_results
    from participation.budgets.models import Ballot, BallotChoice, Budget
    from tenants.services import schema_name_for

    problems = []
    with schema_context(schema_name_for(TOWN_SLUG)):
        budget = Budget.objects.get(pk=campaign.budget_id)
        rows = list(Ballot.objects.filter(budget=budget).values_list("voter_id", "voter_key"))
        if len(rows) != campaign.ballots:
            problems.append(f"{len(rows)} Ballot rows for {campaign.ballots} ballots in the file")
        per_voter = Counter(voter for voter, _key in rows)
        doubled = [voter for voter, count in per_voter.items() if count > 1]
        if doubled:
            problems.append(f"{len(doubled)} voters with more than one ballot")
        missing = set(campaign.voter_ids) - set(per_voter)
        if missing:
            problems.append(f"{len(missing)} voters without a ballot")
        strangers = set(per_voter) - set(campaign.voter_ids)
        if strangers:
            problems.append(f"{len(strangers)} ballots of accounts that are not voters")
        stored = defaultdict(set)
        for voter, project, rank, points in BallotChoice.objects.filter(
            ballot__budget=budget
        ).values_list("ballot__voter_id", "project_id", "rank", "points"):
            stored[voter].add((project, rank, points))
        wrong = [pk for pk, choices in campaign.expected.items() if stored.get(pk) != choices]
        if wrong:
            problems.append(f"{len(wrong)} ballots whose choices differ from what was sent")
        selected = campaign_results(budget, rule="greedy").selected
        if selected != campaign.reference:
            problems.append(f"greedy selection {selected} != import's {campaign.reference}")
        scores = {pk: score for pk, (_v, score) in selectors.project_scores(budget).items()}
        if scores != campaign.scores:
            problems.append(f"scores {scores} != import's {campaign.scores}")
        with connection.cursor() as cursor:
            rows_written = bare_rows(cursor)
        if rows_written != bare_requests:
            problems.append(f"{rows_written} bare rows for {bare_requests} answered bare requests")
    connection.set_schema_to_public()
    return problems


def run(name: str, text: str, args, environ: dict[str, str]) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from tenants.services import platform_tenant_ensure

    started = time.perf_counter()
    say(f"{name}: migrate_schemas, town, import")
    call_command("migrate_schemas", interactive=False, verbosity=0)
    platform_tenant_ensure()
    campaign = prepare(name, text, args)
    say(
        f"{campaign.ballots} ballots ({campaign.ballot_rule}), import {campaign.import_seconds:.2f}"
        f" s, voters + tokens {campaign.setup_seconds:.2f} s; greedy: {campaign.reference}"
    )
    profile = (
        profile_in_process(campaign, args, town_slug=TOWN_SLUG, bare_path=BARE_PATH)
        if args.profile
        else ""
    )
    connections.close_all()

    server = Gunicorn(environ, options=gunicorn_options(args))
    try:
        server.wait_ready(campaign.host)
        # Warm every worker up: the bare view, and the budgets API (GET: casts nothing).
        warm = burst(
            "warm-up",
            server.port,
            campaign.host,
            BARE_PATH,
            [b"{}"] * (4 * args.clients),
            campaign.tokens[: 4 * args.clients],
            clients=args.clients,
            timeout=args.timeout,
        )
        listing = campaign.vote_path.rsplit("/", 3)[0] + "/"
        for _ in range(4 * args.workers):
            status, _seconds = get(server.port, campaign.host, listing)
            if status != 200:
                raise RuntimeError(f"GET {listing} answered {status}")
        count = campaign.ballots
        bare_before = burst(
            "bare insert before",
            server.port,
            campaign.host,
            BARE_PATH,
            campaign.bodies,
            campaign.tokens,
            clients=args.clients,
            timeout=args.timeout,
        )
        say(f"bare insert (before): {bare_before.rps:.0f} req/s")
        votes = burst(
            "vote",
            server.port,
            campaign.host,
            campaign.vote_path,
            campaign.bodies,
            campaign.tokens,
            clients=args.clients,
            timeout=args.timeout,
        )
        say(f"votes: {votes.rps:.0f} ballots/s, {len(votes.errors)} errors")
        bare_after = burst(
            "bare insert after",
            server.port,
            campaign.host,
            BARE_PATH,
            campaign.bodies,
            campaign.tokens,
            clients=args.clients,
            timeout=args.timeout,
        )
        say(f"bare insert (after): {bare_after.rps:.0f} req/s")
        hammered = hammer(server.port, campaign)
        say(f"one voter, {HAMMER_REQUESTS} ballots in a row: {hammered}")
    finally:
        server.stop()
    bare_ok = warm.ok + bare_before.ok + bare_after.ok + campaign.probe_bare_rows
    problems = verify(campaign, bare_ok)
    if votes.answered < count:
        problems.append(f"only {votes.answered} of {count} votes sent before the timeout")
    if votes.errors:
        problems.append(f"{len(votes.errors)} vote requests failed")
    if bare_before.errors or bare_after.errors:
        problems.append("bare requests failed")
    if 429 not in hammered:
        problems.append(f"one voter hammering was never throttled: {hammered}")
    elif set(hammered[: hammered.index(429)]) != {400}:
        problems.append(f"one voter hammering got other answers than 400 then 429: {hammered}")
    return {
        "campaign": campaign,
        "votes": votes,
        "bare": Burst.combine("bare insert", [bare_before, bare_after]),
        "bare_runs": [bare_before, bare_after],
        "problems": problems,
        "hammered": hammered,
        "profile": profile,
        "seconds": time.perf_counter() - started,
    }


def report(name: str, results: dict, args, load_before: str, load_after: str) -> bool:
    campaign, votes, bare = results["campaign"], results["votes"], results["bare"]
    server = f"gunicorn {args.workers} {args.worker_class} workers"
    if args.worker_class == "gthread":
        server += f" x {args.threads} threads"
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"\nAgora vote burst — {when}, {platform.node()}, ", end="")
    print(f"{os.cpu_count()} CPU, Python {platform.python_version()}")
    print(f"election: {name} ({campaign.ballots} ballots, {campaign.ballot_rule})")
    print(
        f"{server}, DEBUG=False, 127.0.0.1; {args.clients} client threads (http.client "
        "keep-alive), token auth"
    )
    print(f"load average before: {load_before}; after: {load_after}")
    if print_results(votes, results["bare_runs"], bare, results["problems"], GOAL_RATIO):
        print(
            f"checks: {campaign.ballots} ballots, one per voter, choices as sent, no HTTP error; "
            f"greedy selection = import's ({len(campaign.reference)} projects) and scores equal; "
            f"one voter hammering: {results['hammered'].count(429)} of {HAMMER_REQUESTS} "
            "ballots in a row answered 429"
        )
    if results["profile"]:
        print(results["profile"])
    print(f"total {results['seconds']:.0f} s")
    return not results["problems"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path, nargs="?", help="a pabulib .pb file")
    parser.add_argument(
        "--projects", type=int, default=0, help="a synthetic approval budget of N projects"
    )
    parser.add_argument("--voters", type=int, default=1000, help="its ballots (with --projects)")
    parser.add_argument("--seed", type=int, default=17, help="its seed (with --projects)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--worker-class", choices=("sync", "gthread"), default="sync")
    parser.add_argument("--threads", type=int, default=4, help="threads a gthread worker")
    parser.add_argument("--timeout", type=float, default=600, help="seconds a burst at most")
    parser.add_argument(
        "--profile", type=profile_count, default=0, help="votes to profile in-process first"
    )
    args = parser.parse_args()
    if (args.file is None) == (not args.projects):
        parser.error("give a pabulib file or --projects N, not both")
    if args.file is not None and not args.file.is_file():
        parser.error(f"{args.file}: no such file")
    if args.projects < 0 or (args.projects and args.voters < 1):
        parser.error("projects and voters must be positive")
    if min(args.clients, args.workers, args.threads) < 1 or args.timeout <= 0:
        parser.error("clients, workers, threads and timeout must be positive")

    from config.services import ServiceUnavailable, ensure

    try:
        urls = ensure()
    except ServiceUnavailable as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 3

    workdir = Path(tempfile.mkdtemp(prefix="agora-bench-votes-"))
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
        name, text = election(args)
        results = run(name, text, args, environ)

    load_after = " ".join(f"{value:.2f}" for value in os.getloadavg())
    return 0 if report(name, results, args, load_before, load_after) else 1


if __name__ == "__main__":
    sys.exit(main())
