"""Time Agora's tallies from the database (as ``pb_results`` does) against pabutools.

    .venv/bin/python benchmarks/pb_tally.py /work/shared/pabulib/*.pb
    .venv/bin/python benchmarks/pb_tally.py --paris            # + 215,000 voters × 300 projects
    .venv/bin/python benchmarks/pb_tally.py --paris --kinds approval --voters 8500 --projects 85
    .venv/bin/python benchmarks/pb_tally.py --rules-only /work/shared/pabulib/*.pb
    # --voters N --projects N --seed N --pabutools-timeout S --profile

Default: a database of the benchmark's own (``agora_bench_tally``, created fresh, dropped at the
end; Redis database 10), one town; every election imported into a budget with
``importing.import_pabulib`` (the files given, and with ``--paris`` two synthetic elections of
Paris's size, approval and ranked, generated from ``--seed``). Then, in turns:

- ours: ``importing.campaign_results(budget, rule=...)``, what ``pb_results`` prints, from the
  database to the list of selected pabulib ids: reading the projects, the ballots (or the
  scores), the tally. **cold**: the cache emptied before each run (not timed), so every run reads
  the ballots; **warm**: the results of the previous run are in the cache (one prepared
  statement, ``ballot_box.campaign_version``, then the process's LRU);
- pabutools: ``greedy_utilitarian_welfare`` / ``method_of_equal_shares(sat_class=Cost_Sat)``
  on the (instance, profile) it parsed from the same text, in memory: its time includes
  building its satisfaction profile (its rules do it on every call), not parsing. On the large
  synthetic elections it is also given its approval fast path (the profile turned into an
  ``ApprovalMultiProfile``, identical ballots merged, conversion untimed) and a timeout: it then
  runs in a forked child and, past the timeout, is reported as "> timeout".

The selections must be identical (the script stops if not). The machine is shared: the load
average is printed before and after; compare ratios measured in one run.

``--rules-only``: the older comparison, rules only on the parsed files (no database).
"""

from __future__ import annotations

import argparse
import datetime
import multiprocessing
import os
import random
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pabutools.election import AdditiveSatisfaction, Cost_Sat
from pabutools.election.pabulib import parse_pabulib_from_string
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

from benchmarks.support import bench_environment, say
from participation.budgets import pabulib, tally
from participation.budgets.pabulib import PabulibInstance, ProjectRow, VoteRow, parse

MIN_SECONDS = 1.0
MIN_RUNS = 5
BENCH_DATABASE = "agora_bench_tally"
BENCH_REDIS_DB = 10
CACHE_PREFIX = "agora-bench-tally"
TOWN_SLUG = "bench-depouillement"


def measure(*functions, min_seconds: float = MIN_SECONDS, min_runs: int = MIN_RUNS, before=None):
    """[(median seconds, runs, last result)] per function. The functions run in turn (ours,
    pabutools, ours, ...) so that both see the same load; each runs at least ``min_runs``
    times and until it has run ``min_seconds`` in all. ``before[i]()``, if given, runs
    (untimed) before each run of function i."""
    times: list[list[float]] = [[] for _ in functions]
    results: list[object] = [None] * len(functions)
    while True:
        pending = [
            i for i, spent in enumerate(times) if len(spent) < min_runs or sum(spent) < min_seconds
        ]
        if not pending:
            break
        for i in pending:
            if before and before[i]:
                before[i]()
            started = time.perf_counter()
            results[i] = functions[i]()
            times[i].append(time.perf_counter() - started)
    return [
        (statistics.median(spent), len(spent), result)
        for spent, result in zip(times, results, strict=True)
    ]


def score_sat_class(instance: PabulibInstance):
    """pabutools satisfaction whose greedy density (satisfaction / cost) is our score."""
    if instance.vote_type == "approval":
        return Cost_Sat
    k = int(instance.meta.get("max_length") or max(len(v.projects) for v in instance.votes))
    ordinal = instance.vote_type == "ordinal"

    def func(_instance, _profile, ballot, project, _precomputed):
        if ordinal:
            value = k - ballot.position(project) if project in ballot else 0
        else:
            value = ballot.get(project, 0)
        return value * project.cost

    class ScoreSat(AdditiveSatisfaction):
        def __init__(self, inst, profile, ballot):
            super().__init__(inst, profile, ballot, func)

    return ScoreSat


