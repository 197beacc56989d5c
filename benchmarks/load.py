"""Bursts of HTTP POSTs from many keep-alive clients, each request timed, none retried: the load
side of benchmarks/vote_burst.py and election_burst.py, for any benchmark that posts bodies to a
live server; and the bare insert view both measure against, in the same run."""

from __future__ import annotations

import http.client
import threading
import time
from dataclasses import dataclass, field

from benchmarks.support import percentile

BARE_PATH = "/__bare_insert__"
BARE_TABLE = "bench_bare_rows"


def bench_settings(urlconf_module: str) -> str:
    """A settings module: the local settings, DEBUG off, the urlconf of ``bench_urlconf``."""
    return (
        "from config.settings.local import *  # noqa: F403\n\n"
        f"DEBUG = False\nROOT_URLCONF = {urlconf_module!r}\n"
    )


def bench_urlconf() -> str:
    """The real town urlconf plus the bare insert view: a POST whose body is inserted as one
    row of BARE_TABLE (``bare_table_create``), in a transaction, through the same
    middleware."""
    return f"""\
from django.db import connection, transaction
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from config.urls_town import urlpatterns as town_urlpatterns


@csrf_exempt
@require_POST
def bare_insert(request):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO {BARE_TABLE} (body) VALUES (%s)", [request.body.decode()[:2000]]
        )
    return HttpResponse("ok", status=201, content_type="text/plain")


urlpatterns = [
    path("{BARE_PATH.lstrip("/")}", bare_insert, name="bench_bare_insert"),
    *town_urlpatterns,
]
"""


def bare_table_create(cursor) -> None:
    """The bare view's table, in the schema the cursor is in (the town's)."""
    cursor.execute(
        f"CREATE TABLE {BARE_TABLE} "
        "(id bigserial PRIMARY KEY, body text NOT NULL, "
        "created_at timestamptz NOT NULL DEFAULT now())"
    )


def bare_rows(cursor) -> int:
    cursor.execute(f"SELECT count(*) FROM {BARE_TABLE}")
    return cursor.fetchone()[0]


def gunicorn_options(args) -> list[str]:
    options = ["--workers", str(args.workers), "--worker-class", args.worker_class]
    options += ["--backlog", "2048"]
    if args.worker_class == "gthread":
        options += ["--threads", str(args.threads), "--keep-alive", "30"]
    return options


@dataclass
class Burst:
    """One burst: per request (index of its body) the status, the latency, an error's body."""

    name: str
    requests: int  # asked for
    seconds: float = 0.0
    statuses: list[int | None] = field(default_factory=list)
    latencies: list[float | None] = field(default_factory=list)
    errors: list[tuple[int, int, str]] = field(default_factory=list)  # (index, status, body)

    @property
    def answered(self) -> int:
        return sum(1 for status in self.statuses if status is not None)

    @property
    def ok(self) -> int:
        return sum(1 for status in self.statuses if status is not None and 200 <= status < 300)

    @property
    def rps(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def latency(self, fraction: float) -> float:
        ordered = sorted(value for value in self.latencies if value is not None)
        return percentile(ordered, fraction) if ordered else float("nan")

    @classmethod
    def combine(cls, name: str, bursts: list[Burst]) -> Burst:
        combined = cls(name, sum(burst.requests for burst in bursts))
        for burst in bursts:
            combined.seconds += burst.seconds
            combined.statuses += burst.statuses
            combined.latencies += burst.latencies
            combined.errors += burst.errors
        return combined


def burst(
    name: str,
    port: int,
    host: str,
    path: str,
    bodies: list[bytes],
    tokens: list[str],
    *,
    clients: int,
    timeout: float,
    method: str = "POST",
    paths: list[str] | None = None,
) -> Burst:
    """``clients`` threads, client k sending bodies k, k + clients, ... one after the other on
    its keep-alive connection (http.client reopens it when the server closed it). Bounded:
    no request starts after ``timeout`` seconds. A GET burst sends no body; ``paths`` (one per
    request) replaces ``path`` when requests differ by their query string."""
    count = len(bodies)
    result = Burst(name, count, statuses=[None] * count, latencies=[None] * count)
    go = threading.Event()
    lock = threading.Lock()

    def client(k: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        go.wait()
        deadline = started + timeout
        try:
            for index in range(k, count, clients):
                if time.monotonic() > deadline:
                    return
                headers = {
                    "Host": host,
                    "Content-Type": "application/json",
                    "Accept": "application/json",
                    "Authorization": f"Token {tokens[index]}",
                }
                before = time.perf_counter()
                try:
                    conn.request(
                        method,
                        paths[index] if paths else path,
                        body=bodies[index] if method == "POST" else None,
                        headers=headers,
                    )
                    response = conn.getresponse()
                    payload = response.read()
                    status = response.status
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    status, payload = 0, repr(exc).encode()
                elapsed = time.perf_counter() - before
                result.statuses[index] = status
                result.latencies[index] = elapsed
                if not 200 <= status < 300:
                    with lock:
                        result.errors.append((index, status, payload.decode(errors="replace")))
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(clients)]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    go.set()
    for thread in threads:
        thread.join(timeout + 120)
    result.seconds = time.monotonic() - started
    return result


def print_results(
    votes: Burst, bare_runs: list[Burst], bare: Burst, problems: list[str], goal: float
) -> bool:
    """The table of the vote burst and the bare insert bursts, the throughput ratio against
    ``goal``, the first errors and the failed checks; True when no check failed (the caller
    then says what was checked)."""
    header = (
        f"{'endpoint':<22} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7}"
    )
    print(header)
    print("-" * len(header))
    rows = [("vote (ballots/s)", votes), *((b.name, b) for b in bare_runs)]
    rows.append(("bare insert (both)", bare))
    for name, measure in rows:
        print(
            f"{name:<22} {measure.answered:>8} {len(measure.errors):>6} {measure.rps:>7.1f} "
            f"{measure.latency(0.5) * 1000:>7.1f} {measure.latency(0.95) * 1000:>7.1f}"
        )
    ratio = votes.rps / bare.rps if bare.rps else 0.0
    verdict = "met" if ratio >= goal else "MISSED"
    print(f"throughput ratio vote / bare insert: {ratio:.0%} (goal ≥ {goal:.0%}: {verdict})")
    for index, status, body in votes.errors[:10]:
        print(f"  error: ballot {index} → {status}: {body[:300]}")
    if problems:
        print("CHECKS FAILED:")
        for problem in problems:
            print(f"  - {problem}")
    return not problems
