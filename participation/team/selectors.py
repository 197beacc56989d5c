"""Who is in the town's team, with their roles and scopes, in a bounded number of queries."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from accounts.models import TeamRole, User
from accounts.rules import is_town_admin
from participation.models import MunicipalService, Official, Space

from .models import Invitation


def team_members() -> QuerySet[User]:
    """Accounts holding a team role (their summary ``User.role`` says so), with their roles,
    spaces, services and official."""
    return (
        User.objects.filter(role__in=[User.Role.ADMIN, User.Role.MODERATOR, User.Role.STAFF])
        .prefetch_related(
            Prefetch("team_roles", queryset=TeamRole.objects.order_by("kind")),
            Prefetch("moderated_spaces", queryset=Space.objects.order_by("title")),
            Prefetch("municipal_services", queryset=MunicipalService.objects.all()),
        )
        .order_by("display_name", "email")
    )


def team_member(user_id: int) -> User:
    return team_members().get(pk=user_id)


def official_of(user: User) -> Official | None:
    return Official.objects.filter(account=user).first()


def invitations_open() -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("service", "official", "invited_by")
        .prefetch_related("spaces")
    )


def spaces_grantable_by(user: User) -> QuerySet[Space]:
    if is_town_admin.test(user):
        return Space.objects.order_by("title")
    return Space.objects.filter(moderators=user).order_by("title")