def pabutools_rules(instance: PabulibInstance, reference, profile):
    """{rule: function giving pabutools' selection as ids} on its parsed (instance, profile)."""
    sat = score_sat_class(instance)
    return {
        "greedy": lambda: [
            p.name for p in greedy_utilitarian_welfare(reference, profile, sat_class=sat)
        ],
        "MES": lambda: [
            p.name for p in method_of_equal_shares(reference, profile, sat_class=Cost_Sat)
        ],
    }


# ---------------------------------------------------------------------------- synthetic elections


def synthetic(kind: str, *, voters: int, projects: int, seed: int) -> str:
    """A pabulib text of a city-wide election: ``projects`` projects whose costs spread from
    €5,000 to €2,000,000 (log-uniform), a budget of a quarter of their total, a popularity
    skewed as Zipf (the i-th most popular weighs 1 / i^0.9, drawn independently of the cost),
    ``voters`` ballots of 1 to 10 projects (most of 2 to 6), each project drawn by popularity
    without replacement; ``ranked``: the ballot's order is the drawing order (ordinal, k = 10),
    else approval. Same seed, same text."""
    rng = random.Random(f"{seed}:{kind}")
    ids = [str(n) for n in range(1, projects + 1)]
    costs = {pid: round(5_000 * 400 ** rng.random(), -2) for pid in ids}
    order = ids[:]
    rng.shuffle(order)
    weights = [1 / rank**0.9 for rank in range(1, projects + 1)]
    cumulative, total = [], 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    lengths = list(range(1, 11))
    length_weights = [6, 12, 16, 16, 14, 11, 9, 7, 5, 4]
    votes = []
    for voter in range(1, voters + 1):
        size = rng.choices(lengths, length_weights)[0]
        chosen: list[str] = []
        while len(chosen) < size:
            pid = order[min(_bisect(cumulative, rng.random() * total), projects - 1)]
            if pid not in chosen:
                chosen.append(pid)
        if kind != "ranked":
            chosen.sort(key=int)
        votes.append(VoteRow(voter_id=str(voter), projects=chosen))
    meta = {
        "description": f"Synthetic {kind} election, seed {seed}",
        "country": "France",
        "unit": "Paris (synthetic)",
        "instance": "2026",
        "num_projects": str(projects),
        "num_votes": str(voters),
        "budget": str(sum(costs.values()) // 4),
        "vote_type": "ordinal" if kind == "ranked" else "approval",
        "rule": "greedy",
        "min_length": "1",
        "max_length": "10",
    }
    instance = PabulibInstance(
        meta=meta,
        projects={pid: ProjectRow(project_id=pid, cost=costs[pid]) for pid in ids},
        votes=votes,
        project_columns=["project_id", "cost"],
        vote_columns=["voter_id", "vote"],
    )
    return pabulib.write(instance)


def _bisect(cumulative: list[float], value: float) -> int:
    from bisect import bisect_right

    return bisect_right(cumulative, value)


# ------------------------------------------------------------------------------- rules only


def bench_file_rules(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    ours = parse(text, source=path.name)  # parsed once, outside the timings
    reference, profile = parse_pabulib_from_string(text)
    theirs = pabutools_rules(ours, reference, profile)
    rows = []
    for rule, mine in in_memory_rules(ours).items():
        (our_time, our_runs, our_result), (their_time, their_runs, their_result) = measure(
            mine, theirs[rule]
        )
        check(path.name, rule, our_result, their_result)
        rows.append(
            row(path.name, ours, rule, our_time, our_runs, their_time, their_runs, our_result)
        )
    return rows


def in_memory_rules(instance: PabulibInstance):
    """{rule: function giving our selection} from the parsed file (no database)."""
    costs, budget = instance.costs, instance.budget
    return {
        "greedy": lambda: tally.greedy(costs, tally.scores(instance), budget),
        "MES": lambda: tally.method_of_equal_shares(costs, tally.approval_sets(instance), budget),
    }


def check(name: str, rule: str, ours, theirs) -> None:
    if theirs is not None and ours != theirs:
        raise SystemExit(
            f"{name} {rule}: selections differ\n ours:      {ours}\n pabutools: {theirs}"
        )


def row(name, instance, rule, our_time, our_runs, their_time, their_runs, selected, **extra):
    return {
        "file": name,
        "type": instance.vote_type,
        "ballots": len(instance.votes),
        "projects": len(instance.projects),
        "rule": rule,
        "ours": our_time,
        "our_runs": our_runs,
        "theirs": their_time,
        "their_runs": their_runs,
        "ratio": their_time / our_time if their_time else None,
        "selected": len(selected),
        **extra,
    }


# ------------------------------------------------------------------------------- from the database


def timed_in_child(function, timeout: float):
    """(seconds, result) of ``function()`` run in a forked child (which inherits the parsed
    profile), or (None, None) past ``timeout`` seconds (the child is then killed)."""
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)

    def target():
        started = time.perf_counter()
        result = function()
        child.send((time.perf_counter() - started, result))

    process = context.Process(target=target)
    process.start()
    answer = parent.recv() if parent.poll(timeout) else (None, None)
    if process.is_alive():
        process.kill()
    process.join()
    return answer


def bench_election(name: str, text: str, args) -> list[dict]:
    from django.db import connection

    from participation.budgets.importing import campaign_budget, campaign_results, import_pabulib

    ours = parse(text, source=name)
    started = time.perf_counter()
    large = len(ours.votes) > args.large
    if large:  # the projects by the import, the ballots by COPY (minutes faster)
        component = import_pabulib(pabulib.write(replace(ours, votes=[])), source=name)
        copy_ballots(campaign_budget(component.pk), ours)
    else:
        component = import_pabulib(text, source=name)
    say(f"{name}: {len(ours.votes)} ballots loaded in {time.perf_counter() - started:.1f} s")
    budget = campaign_budget(component.pk)
    # After a bulk load autovacuum vacuums (insert threshold) and analyses the tables: the
    # statistics, and the visibility map that lets the tallies read the ballots from indexes
    # alone. Done here at once rather than waiting for it.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    reference, profile = parse_pabulib_from_string(text)
    theirs = pabutools_rules(ours, reference, profile)
    rows = []
    for rule in ("greedy", "MES"):
        key = "mes" if rule == "MES" else "greedy"

        def from_db(key=key):
            return campaign_results(budget, rule=key).selected

        if args.profile:
            forget()
            print(profile_call(f"{name} {rule} (cold)", from_db), file=sys.stderr)
        if large:
            (cold, cold_runs, selected), (warm, warm_runs, _w) = measure(
                from_db,
                from_db,
                min_runs=args.large_runs,
                min_seconds=0,
                before=[forget, None],
            )
            their_time, result = timed_in_child(theirs[rule], args.pabutools_timeout)
            their_runs = 1
            fast, fast_result = fast_path(ours, reference, profile, rule, args.pabutools_timeout)
            check(f"{name} (multiprofile)", rule, selected, fast_result)
        else:
            (cold, cold_runs, selected), (warm, warm_runs, _w), (their_time, their_runs, result) = (
                measure(from_db, from_db, theirs[rule], before=[forget, None, None])
            )
            fast = None
        check(name, rule, selected, result)
        if result is None:  # pabutools timed out: at least the same as our rules in memory
            check(f"{name} (our rules in memory)", rule, selected, in_memory_rules(ours)[rule]())
        rows.append(
            row(
                name,
                ours,
                rule,
                cold,
                cold_runs,
                their_time,
                their_runs,
                selected,
                warm=warm,
                warm_runs=warm_runs,
                fast=fast,
                fast_ran=large and ours.vote_type == "approval",
                timeout=args.pabutools_timeout,
            )
        )
        print_row(rows[-1])
    return rows


def forget() -> None:
    """Nothing cached: the next tally reads the ballots."""
    from django.core.cache import cache

    from participation.budgets import ballot_box

    cache.clear()  # the benchmark's own Redis database
    ballot_box.forget_local()


def copy_ballots(budget, instance: PabulibInstance) -> None:
    """The instance's ballots into the budget as ``import_pabulib`` writes them (ranks for
    ordinal ballots, points for cumulative ones), by two COPYs."""
    from django.db import connection, transaction
    from django.utils import timezone

    from participation.budgets.models import Ballot, BallotChoice, Project, new_receipt

    projects = dict(Project.objects.filter(budget=budget).values_list("external_id", "pk"))
    ranked = instance.vote_type == "ordinal"
    now = timezone.now()
    ballots, choices = Ballot._meta.db_table, BallotChoice._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {ballots}")
        first = cursor.fetchone()[0] + 1
        raw = cursor.cursor
        columns = "id, budget_id, voter_key, receipt, source, census_digest, fields, created_at, "
        with raw.copy(f"COPY {ballots} ({columns}updated_at) FROM STDIN") as copy:
            for offset, vote in enumerate(instance.votes):
                copy.write_row(
                    (
                        first + offset,
                        budget.pk,
                        f"pb:{vote.voter_id}",
                        new_receipt(),
                        Ballot.Source.IMPORT,
                        "",
                        "{}",
                        now,
                        now,
                    )
                )
        with raw.copy(f"COPY {choices} (ballot_id, project_id, rank, points) FROM STDIN") as copy:
            for offset, vote in enumerate(instance.votes):
                for index, pid in enumerate(vote.projects):
                    points = vote.points[index] if vote.points is not None else None
                    copy.write_row(
                        (first + offset, projects[pid], index + 1 if ranked else None, points)
                    )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
            [ballots, first + len(instance.votes)],
        )


