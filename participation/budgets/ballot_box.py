"""The ballots as the tallies read them: in one query each, in a compact form, and their
version, under which tally results are cached.

- ``project_scores``-like aggregates and :func:`supporters` are single statements: greedy
  reads one score per project; the Method of Equal Shares reads, for each project, the ballots
  naming it as one binary array (:class:`Supporters`), which ``tally.equal_shares`` takes as
  it is.
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
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
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


@dataclass(frozen=True)
class Supporters:
    """The ballots as the Method of Equal Shares reads them (``tally.equal_shares``): for each
    project of the budget, the ids of the ballots naming it; ``voters``, every ballot cast
    (those naming nothing hold a share too); with ``weights``, the ids are the box's distinct
    ballots numbered from 0, each cast ``weights[id]`` times."""

    by_project: dict[int, np.ndarray]
    voters: int
    weights: np.ndarray | None = None


# PostgreSQL's binary form of a bigint[] (array_send, its wire format): three 4-byte header
# fields (dimensions, null flag, element type), then per dimension its length and lower bound,
# then each element as its 4-byte length and 8 bytes, all big-endian.
_ARRAY_FIELD = np.dtype(">i4")
_ARRAY_ITEM = np.dtype([("length", ">i4"), ("value", ">i8")])
_INT8_OID = 20


def _bigints(sent: bytes) -> np.ndarray:
    """The integers of a one-dimensional bigint[] as array_send gives it."""
    dimensions, _nulls, element = np.frombuffer(sent, _ARRAY_FIELD, 3).tolist()
    if dimensions == 0:
        return np.empty(0, np.int64)
    length = int(np.frombuffer(sent, _ARRAY_FIELD, 1, offset=12)[0])
    if dimensions != 1 or element != _INT8_OID or len(sent) != 20 + 12 * length:
        raise ValueError("array_send: un tableau bigint[] à une dimension était attendu")
    return np.frombuffer(sent, _ARRAY_ITEM, offset=20)["value"].astype(np.int64)


def supporters(budget: Budget) -> Supporters:
    """For each project of the budget, the ballots naming it, in one statement: an index-only
    scan of ``budgets_choice_by_project`` per project, each list sent as one binary array
    that numpy reads as it is (no Python integer per choice), and the number of ballots."""
    if budget.secret_ballot:
        return _secret_supporters(budget)
    quote = connection.ops.quote_name
    ballot, choice, project = Ballot._meta, BallotChoice._meta, Project._meta
    sql = (
        f"SELECT p.{quote(project.pk.column)}, array_send(ARRAY(SELECT c."  # noqa: S608
        f"{quote(choice.get_field('ballot').column)} FROM {quote(choice.db_table)} c "
        f"WHERE c.{quote(choice.get_field('project').column)} = p.{quote(project.pk.column)})), "
        f"(SELECT count(*) FROM {quote(ballot.db_table)} "
        f"WHERE {quote(ballot.get_field('budget').column)} = %s) "
        f"FROM {quote(project.db_table)} p WHERE p.{quote(project.get_field('budget').column)} = %s"
    )
    with connection.prepared_cursor() as cursor:
        cursor.execute(sql, [budget.pk, budget.pk])
        rows = cursor.fetchall()
    by_project = {pk: _bigints(sent) for pk, sent, _count in rows}
    return Supporters(by_project=by_project, voters=rows[0][2] if rows else 0)


def _secret_supporters(budget: Budget) -> Supporters:
    """A secret budget's box, grouped by identical ballot (``secret.distinct_ballots``)."""
    ballots = secret.distinct_ballots(budget)
    by_project: dict[int, list[int]] = {
        pk: [] for pk in Project.objects.filter(budget=budget).values_list("pk", flat=True)
    }
    for number, (projects, _count) in enumerate(ballots):
        for pk in projects:
            by_project.setdefault(pk, []).append(number)
    weights = np.fromiter((count for _projects, count in ballots), np.int64, len(ballots))
    return Supporters(
        by_project={pk: np.array(numbers, np.int64) for pk, numbers in by_project.items()},
        voters=int(weights.sum()),
        weights=weights,
    )


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
