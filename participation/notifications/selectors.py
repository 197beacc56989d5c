"""Read-only queries of notifications: who receives what, and what a digest says."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from participation.models import Phase, Space
from tenants.hosts import current_town_url

from .kinds import kind_of


def _wants_q(kind: str) -> Q:
    """Residents who have not switched this kind off (no profile yet: the default, on)."""
    flag = kind_of(kind).field
    return Q(**{f"profile__{flag}": True}) | Q(profile__isnull=True)


def reachable_users(kind: str) -> QuerySet[User]:
    """Active accounts with a verified e-mail who want this kind of e-mail."""
    return (
        User.objects.filter(is_active=True, email_verified_at__isnull=False)
        .filter(_wants_q(kind))
        .select_related("profile")
    )


def phase_followers(phase: Phase, kind: str) -> QuerySet[User]:
    return reachable_users(kind).filter(spacefollow__space_id=phase.component.space_id).distinct()


# The weekly digest


@dataclass(frozen=True)
class DigestItem:
    title: str
    space: str
    link: str
    when: datetime.datetime


@dataclass(frozen=True)
class DigestSection:
    key: str
    title: str
    items: list[DigestItem] = field(default_factory=list)


# callable(user, spaces, since, until) -> DigestSection | None. Modules add theirs with
# register_digest_section(); digest_content() calls them in order.
DigestProvider = Callable[[User, QuerySet[Space], datetime.datetime, datetime.datetime], object]
_providers: list[DigestProvider] = []


def register_digest_section(provider: DigestProvider) -> DigestProvider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def followed_spaces(user: User) -> QuerySet[Space]:
    return Space.objects.filter(status=Space.Status.PUBLISHED, spacefollow__user=user).distinct()


def _space_url(space: Space) -> str:
    from django.urls import reverse

    return current_town_url(reverse("participation:space", args=[space.slug]))


@register_digest_section
def phases_opened(user, spaces, since, until) -> DigestSection | None:
    phases = (
        Phase.objects.filter(component__space__in=spaces, starts_at__gte=since, starts_at__lt=until)
        .select_related("component__space")
        .order_by("starts_at")
    )
    items = [
        DigestItem(
            title=f"{phase.component.title} : {phase.display_title}",
            space=phase.component.space.title,
            link=_space_url(phase.component.space),
            when=phase.starts_at,
        )
        for phase in phases
    ]
    return DigestSection("phases", str(_("Phases ouvertes")), items) if items else None


@register_digest_section
def news_published(user, spaces, since, until) -> DigestSection | None:
    from participation.components import component_url
    from participation.news.models import NewsPost

    posts = (
        NewsPost.objects.filter(
            component__space__in=spaces, published_at__gte=since, published_at__lt=until
        )
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


def digest_content(
    user: User, *, since: datetime.datetime, until: datetime.datetime
) -> list[DigestSection]:
    """What is new for this resident between ``since`` and ``until`` in the published spaces
    they follow: one section per provider with something to say (empty list: nothing new)."""
    spaces = followed_spaces(user)
    if not spaces.exists():
        return []
    sections = (provider(user, spaces, since, until) for provider in _providers)
    return [section for section in sections if section is not None and section.items]


def digest_recipients() -> QuerySet[User]:
    from .kinds import DIGEST

    return reachable_users(DIGEST).filter(spacefollow__isnull=False).distinct().order_by("pk")
