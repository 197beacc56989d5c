"""Predicates on a town account's role, for every app's rules (theming's, the participation
engine's and its modules')."""

from core.rules import Check

from .models import User


@Check.of
def is_town_admin(user) -> bool:
    return user.is_authenticated and user.role == User.Role.ADMIN


@Check.of
def is_town_moderator(user) -> bool:
    return user.is_authenticated and user.role in (User.Role.MODERATOR, User.Role.ADMIN)
