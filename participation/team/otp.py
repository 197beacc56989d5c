"""The second factor of the town's staff (the kernel's TOTP, accounts.otp): optional for
each member, required of the administrators when the town says so. Enforced at the one
door of the back office, a middleware: a member with a device types its code before any
back-office page; an administrator of a town that requires it enrols first."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import TeamRole, User
from accounts.otp import has_confirmed_totp, totp_remove
from accounts.roles import roles_of
from core.errors import Invalid
from participation.services import ensure_perm

from .audit import BACK_OFFICE
from .models import TeamSettings

OTP_PAGES = "/gestion/double-authentification/"


def team_settings() -> TeamSettings:
    return TeamSettings.objects.get_or_create(pk=1)[0]


def admin_totp_required_set(*, actor: User, required: bool) -> TeamSettings:
    """Require (or not) a second factor of the town's administrators. The administrator
    who requires it enrols first: the rule never locks its author out."""
    ensure_perm(actor, "participation.manage_team")
    if required and not has_confirmed_totp(actor):
        raise Invalid(
            _(
                "Activez d'abord votre propre double authentification, puis exigez-la des "
                "administrateurs."
            )
        )
    settings = team_settings()
    settings.require_admin_totp = required
    settings.save(update_fields=["require_admin_totp"])
    return settings


def totp_required_of(user) -> bool:
    return TeamRole.Kind.ADMIN in roles_of(user) and team_settings().require_admin_totp


def second_factor_step(user) -> str | None:
    """The page a member must go through before the back office; None when none."""
    if not roles_of(user) or user.is_verified():
        return None
    if has_confirmed_totp(user):
        return reverse("team:otp_verify")
    if totp_required_of(user):
        return reverse("team:otp_enrol")
    return None


def totp_disable(*, user: User) -> None:
    if totp_required_of(user):
        raise Invalid(_("La collectivité exige la double authentification de ses administrateurs."))
    totp_remove(user=user)


class BackOfficeSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        user = getattr(request, "user", None)
        if (
            path.startswith(BACK_OFFICE)
            and not path.startswith(OTP_PAGES)
            and user is not None
            and user.is_authenticated
            and hasattr(user, "is_verified")
        ):
            step = second_factor_step(user)
            if step is not None:
                return redirect(f"{step}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
