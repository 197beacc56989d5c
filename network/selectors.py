"""What the network's pages read: categories, threads and posts as a member may see them
(the vendor's moderators see hidden ones too), and the ranked French full-text search."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Count, F, Max, Prefetch, Q, QuerySet

from .models import Category, NetworkMember, Post, Subscription, Thread

SEARCH_RESULTS = 50


def visible_threads(member: NetworkMember) -> QuerySet[Thread]:
    threads = Thread.objects.select_related("category", "author__tenant")
    return threads if member.is_vendor else threads.filter(hidden=False)


def categories() -> QuerySet[Category]:
    visible = Q(threads__hidden=False)
    return Category.objects.annotate(
        thread_count=Count("threads", filter=visible),
        last_post_at=Max("threads__last_post_at", filter=visible),
    ).order_by("position", "name")  # Meta.ordering is not applied to a GROUP BY query


def recent_threads(member: NetworkMember, *, limit: int = 10) -> list[Thread]:
    return list(visible_threads(member).order_by("-last_post_at")[:limit])


def category_threads(member: NetworkMember, category: Category) -> QuerySet[Thread]:
    return visible_threads(member).filter(category=category).order_by("-last_post_at")


def thread_detail(member: NetworkMember, pk: int) -> Thread | None:
    return visible_threads(member).filter(pk=pk).first()


def thread_posts(thread: Thread) -> list[Post]:
    """Every post in order (hidden ones too: the page shows a placeholder to members), with
    authors, quotes and attachments in four queries."""
    return list(
        thread.posts.select_related("author__tenant", "quote__author__tenant").prefetch_related(
            Prefetch("attachments")
        )
    )


def is_subscribed(member: NetworkMember, thread: Thread) -> bool:
    return Subscription.objects.filter(member=member, thread=thread).exists()


def thread_search(member: NetworkMember, text: str) -> list[Thread]:
    """Threads whose title or visible posts hold the words of ``text`` (French stemming: the
    plural finds the singular), best ranked first."""
    query = SearchQuery(text, config="french", search_type="websearch")
    return list(
        visible_threads(member)
        .filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "-last_post_at")[:SEARCH_RESULTS]
    )
