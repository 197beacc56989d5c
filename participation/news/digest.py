"""The news' section of the weekly e-mail digest (the registry's ``digest_section`` hook)."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.hosts import current_town_url
from participation.components import component_url
from participation.hooks import DigestItem, DigestSection
from participation.models import Space
from participation.registry import registry

from .models import NewsPost


def news_published(
    user: User, spaces: QuerySet[Space], since: datetime.datetime, until: datetime.datetime
) -> DigestSection | None:
    posts = (
        NewsPost.objects.filter(
            component__space__in=spaces, published_at__gte=since, published_at__lt=until
        )
        .filter(registry.live_q("component__"))
        .select_related("component__space")
        .order_by("published_at")
    )
    items = [
        DigestItem(
            title=post.title,
            space=post.component.space.title,
            link=current_town_url(component_url(post.component, "post", post.pk)),
            when=post.published_at,
        )
        for post in posts
    ]
    return DigestSection("news", str(_("Nouvelles actualités")), items) if items else None
