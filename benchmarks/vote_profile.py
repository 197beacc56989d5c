"""``vote_burst.py --profile N``: N ballots cast in-process (django.test.Client, middleware
included) under cProfile, with the SQL time measured apart, to show where a vote's time goes."""

from __future__ import annotations

import statistics
import time

# The steps of a vote that --profile breaks the time into (pstats restriction on names).
STEPS = (
    r"\((post|budget_payload|component|budget_in|budget_for_page|cached_budget|ballot_of|"
    r"ballot_cast|ballot_record|ensure_perm|why_not|validate_choices|insert_first_ballot|"
    r"authenticate|authenticate_credentials|component_for_page|"
    r"process_request|has_perm|render|finalize_response|is_valid|contribution_refusal|"
    r"perform_authentication|check_permissions|__call__)\)"
)


def profile_in_process(campaign, args, *, town_slug: str, bare_path: str) -> str:
    """Cast ``--profile`` ballots in-process (middleware included) under cProfile; the SQL
    time is measured apart with an execute wrapper. Their ballots are deleted afterwards."""
    import cProfile
    import io
    import pstats
    import re
    from collections import defaultdict

    from django.db import connection
    from django.test import Client
    from django_tenants.utils import schema_context

    from participation.budgets.models import Ballot
    from tenants.services import schema_name_for

    sql: dict[str, list[float]] = defaultdict(list)

    def timed(execute, query, params, many, context):
        before = time.perf_counter()
        try:
            return execute(query, params, many, context)
        finally:
            shape = re.sub(r"\s+", " ", query)[:110]
            sql[shape].append(time.perf_counter() - before)

    client = Client(HTTP_HOST=campaign.host)
    tokens = campaign.probe_tokens
    body = campaign.bodies[0]
    # Warm-up (imports, URL resolver, content types): the first probe.
    client.post(
        campaign.vote_path,
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {tokens[0]}",
    )

    def cast(token: str) -> int:
        return client.post(
            campaign.vote_path,
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {token}",
        ).status_code

    # First half without the profiler (its overhead doubles Python's time): time and SQL.
    plain = tokens[1 : 1 + (len(tokens) - 1) // 2]
    statuses = []
    with connection.execute_wrapper(timed):
        started = time.perf_counter()
        statuses += [cast(token) for token in plain]
        plain_wall = time.perf_counter() - started
    plain_sql = sum(sum(times) for times in sql.values())
    plain_queries = sum(len(times) for times in sql.values())
    sql.clear()
    # The bare insert view, in-process too, for comparison.
    client.post(bare_path, body, content_type="application/json")
    bare_count = max(len(plain), 10)
    with connection.execute_wrapper(timed):
        started = time.perf_counter()
        for _ in range(bare_count):
            client.post(bare_path, body, content_type="application/json")
        bare_wall = time.perf_counter() - started
    bare_sql = sum(sum(times) for times in sql.values())
    bare_queries = sum(len(times) for times in sql.values())
    campaign.probe_bare_rows = bare_count + 1
    sql.clear()
    profiler = cProfile.Profile()
    profiled = tokens[1 + len(plain) :]
    started = time.perf_counter()
    with connection.execute_wrapper(timed):
        profiler.enable()
        statuses += [cast(token) for token in profiled]
        profiler.disable()
    wall = time.perf_counter() - started
    casts = len(profiled)
    with schema_context(schema_name_for(town_slug)):
        Ballot.objects.filter(budget_id=campaign.budget_id, voter_key__isnull=False).exclude(
            voter_id__in=campaign.voter_ids
        ).delete()
    connection.set_schema_to_public()
    out = io.StringIO()
    sql_total = sum(sum(times) for times in sql.values())
    queries = sum(len(times) for times in sql.values())
    out.write(
        f"\nIn-process, no profiler (django.test.Client, middleware included):\n"
        f"  vote: {plain_wall / len(plain) * 1000:.1f} ms a request, "
        f"{plain_queries / len(plain):.1f} SQL statements, SQL (round trips included) "
        f"{plain_sql / len(plain) * 1000:.1f} ms\n"
        f"  bare insert: {bare_wall / bare_count * 1000:.1f} ms a request, "
        f"{bare_queries / bare_count:.1f} SQL statements, SQL "
        f"{bare_sql / bare_count * 1000:.1f} ms\n"
        f"  (transactions' BEGIN/COMMIT are not counted as statements)"
    )
    out.write(
        f"\nIn-process profile: {casts} votes, statuses {sorted(set(statuses))}, "
        f"{wall / casts * 1000:.1f} ms a vote (under cProfile), "
        f"{queries / casts:.1f} SQL queries a vote, SQL {sql_total / casts * 1000:.1f} ms "
        f"a vote ({sql_total / wall:.0%} of the time)\n"
    )
    out.write("SQL statements per vote (mean ms each):\n")
    for shape, times in sorted(sql.items(), key=lambda item: -sum(item[1])):
        out.write(f"  {len(times) / casts:4.1f} x {statistics.mean(times) * 1000:6.2f}  {shape}\n")
    for sort in ("tottime", "cumulative"):
        stats = pstats.Stats(profiler, stream=out)
        stats.strip_dirs().sort_stats(sort).print_stats(25 if sort == "tottime" else 45)
    # The steps of a vote, cumulative (ms in the table are for all the profiled votes).
    stats.sort_stats("cumulative").print_stats(STEPS)
    return out.getvalue()