def fast_path(ours, reference, profile, rule: str, timeout: float):
    """pabutools on its ``ApprovalMultiProfile`` (identical ballots merged; the conversion is
    not timed), approval elections only: (seconds, selection), (None, None) past the timeout."""
    if ours.vote_type != "approval":
        return None, None
    multi = profile.as_multiprofile()
    sat = Cost_Sat
    if rule == "greedy":

        def function():
            return [p.name for p in greedy_utilitarian_welfare(reference, multi, sat_class=sat)]
    else:

        def function():
            return [p.name for p in method_of_equal_shares(reference, multi, sat_class=sat)]

    return timed_in_child(function, timeout)


def profile_call(title: str, function) -> str:
    """Where one run of ``function`` spends its time: SQL (each statement's time, through an
    execute wrapper) and the Python functions (cProfile, by own time)."""
    import cProfile
    import io
    import pstats

    from django.db import connection

    statements: list[tuple[float, str]] = []

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append((time.perf_counter() - started, sql))

    profiler = cProfile.Profile()
    started = time.perf_counter()
    with connection.execute_wrapper(wrapper):
        profiler.enable()
        function()
        profiler.disable()
    total = time.perf_counter() - started
    out = io.StringIO()
    sql = sum(seconds for seconds, _sql in statements)
    out.write(f"## {title}: {total * 1000:.1f} ms under cProfile, SQL {sql * 1000:.1f} ms in ")
    out.write(f"{len(statements)} statements\n")
    for seconds, statement in sorted(statements, reverse=True)[:4]:
        out.write(f"   {seconds * 1000:8.1f} ms  {statement[:110]}\n")
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(8)
    return "\n".join(
        line for line in out.getvalue().splitlines() if line.strip() and "Ordered by" not in line
    )


