"""The roles a town account holds in the town's team, read once per request.

A person holds several roles (accounts.TeamRole). An account whose summary ``User.role`` says
admin or moderator holds that role too: accounts made before the team existed, by
``create_town`` or the onboarding wizard, keep their powers without a row of their own."""

from __future__ import annotations

from .models import TeamRole, User

_CACHE = "_team_roles_cache"

# The summary an account's roles give it, most powerful first.
_SUMMARY = (
    (TeamRole.Kind.ADMIN, User.Role.ADMIN),
    (TeamRole.Kind.MODERATOR, User.Role.MODERATOR),
)


def roles_of(user) -> frozenset[str]:
    """The account's team roles (kinds of TeamRole); empty for anyone else."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE, None)
    if cached is None:
        kinds = set(TeamRole.objects.filter(user=user).values_list("kind", flat=True))
        for kind, summary in _SUMMARY:
            if user.role == summary:
                kinds.add(kind)
        cached = frozenset(kinds)
        setattr(user, _CACHE, cached)
    return cached


def roles_forget(user) -> None:
    """Read the roles again at the next question (after the team's services changed them)."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def role_summary(kinds) -> str:
    """``User.role`` for an account holding ``kinds``."""
    for kind, summary in _SUMMARY:
        if kind in kinds:
            return summary
    return User.Role.STAFF if kinds else User.Role.CITIZEN
