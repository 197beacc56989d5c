"""Read-only queries of notifications: who receives what, and what a digest says."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.hosts import current_town_url
from participation.hooks import DigestItem, DigestSection
from participation.models import Phase, Space
from participation.registry import registry

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


def followed_spaces(user: User) -> QuerySet[Space]:
    return Space.objects.filter(status=Space.Status.PUBLISHED, spacefollow__user=user).distinct()


def _space_url(space: Space) -> str:
    from django.urls import reverse

    return current_town_url(reverse("participation:space", args=[space.slug]))


def phases_opened(user, spaces, since, until) -> DigestSection | None:
    phases = (
        Phase.objects.filter(component__space__in=spaces, starts_at__gte=since, starts_at__lt=until)
        .filter(registry.live_q("component__"))
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


def digest_content(
    user: User, *, since: datetime.datetime, until: datetime.datetime
) -> list[DigestSection]:
    """What is new for this resident between ``since`` and ``until`` in the published spaces
    they follow: the phases opened, then each module's section (its ``digest_section`` hook)
    that has something to say (empty list: nothing new)."""
    spaces = followed_spaces(user)
    if not spaces.exists():
        return []
    providers = [phases_opened] + [
        source.digest_section
        for source in registry.data_sources()
        # A module switched off tells nothing (comments and supports are no module).
        if source.digest_section and (source.key not in registry or registry.is_on(source.key))
    ]
    sections = (provider(user, spaces, since, until) for provider in providers)
    return [section for section in sections if section is not None and section.items]


def digest_recipients() -> QuerySet[User]:
    from .kinds import DIGEST

    return reachable_users(DIGEST).filter(spacefollow__isnull=False).distinct().order_by("pk")