def run_database(elections: list[tuple[str, str]], args) -> list[dict]:
    import django

    django.setup()
    from django.core.management import call_command
    from django_tenants.utils import tenant_context

    from tenants.models import Tenant
    from tenants.services import platform_tenant_ensure, town_create

    say("migrate_schemas, town")
    call_command("migrate_schemas", interactive=False, verbosity=0)
    platform_tenant_ensure()
    created = town_create(
        slug=TOWN_SLUG,
        name="Commune de banc d'essai (dépouillement)",
        kind=Tenant.Kind.COMMUNE,
        population=2_100_000,
        status=Tenant.Status.ACTIVE,
    )
    rows = []
    with tenant_context(created.tenant):
        for name, text in elections:
            rows.extend(bench_election(name, text, args))
    return rows


# ------------------------------------------------------------------------------------- report


def header(database: bool) -> None:
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"# {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, load average {load}")
    what = "from the database (campaign_results)" if database else "rules only, parsing untimed"
    print(f"# {os.cpu_count()} CPUs, Python {sys.version.split()[0]}; ours {what}")
    print()
    if database:
        print(
            "| election | ballots × projects | rule | ours cold | ours warm | pabutools "
            "| ratio cold | ratio warm | pabutools multiprofile | same selection |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|")
    else:
        columns = ("file", "ballots × projects", "rule", "ours (median)", "pabutools (median)")
        print("| " + " | ".join((*columns, "ratio", "same selection")) + " |")
        print("|---|---|---|---|---|---|---|")


