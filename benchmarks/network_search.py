"""The network forum's French full-text search at scale: N threads of R replies made in the
local database's public schema inside a transaction that is rolled back at the end, then the
median time of ranked searches (the GIN index on the threads' search vectors) and of a reply
(the service rewrites its thread's vector in the same transaction).

    DJANGO_SETTINGS_MODULE=config.settings.local .venv/bin/python benchmarks/network_search.py
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402

from network import markup, selectors, services  # noqa: E402
from network.models import Category, NetworkMember, Post, Thread  # noqa: E402

THREADS = int(os.environ.get("THREADS", "20000"))
REPLIES = int(os.environ.get("REPLIES", "5"))
WORDS = [
    "budget",
    "participatif",
    "vote",
    "projets",
    "enveloppe",
    "quartier",
    "conseil",
    "concertation",
    "jeunes",
    "lycée",
    "subvention",
    "association",
    "règlement",
    "calendrier",
    "analyse",
    "technique",
    "communication",
    "affiche",
    "réunion",
    "publique",
    "numérique",
    "accessibilité",
    "élus",
    "mairie",
    "habitants",
    "propositions",
]
# One thread in 500 speaks of pooling: a rare word, the search's everyday case.
RARE = "mutualisation intercommunale"
QUERIES = (
    "mutualisations",
    "budgets",
    "subventions associations",
    "vote des jeunes",
    "réunions publiques",
)


class Rollback(Exception):
    pass


def sentence(rng: random.Random, length: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(length)).capitalize() + "."


def timed(call, runs: int = 20) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    rng = random.Random(14)
    connection.set_schema_to_public()
    try:
        with transaction.atomic():
            member = _bench_member()
            category = Category.objects.first()
            start = time.perf_counter()
            threads = Thread.objects.bulk_create(
                Thread(category=category, author=member, title=sentence(rng, 6))
                for _ in range(THREADS)
            )
            posts = []
            for thread in threads:
                for index in range(REPLIES + 1):
                    body = sentence(rng, 40)
                    if index == REPLIES and rng.random() < 1 / 500:
                        body += f" {RARE}."
                    posts.append(
                        Post(thread=thread, author=member, body=body,
                             html=markup.render(body), is_opening=index == 0)
                    )  # fmt: skip
            Post.objects.bulk_create(posts, batch_size=5000)
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE network_thread t SET search_vector ="
                    " setweight(to_tsvector('french', t.title), 'A') ||"
                    " setweight(to_tsvector('french', coalesce((SELECT string_agg(p.body, E'\\n')"
                    " FROM network_post p WHERE p.thread_id = t.id AND NOT p.hidden), '')), 'B')"
                    " WHERE t.category_id = %s",
                    [category.pk],
                )
                cursor.execute("ANALYZE network_thread")
            print(
                f"{THREADS} threads, {len(posts)} posts made in {time.perf_counter() - start:.0f} s"
            )
            for query in QUERIES:
                found = len(selectors.thread_search(member, query))
                ms = timed(lambda query=query: selectors.thread_search(member, query))
                print(f"search « {query} »: {found} results (50 at most), median {ms:.1f} ms")
            with connection.cursor() as cursor:
                cursor.execute(
                    "EXPLAIN SELECT id FROM network_thread WHERE search_vector @@ "
                    "websearch_to_tsquery('french', 'mutualisations')"
                )
                plan = " ".join(row[0] for row in cursor.fetchall())
            print("GIN index used:", "network_thread_search" in plan)
            thread = threads[0]
            ms = timed(
                lambda: services.post_reply(actor=member, thread=thread, body=sentence(rng, 40)),
                runs=10,
            )
            print(
                f"reply (vector of a thread of {REPLIES + 1}+ posts rewritten): median {ms:.1f} ms"
            )
            raise Rollback
    except Rollback:
        print("(rolled back)")


def _bench_member() -> NetworkMember:
    from accounts.models import User

    user = User.objects.create_user("banc-reseau@agora.test", None, display_name="Banc d'essai",
                                    role=User.Role.VENDOR_STAFF)  # fmt: skip
    return NetworkMember.objects.create(
        vendor_user=user, display_name="Banc d'essai", role=user.role, email=user.email,
        handle="banc-essai-reseau",
    )  # fmt: skip


if __name__ == "__main__":
    main()
