"""The ballots as the tallies read them: in one query each, in a compact form, and their
version, under which tally results are cached.

- ``project_scores``-like aggregates and :func:`distinct_ballots` are single statements: the
  database groups identical ballots (``array_agg`` of a ballot's project ids, then ``GROUP BY``
  that array), so Python receives each distinct ballot once with how many voters cast it, and
  the tallies (greedy on scores, the Method of Equal Shares with weights) work on those.
- :func:`projects_and_version` reads the budget's projects and, in the same statement, the
  *version* of its ballots: their number and a sum of hashes of (id, receipt, last change) of
  each ballot. Casting, changing (a new receipt and ``updated_at``) or deleting any ballot
  changes it, whatever the order in which concurrent transactions commit, and whichever code
  wrote (the vote, paper ballots, imports, a deleted budget's cascade). A secret budget's
  ballots cannot change once cast: its version is the number of ballots in its box and a sum
  of hashes of their receipts (the pool's included: a flush moving them leaves it unchanged).
- :func:`campaign_version` is what ``pb_results``'s selection depends on in the database, in
  one prepared statement: a digest of the projects (id, cost, pabulib id) and the ballots'
  version. A command asking again for an unchanged campaign pays that statement only.
- :func:`cached` keeps a result under a key made of that version and everything else it
  depends on (costs, amount, rule, the town's decisions...): in the shared cache (Redis, keys
  per town) and, in front of it, a small in-process LRU (a hit then costs no round trip). An
  entry is never stale: a new ballot is a new version, hence a new key; old entries expire.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from django.core.cache import cache
from django.db import connection
from django.db.models.expressions import RawSQL

from participation import secret_ballots

from . import secret
from .models import Ballot, BallotChoice, Budget, Project

T = TypeVar("T")
CACHE_SECONDS = 24 * 3600
LOCAL_ENTRIES = 128
_local: OrderedDict[str, object] = OrderedDict()
_local_lock = threading.Lock()


def _version_sql(budget: Budget) -> tuple[str, list]:
    if budget.secret_ballot:
        sql, params = secret_ballots.box_version_sql(box=secret.box(budget))
        return f"SELECT 's' || ({sql})", params
    quote = connection.ops.quote_name
    ballot = Ballot._meta
    column = {
        name: quote(ballot.get_field(name).column) for name in ("id", "receipt", "updated_at")
    }
    return (
        f"SELECT count(*)::text || ':' || coalesce(sum(hashtextextended("  # noqa: S608
        f"{column['id']}::text || ':' || {column['receipt']} || ':' || "
        f"{column['updated_at']}::text, 0)), 0)::text FROM {quote(ballot.db_table)} "
        f"WHERE {quote(ballot.get_field('budget').column)} = %s",
        [budget.pk],
    )


def ballot_version(budget: Budget) -> str:
    """The version of the budget's ballots (see the module's docstring), in one query."""
    sql, params = _version_sql(budget)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def counted(version: str) -> int:
    """The number of ballots a version was read from."""
    return int(version.removeprefix("s").partition(":")[0])


def projects_and_version(budget: Budget) -> tuple[list[Project], str]:
    """The budget's projects (in their order) and its ballots' version, in one statement (the
    version is an uncorrelated subquery: computed once)."""
    sql, params = _version_sql(budget)
    projects = list(
        Project.objects.filter(budget=budget)
        .annotate(ballots_version=RawSQL(sql, params))  # noqa: S611 (our SQL, values as params)
        .order_by("position", "pk")
    )
    version = projects[0].ballots_version if projects else ballot_version(budget)
    return projects, version


def campaign_version(budget: Budget) -> str:
    """A digest of the budget's projects (id, cost, pabulib id) and its ballots' version, in
    one statement that PostgreSQL keeps prepared (no ORM, no plan at each call)."""
    sql, params = _version_sql(budget)
    quote = connection.ops.quote_name
    project = Project._meta
    column = {
        name: quote(project.get_field(name).column)
        for name in ("id", "cost", "external_id", "position", "budget")
    }
    projects = (
        f"SELECT md5(coalesce(string_agg(concat_ws(':', {column['id']}, {column['cost']}, "  # noqa: S608
        f"{column['external_id']}), ',' ORDER BY {column['position']}, {column['id']}), '')) "
        f"FROM {quote(project.db_table)} WHERE {column['budget']} = %s"
    )
    with connection.prepared_cursor() as cursor:
        cursor.execute(f"SELECT ({projects}) || '/' || ({sql})", [budget.pk, *params])
        return cursor.fetchone()[0]


def distinct_ballots(budget: Budget) -> list[tuple[tuple[int, ...], int]]:
    """Every distinct ballot as (its project ids, sorted; how many voters cast it), in one
    query. Ballots naming nothing count too (an empty tuple): each is a voter holding a share
    in the Method of Equal Shares. For approval sets only: ranks and points are left out."""
    if budget.secret_ballot:
        return secret.distinct_ballots(budget)
    quote = connection.ops.quote_name
    ballot, choice = Ballot._meta, BallotChoice._meta
    pk = quote(ballot.pk.column)
    project = quote(choice.get_field("project").column)
    sql = (
        f"SELECT projects, count(*) FROM (SELECT coalesce(array_agg(c.{project} "  # noqa: S608
        f"ORDER BY c.{project}) FILTER (WHERE c.{project} IS NOT NULL), '{{}}') AS projects "
        f"FROM {quote(ballot.db_table)} b LEFT JOIN {quote(choice.db_table)} c "
        f"ON c.{quote(choice.get_field('ballot').column)} = b.{pk} "
        f"WHERE b.{quote(ballot.get_field('budget').column)} = %s GROUP BY b.{pk}) AS ballot "
        "GROUP BY projects"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [budget.pk])
        return [(tuple(projects), count) for projects, count in cursor.fetchall()]


def cached(budget: Budget, version: str, parts: Sequence, compute: Callable[[], T]) -> T:
    """``compute()``, kept under (``budget``, ``version``, ``parts``): ``parts`` must name
    everything else the result depends on. Values are shared: callers must not change them."""
    digest = hashlib.sha256(repr((version, *parts)).encode()).hexdigest()[:40]
    key = f"budgets:tally:{budget.pk}:{digest}"  # the cache's key function adds the town
    local_key = f"{connection.schema_name}:{key}"
    with _local_lock:
        if local_key in _local:
            _local.move_to_end(local_key)
            return _local[local_key]  # type: ignore[return-value]
    value = cache.get(key)
    if value is None:
        with _cyclic_collector_paused():
            value = compute()
        cache.set(key, value, CACHE_SECONDS)
    with _local_lock:
        _local[local_key] = value
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)
    return value


@contextlib.contextmanager
def _cyclic_collector_paused() -> Iterator[None]:
    """A tally reads and builds tens of thousands of small tuples and sets, none in a cycle
    (freed by their reference counts). Their number alone set off Python's cyclic collector,
    which went through every object of the process several times a tally: a third of a cold
    tally of 65,000 ballots (docs/benchmarks.md)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def forget_local() -> None:
    """Empty this process's LRU (the shared cache keeps its entries): for benchmarks timing a
    first read."""
    with _local_lock:
        _local.clear()
