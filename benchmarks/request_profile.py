"""``--profile N`` of the HTTP benchmarks (vote_burst, election_burst, volunteer_search): N
requests sent in-process through ``django.test.Client`` (middleware included), first timed
plainly beside the bare view, then under cProfile, with every SQL statement timed by an
execute wrapper. Where a request's time goes, Python against SQL, without gunicorn."""

from __future__ import annotations

import argparse
import os
import re
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


def profile_count(value: str) -> int:
    """``--profile``'s type: 0 (no profile) or at least 3 requests (``profile_requests``)."""
    count = int(value)
    if count != 0 and count < 3:
        raise argparse.ArgumentTypeError("0 (none) or at least 3")
    return count


class SqlTimer:
    """A ``connection.execute_wrapper``: each statement's time, by its shape (the first 110
    characters of its SQL, white space folded). A transaction's BEGIN/COMMIT are not
    statements here (psycopg sends them outside ``execute``)."""

    def __init__(self) -> None:
        self.shapes: dict[str, list[float]] = defaultdict(list)

    def __call__(self, execute, query, params, many, context):
        before = time.perf_counter()
        try:
            return execute(query, params, many, context)
        finally:
            self.shapes[re.sub(r"\s+", " ", query)[:110]].append(time.perf_counter() - before)

    @property
    def statements(self) -> int:
        return sum(len(times) for times in self.shapes.values())

    @property
    def seconds(self) -> float:
        return sum(sum(times) for times in self.shapes.values())

    def clear(self) -> None:
        self.shapes.clear()


class CpuMeter:
    """CPU time spent by this process (Python), by the PostgreSQL backend of Django's
    connection (``/proc/<pid>/stat``: the server must run on this machine, as the embedded one
    does; 10 ms ticks, so a few hundred requests are needed) and by the Redis server (``INFO
    cpu``). On a machine whose cores are all busy, a request's cost is its CPU time, not its
    wall time: both views wait for the disk's flush at their commit."""

    def __init__(self) -> None:
        from django.db import connection
        from django_redis import get_redis_connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.backend = Path(f"/proc/{cursor.fetchone()[0]}/stat")
        self.redis = get_redis_connection("default")

    def _backend_seconds(self) -> float:
        if not self.backend.exists():
            return float("nan")
        fields = self.backend.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def _redis_seconds(self) -> float:
        info = self.redis.info("cpu")
        return info["used_cpu_user"] + info["used_cpu_sys"]

    def read(self) -> tuple[float, float, float]:
        return (time.process_time(), self._backend_seconds(), self._redis_seconds())


@dataclass
class RequestProfile:
    text: str
    statuses: set[int]  # the statuses the profiled requests answered
    bare_requests: int  # bare requests sent in-process (each inserts a row for the bare view)


def profile_requests(
    name: str,
    send: Callable[[int], int],
    count: int,
    bare: Callable[[], int],
    *,
    steps: str | None = None,
) -> RequestProfile:
    """``send(i)`` sends the i-th request (0 ≤ i < count, each once) and answers its status;
    ``bare()`` sends one request to the bare view. Request 0 warms up (imports, URL resolver,
    caches); the first half of the rest is timed without the profiler (its overhead doubles
    Python's time), beside as many bare requests; the second half runs under cProfile.
    ``steps``: a pstats restriction (a regex on function names) printed last, cumulative."""
    import cProfile
    import io
    import pstats

    from django.db import connection

    if count < 3:
        raise ValueError("profile at least 3 requests: a warm-up, one timed, one profiled")
    sql = SqlTimer()
    statuses = {send(0)}
    bare()
    meter = CpuMeter()
    plain = range(1, 1 + (count - 1) // 2)
    out = io.StringIO()
    out.write(
        f"\nIn-process (django.test.Client, middleware included), {len(plain)} each; ms a "
        "request (SQL: round trips included, a transaction's BEGIN/COMMIT not counted):\n"
    )
    for label, one in ((name, send), ("bare", lambda _i: bare())):
        sql.clear()
        with connection.execute_wrapper(sql):
            before = meter.read()
            started = time.perf_counter()
            statuses.update(one(i) for i in plain)
            wall = time.perf_counter() - started
            python, postgres, redis = (
                (after - first) / len(plain) * 1000
                for first, after in zip(before, meter.read(), strict=True)
            )
        out.write(
            f"  {label:>6}: wall {wall / len(plain) * 1000:5.2f}, {sql.statements / len(plain):.1f}"
            f" SQL statements {sql.seconds / len(plain) * 1000:5.2f}; CPU: Python {python:5.2f},"
            f" PostgreSQL {postgres:5.2f}, Redis {redis:5.2f}, total "
            f"{python + postgres + redis:5.2f}\n"
        )
    sql.clear()
    profiled = range(plain.stop, count)
    # CPU time, not wall time: where the cores go (the waits for the database are not there).
    profiler = cProfile.Profile(time.process_time)
    with connection.execute_wrapper(sql):
        started = time.perf_counter()
        profiler.enable()
        statuses.update(send(i) for i in profiled)
        profiler.disable()
        wall = time.perf_counter() - started
    out.write(
        f"Under cProfile (CPU time of this process): {len(profiled)} {name} requests, statuses "
        f"{sorted(statuses)}, {wall / len(profiled) * 1000:.2f} ms a request (wall), SQL "
        f"{sql.seconds / len(profiled) * 1000:.2f} ms ({sql.seconds / wall:.0%} of the time)\n"
        "SQL statements a request (mean ms each):\n"
    )
    for shape, times in sorted(sql.shapes.items(), key=lambda item: -sum(item[1])):
        out.write(
            f"  {len(times) / len(profiled):4.1f} x {statistics.mean(times) * 1000:6.2f}  {shape}\n"
        )
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("tottime").print_stats(30)
    stats.sort_stats("cumulative").print_stats(60)
    if steps:
        stats.print_stats(steps)
    return RequestProfile(out.getvalue(), statuses, bare_requests=1 + len(plain))
