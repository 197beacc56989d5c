"""The team's pages: /gestion/equipe/ (members, invitations, the invitation form), a member's
roles, and the invitation's acceptance page (the link of the e-mail)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.otp import (
    has_confirmed_totp,
    totp_confirm,
    totp_device_pending,
    totp_qr_svg,
    totp_secret_text,
    totp_verify,
)
from accounts.otp_views import token_step
from core.errors import ApplicationError
from core.guards import permission_required
from core.views import form_page, run_action, run_form_action

from . import otp, selectors, services
from .audit import AuditFilters, audit_actions, audit_entries
from .forms import AcceptForm, InvitationForm, JournalFilterForm, RolesForm

JOURNAL_PAGE_SIZE = 50


@permission_required("participation.invite_team")
def team(request: HttpRequest) -> HttpResponse:
    grantable = services.grantable_roles(request.user)
    form = InvitationForm(
        request.POST or None,
        grantable=grantable,
        spaces=selectors.spaces_grantable_by(request.user),
    )
    return form_page(
        request,
        form=form,
        action=lambda **data: services.invitation_send(actor=request.user, **data),
        success_message=_("Invitation envoyée."),
        success_url=request.path,
        template="team/team.html",
        context={
            "members": selectors.team_members(),
            "invitations": [
                (invitation, request.user.has_perm("participation.withdraw_invitation", invitation))
                for invitation in selectors.invitations_open()
            ],
            "may_change": request.user.has_perm("participation.manage_team"),
            "settings": otp.team_settings(),
        },
    )


def _member(request, *args, user_id: int, **kwargs) -> User:
    try:
        return selectors.team_member(user_id)
    except User.DoesNotExist as exc:
        raise Http404 from exc


@permission_required("participation.manage_team", obj=_member)
def member(request: HttpRequest, member: User, user_id: int) -> HttpResponse:
    official = selectors.official_of(member)
    form = RolesForm(
        request.POST or None,
        grantable=services.grantable_roles(request.user),
        initial={
            "roles": [role.kind for role in member.team_roles.all()] or [member.role],
            "spaces": list(member.moderated_spaces.all()),
            "service": next(iter(member.municipal_services.all()), None),
            "official": official,
        },
    )
    if request.method == "POST" and form.is_valid():
        run_form_action(
            form,
            lambda: services.member_roles_set(
                actor=request.user, member=member, **form.cleaned_data
            ),
        )
        if not form.errors:
            messages.success(request, _("Rôles enregistrés."))
            return redirect("team:team")
    return render(
        request,
        "team/member.html",
        {"member": member, "form": form, "official": official},
        status=400 if form.errors else 200,
    )


@permission_required("participation.manage_team", obj=_member)
@require_POST
def member_remove(request: HttpRequest, member: User, user_id: int) -> HttpResponse:
    if run_action(
        request,
        lambda: services.member_remove(actor=request.user, member=member),
        _("%(name)s ne fait plus partie de l'équipe.") % {"name": member},
    ):
        return redirect("team:team")
    return redirect("team:member", user_id=member.pk)


@permission_required("participation.invite_team")
@require_POST
def invitation_withdraw(request: HttpRequest, invitation_id: int) -> HttpResponse:
    run_action(
        request,
        lambda: services.invitation_withdraw(actor=request.user, invitation_id=invitation_id),
        _("Invitation retirée : son lien ne fonctionne plus."),
    )
    return redirect("team:team")


@permission_required("participation.view_audit")
def journal(request: HttpRequest) -> HttpResponse:
    """The town's audit log, newest first, filtered by account, section and dates."""
    form = JournalFilterForm(request.GET or None, actions=audit_actions())
    filters = AuditFilters(**form.cleaned_data) if form.is_valid() else AuditFilters()
    page = Paginator(audit_entries(filters), JOURNAL_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "team/journal.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=400 if form.errors else 200,
    )


@permission_required("participation.manage_team")
@require_POST
def admin_totp_required(request: HttpRequest) -> HttpResponse:
    required = request.POST.get("required") == "1"
    run_action(
        request,
        lambda: otp.admin_totp_required_set(actor=request.user, required=required),
        _("Double authentification exigée des administrateurs.")
        if required
        else _("Double authentification facultative pour les administrateurs."),
    )
    return redirect("team:team")


@permission_required("participation.view_backoffice")
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The back office's second step of sign-in, for a member with a device."""
    if not has_confirmed_totp(request.user):
        return redirect("team:otp_enrol")
    return token_step(
        request,
        check=totp_verify,
        template="team/otp_verify.html",
        context={},
        fallback=reverse("backoffice:dashboard"),
    )


@permission_required("participation.view_backoffice")
def otp_enrol(request: HttpRequest) -> HttpResponse:
    """Turn on the second factor: scan, then type a first code."""
    if has_confirmed_totp(request.user) and request.user.is_verified():
        return render(
            request,
            "team/otp_enabled.html",
            {"required": otp.totp_required_of(request.user)},
        )
    if has_confirmed_totp(request.user):
        return redirect("team:otp_verify")
    device = totp_device_pending(request.user)
    return token_step(
        request,
        check=totp_confirm,
        template="team/otp_enrol.html",
        context={
            "qr_svg": totp_qr_svg(device),
            "secret": totp_secret_text(device),
            "required": otp.totp_required_of(request.user),
        },
        fallback=reverse("backoffice:dashboard"),
    )


@permission_required("participation.view_backoffice")
@require_POST
def otp_disable(request: HttpRequest) -> HttpResponse:
    run_action(
        request,
        lambda: otp.totp_disable(user=request.user),
        _("Double authentification désactivée."),
    )
    return redirect("backoffice:dashboard")


def accept(request: HttpRequest, key: str) -> HttpResponse:
    """The invitation's link: signed in with the invited address, one button; without an
    account, a name and a password make one."""
    try:
        invitation = services.invitation_check(key=key)
    except ApplicationError as exc:
        return render(request, "team/accept_invalid.html", {"message": str(exc)}, status=400)
    signed_in = request.user.is_authenticated
    has_account = User.objects.filter(email__iexact=invitation.email).exists()
    form = AcceptForm(request.POST or None) if not signed_in and not has_account else None
    if request.method == "POST" and (form is None or form.is_valid()):
        data = form.cleaned_data if form is not None else {}
        try:
            member = services.invitation_accept(key=key, user=request.user, **data)
        except ApplicationError as exc:
            if form is None:
                messages.error(request, str(exc))
                return redirect(request.path)
            form.add_error(None, str(exc))
        else:
            if not signed_in:
                login(request, member, backend="accounts.backends.EmailPasswordBackend")
            messages.success(request, _("Bienvenue dans l'équipe !"))
            return redirect("backoffice:dashboard")
    return render(
        request,
        "team/accept.html",
        {"invitation": invitation, "form": form, "has_account": has_account},
        status=400 if form is not None and form.errors else 200,
    )
