"""Two web nodes behind pgbouncer in transaction mode: every response belongs to its town.

pgbouncer hands each transaction whichever server connection is free, here 3 of them for the
16 clients of two gunicorn nodes (2 workers × 4 threads each): a schema set on a server
connection by one request (a session ``SET search_path``) would be seen by the next client of
that connection. With DATABASE_TRANSACTION_POOLING the schema is set inside each transaction
(tenants/postgresql_backend), so each town's page shows its own text, whatever the mix of
hosts and however the connections are shared."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor

import pytest

from core.hosts import town_host

from .servers import (
    LEGAL_NOTICE_PATH,
    Pgbouncer,
    gunicorn_nodes,
    http_get,
    marker,
    served_by,
    towns_with_their_own_page,
)

TOWNS = 12
REQUESTS = 360


@pytest.fixture
def towns(committed_db):
    with towns_with_their_own_page(TOWNS, "pool") as slugs:
        yield slugs


@pytest.fixture
def nodes_behind_pgbouncer(towns, tmp_path):
    bouncer = Pgbouncer(tmp_path, pool_size=3)
    try:
        with gunicorn_nodes(
            tmp_path,
            town_host(towns[0]),
            database_url=bouncer.url(),
            env={"DATABASE_TRANSACTION_POOLING": "True"},
        ) as nodes:
            yield nodes
    finally:
        bouncer.stop()


def test_concurrent_requests_of_many_towns_through_pgbouncer_get_their_own_town(
    towns, nodes_behind_pgbouncer
):
    rng = random.Random(17)
    asked = [(rng.choice(nodes_behind_pgbouncer).port, rng.choice(towns)) for _ in range(REQUESTS)]

    def fetch(item):
        port, slug = item
        status, body = http_get(port, town_host(slug), LEGAL_NOTICE_PATH)
        others = [other for other in towns if other != slug and marker(other) in body]
        return slug, status, marker(slug) in body, others

    with ThreadPoolExecutor(max_workers=24) as pool:
        answers = list(pool.map(fetch, asked))

    wrong = [answer for answer in answers if answer[1:] != (200, True, [])]
    assert wrong == [], f"{len(wrong)} réponses d'une autre collectivité : {wrong[:5]}"
    served = served_by(nodes_behind_pgbouncer, LEGAL_NOTICE_PATH, REQUESTS)
    assert sum(served) == REQUESTS and min(served) > 0
