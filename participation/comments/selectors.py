"""Reading comments and supports: a thread costs a fixed number of queries."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.rules import is_town_moderator
from participation.models import Space
from participation.registry import registry

from .models import Comment, Flag, Support

RECENT = datetime.timedelta(days=7)


def item_comments(item) -> QuerySet[Comment]:
    content_type = ContentType.objects.get_for_model(item)  # cached after the first call
    return Comment.objects.filter(content_type=content_type, object_id=item.pk)


def thread(item) -> list[Comment]:
    """The item's top-level comments, oldest first, each with ``.children`` (its replies,
    recursively): one query whatever the number of comments."""
    comments = list(item_comments(item).select_related("author").order_by("created_at", "pk"))
    by_id = {comment.pk: comment for comment in comments}
    roots = []
    for comment in comments:
        comment.children = []
    for comment in comments:
        parent = by_id.get(comment.parent_id)
        (parent.children if parent is not None else roots).append(comment)
    return roots


def flagged_by(user: User, item) -> set[int]:
    """Ids of the item's comments this user has already flagged (one query)."""
    if not user.is_authenticated:
        return set()
    return set(
        Flag.objects.filter(
            user=user,
            comment__content_type=ContentType.objects.get_for_model(item),
            comment__object_id=item.pk,
        ).values_list("comment_id", flat=True)
    )


@dataclass(frozen=True)
class SupportState:
    count: int
    supported: bool


def support_state(user: User, item) -> SupportState:
    """How many supports the item has and whether this user is one of them (one query)."""
    content_type = ContentType.objects.get_for_model(item)
    mine = Q(user=user) if user.is_authenticated else Q(pk__in=[])
    figures = Support.objects.filter(content_type=content_type, object_id=item.pk).aggregate(
        count=Count("pk"), mine=Count("pk", filter=mine)
    )
    return SupportState(count=figures["count"], supported=figures["mine"] > 0)


@dataclass(frozen=True)
class ItemCounts:
    comments: int = 0
    supports: int = 0


def counts_for_items(items: Iterable) -> dict[tuple[int, int], ItemCounts]:
    """Visible comments and supports of many items at once (list pages): two queries.
    Keyed by ``(content_type_id, item.pk)``; see ``counts_key``."""
    items = list(items)
    if not items:
        return {}
    wanted = Q(pk__in=[])
    for model, pks in _pks_by_model(items).items():
        content_type = ContentType.objects.get_for_model(model)
        wanted |= Q(content_type=content_type, object_id__in=pks)
    comments = (
        Comment.objects.filter(wanted, status=Comment.Status.VISIBLE)
        .values("content_type_id", "object_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    supports = (
        Support.objects.filter(wanted)
        .values("content_type_id", "object_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    figures: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    for row in comments:
        figures[row["content_type_id"], row["object_id"]]["comments"] = row["n"]
    for row in supports:
        figures[row["content_type_id"], row["object_id"]]["supports"] = row["n"]
    return {key: ItemCounts(**values) for key, values in figures.items()} | {
        counts_key(item): ItemCounts() for item in items if counts_key(item) not in figures
    }


def counts_key(item) -> tuple[int, int]:
    return ContentType.objects.get_for_model(item).pk, item.pk


def _pks_by_model(items: list) -> dict[type, list[int]]:
    grouped: dict[type, list[int]] = defaultdict(list)
    for item in items:
        grouped[type(item)].append(item.pk)
    return grouped


# Moderation


def moderated_spaces(user: User) -> QuerySet[Space]:
    """The spaces whose comments this user moderates: all of them for the town's staff."""
    if not user.is_authenticated:
        return Space.objects.none()
    if is_town_moderator.test(user):
        return Space.objects.all()
    return Space.objects.filter(moderators=user)


def may_moderate_somewhere(user: User) -> bool:
    return user.is_authenticated and (
        is_town_moderator.test(user) or moderated_spaces(user).exists()
    )


def moderation_queue(user: User, *, hidden: bool = False) -> QuerySet[Comment]:
    """Comments of the spaces the user moderates that need a look: flagged since the last
    decision, or recent; most flagged first (annotated ``flag_count``). With ``hidden``: the
    hidden comments, to restore one."""
    pending = Q(flags__created_at__gt=F("reviewed_at")) | Q(reviewed_at__isnull=True)
    comments = (
        # Not a removed component's, nor a switched-off module's: its pages are gone.
        Comment.objects.filter(component__space__in=moderated_spaces(user))
        .filter(registry.live_q("component__"))
        .select_related("author", "component__space", "hidden_by", "content_type")
        .annotate(flag_count=Count("flags", filter=pending & Q(flags__isnull=False), distinct=True))
    )
    if hidden:
        return comments.filter(status=Comment.Status.HIDDEN).order_by("-hidden_at", "-pk")
    return comments.filter(
        Q(flag_count__gt=0) | Q(created_at__gte=timezone.now() - RECENT)
    ).order_by("-flag_count", "-created_at", "-pk")
