"""The public pages cost a fixed number of SQL queries, whatever the number of items.

Pages: the town's home page, a space page, the news list of a component (its posts, each with
its comment count). Budget: 15 queries per page (benchmarks/pages.py, docs/benchmarks.md),
including the tenant middleware's Domain lookup.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from participation.comments.models import Comment
from participation.news.models import NewsPost
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.participation.factories import PhaseFactory, SpaceFactory

MAX_QUERIES = 15


def _seed(posts: int, comments: int):
    """A published space with a news component (phase open), ``posts`` posts and ``comments``
    comments spread on them, plus a few other spaces for the home page."""
    phase = PhaseFactory(component__title="Actualités du conseil")
    component = phase.component
    for _ in range(3):
        PhaseFactory(component__title="Autre composant")
    authors = [UserFactory() for _ in range(3)]
    now = timezone.now()
    news = NewsPost.objects.bulk_create(
        NewsPost(component=component, title=f"Actualité {n}", body="Texte " * 50, published_at=now)
        for n in range(posts)
    )
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(NewsPost)
    Comment.objects.bulk_create(
        Comment(
            component=component,
            content_type=content_type,
            object_id=news[n % posts].pk,
            author=authors[n % len(authors)],
            body=f"Commentaire {n}",
        )
        for n in range(comments)
    )
    SpaceFactory(title="Un espace sans composant")
    return component


def _pages(component) -> dict[str, str]:
    space = component.space
    return {
        "home": "/",
        "space": f"/espaces/{space.slug}/",
        "news list": f"/espaces/{space.slug}/news/{component.pk}/",
    }


def _count(client, url: str) -> int:
    client.get(url)  # warm-up: the town's theme into the cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("page", ["home", "space", "news list"])
def test_page_costs_a_fixed_number_of_queries(
    in_town_a, town_a, page, django_assert_max_num_queries
):
    client = client_for(town_a)
    small = _seed(posts=5, comments=20)
    small_count = _count(client, _pages(small)[page])

    big = _seed(posts=50, comments=200)
    url = _pages(big)[page]
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    if page == "news list":
        body = response.content.decode()
        assert body.count("<article") == 50
        assert "4 commentaires" in body  # 200 comments over 50 posts
    assert _count(client, url) == small_count