def _ms(seconds: float | None, runs=None, timeout=None) -> str:
    if seconds is None:
        return f"> {timeout:.0f} s (timeout)" if timeout else "–"
    text = f"{seconds * 1000:.2f} ms" if seconds < 1 else f"{seconds:.2f} s"
    return f"{text} ({runs} runs)" if runs else text


def print_row(row: dict) -> None:
    election = f"{row['file']} ({row['type']}) | {row['ballots']} × {row['projects']}"
    if "warm" not in row:
        print(
            f"| {election} | {row['rule']} | {_ms(row['ours'], row['our_runs'])} "
            f"| {_ms(row['theirs'], row['their_runs'])} | **{row['ratio']:.0f}×** "
            f"| yes ({row['selected']} projects) |",
            flush=True,
        )
        return
    timeout = row["timeout"]
    if row["theirs"] is None:
        bound = timeout
        cold = f"> {bound / row['ours']:.0f}×"
        warm = f"> {bound / row['warm']:.0f}×"
        same = f"= our rules in memory ({row['selected']} projects)"
    else:
        cold = f"**{row['ratio']:.0f}×**"
        warm = f"{row['theirs'] / row['warm']:.0f}×"
        same = f"yes ({row['selected']} projects)"
    print(
        f"| {election} | {row['rule']} | {_ms(row['ours'], row['our_runs'])} "
        f"| {_ms(row['warm'], row['warm_runs'])} "
        f"| {_ms(row['theirs'], row['their_runs'], timeout)} | {cold} | {warm} "
        f"| {_ms(row['fast'], None, timeout) if row['fast_ran'] else '–'} | {same} |",
        flush=True,
    )


def summary(rows: list[dict], *, database: bool) -> None:
    for rule in ("greedy", "MES"):
        ratios = [row["ratio"] for row in rows if row["rule"] == rule and row["ratio"]]
        if ratios:
            print(
                f"\n{rule}: ratio min {min(ratios):.0f}×, "
                f"geometric mean {statistics.geometric_mean(ratios):.0f}×"
                + (" (cold, pabutools finished)" if database else ""),
                end="",
            )
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"\n# load average after: {load}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="pabulib .pb files")
    parser.add_argument("--rules-only", action="store_true", help="rules only, no database")
    parser.add_argument("--paris", action="store_true", help="add the Paris-size elections")
    parser.add_argument("--kinds", default="approval,ranked", help="of --paris elections")
    parser.add_argument("--voters", type=int, default=215_000)
    parser.add_argument("--projects", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--pabutools-timeout", type=float, default=600.0, help="seconds")
    parser.add_argument("--large", type=int, default=50_000, help="ballots above which …")
    parser.add_argument("--large-runs", type=int, default=3, help="… our runs (pabutools once)")
    parser.add_argument("--profile", action="store_true", help="cProfile one cold run each")
    parser.add_argument("--database", default=BENCH_DATABASE, help="(to run two at once)")
    parser.add_argument("--redis-db", type=int, default=BENCH_REDIS_DB)
    args = parser.parse_args(argv)

    if args.rules_only:
        header(database=False)
        rows = [entry for path in args.files for entry in bench_file_rules(path)]
        for entry in rows:
            print_row(entry)
        summary(rows, database=False)
        return 0

    elections = [(path.name, path.read_text(encoding="utf-8")) for path in args.files]
    if args.paris:
        for kind in args.kinds.split(","):
            started = time.perf_counter()
            text = synthetic(kind, voters=args.voters, projects=args.projects, seed=args.seed)
            elections.append(
                (f"synthetic-{kind}-{args.voters}x{args.projects}-seed{args.seed}", text)
            )
            say(f"synthetic {kind}: generated in {time.perf_counter() - started:.1f} s")
    if not elections:
        parser.error("no election: give .pb files and/or --paris")

    from config.services import ServiceUnavailable, ensure

    try:
        urls = ensure()
    except ServiceUnavailable as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 3
    header(database=True)
    with bench_environment(
        urls,
        settings_module="config.settings.local",
        database=args.database,
        redis_db=args.redis_db,
        cache_prefix=f"{CACHE_PREFIX}-{args.database}",
    ):
        rows = run_database(elections, args)
    summary(rows, database=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
