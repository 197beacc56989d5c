"""Changing the town's team: inviting a colleague (a one-time link by e-mail), accepting the
invitation, changing a member's roles and removing a member. The roles are accounts.TeamRole;
their scopes are the engine's own tables (Space.moderators for space managers,
MunicipalService.members for analysts, Official.account for officials)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.emails import email_send_on_commit
from accounts.models import TeamRole, User
from accounts.roles import roles_of
from accounts.services import team_account_create, team_roles_set
from accounts.tokens import key_hash, one_time_key
from core.errors import Conflict, Invalid, NotAllowed, NotFound
from core.hosts import current_town_url
from participation.models import MunicipalService, Official, Space
from participation.services import ensure_perm

from .models import Invitation

INVITATION_LIFETIME = datetime.timedelta(days=7)
Kind = TeamRole.Kind

INVALID_LINK = gettext_lazy(
    "Ce lien d'invitation n'est pas valide : il a expiré, a déjà servi ou a été remplacé par "
    "une invitation plus récente. Demandez-en une nouvelle à un administrateur."
)


def grantable_roles(actor: User) -> set[str]:
    """The roles ``actor`` may give: all of them for an administrator, the role of space
    manager (for their own spaces) for a space manager; none otherwise."""
    held = roles_of(actor)
    if Kind.ADMIN in held:
        return set(Kind.values)
    return {Kind.SPACE_MANAGER} & held


def _clean_roles(
    *,
    actor: User,
    roles: Iterable[str],
    spaces: Iterable[Space],
    service: MunicipalService | None,
    official: Official | None,
    member: User | None = None,
) -> tuple[set[str], list[Space]]:
    roles, spaces = set(roles), list(spaces)
    if not roles:
        raise Invalid(_("Choisissez au moins un rôle."), field="roles")
    unknown = roles - set(Kind.values)
    if unknown:
        raise Invalid(_("Rôle inconnu : « %(role)s ».") % {"role": sorted(unknown)[0]})
    beyond = roles - grantable_roles(actor)
    if beyond:
        raise NotAllowed(
            _("Vous ne pouvez pas confier un rôle que vous n'avez pas : « %(role)s ».")
            % {"role": Kind(sorted(beyond)[0]).label}
        )
    if Kind.SPACE_MANAGER in roles:
        if not spaces:
            raise Invalid(_("Choisissez les espaces qu'il ou elle gérera."), field="spaces")
        if Kind.ADMIN not in roles_of(actor):
            foreign = [s for s in spaces if not s.moderators.filter(pk=actor.pk).exists()]
            if foreign:
                raise NotAllowed(
                    _("Vous ne gérez pas l'espace « %(space)s ».") % {"space": foreign[0].title}
                )
    if Kind.ANALYST in roles and service is None:
        raise Invalid(_("Choisissez le service municipal de l'analyste."), field="service")
    if Kind.OFFICIAL in roles:
        if official is None:
            raise Invalid(_("Choisissez l'élu qui répondra avec ce compte."), field="official")
        if official.account_id is not None and (member is None or official.account_id != member.pk):
            raise Invalid(
                _("%(name)s répond déjà avec un autre compte.") % {"name": official.name},
                field="official",
            )
    return roles, spaces


def _is_member(user: User) -> bool:
    return bool(roles_of(user))


def invitation_send(
    *,
    actor: User,
    email: str,
    roles: Iterable[str],
    spaces: Iterable[Space] = (),
    service: MunicipalService | None = None,
    official: Official | None = None,
) -> Invitation:
    """Invite a colleague: an e-mail (sent by Celery once committed) with a one-time link,
    valid INVITATION_LIFETIME; a previous open invitation to the address is replaced."""
    ensure_perm(actor, "participation.invite_team")
    email = (email or "").strip().lower()
    if not email or "@" not in email or len(email) > 254:
        raise Invalid(_("Indiquez une adresse e-mail valide."), field="email")
    roles, spaces = _clean_roles(
        actor=actor, roles=roles, spaces=spaces, service=service, official=official
    )
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None and _is_member(existing):
        raise Conflict(
            _("%(email)s fait déjà partie de l'équipe : modifiez plutôt ses rôles.")
            % {"email": email},
            field="email",
        )
    key, hashed = one_time_key()
    try:
        with transaction.atomic():
            Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True).delete()
            invitation = Invitation.objects.create(
                email=email,
                roles=sorted(roles),
                service=service if Kind.ANALYST in roles else None,
                official=official if Kind.OFFICIAL in roles else None,
                key_hash=hashed,
                invited_by=actor,
                expires_at=timezone.now() + INVITATION_LIFETIME,
            )
            if Kind.SPACE_MANAGER in roles:
                invitation.spaces.set(spaces)
            email_send_on_commit(
                to=email,
                subject=_("%(town)s : rejoignez l'équipe de la plateforme de participation")
                % {"town": connection.tenant.name},
                template="team/emails/invitation.txt",
                context={
                    "invitation": invitation,
                    "actor": actor,
                    "town": connection.tenant,
                    "link": current_town_url(reverse("team:accept", args=[key])),
                    "days": INVITATION_LIFETIME.days,
                },
            )
    except IntegrityError as exc:  # the same address invited at the same moment
        raise Conflict(_("Une invitation vient d'être envoyée à cette adresse.")) from exc
    return invitation


def invitation_withdraw(*, actor: User, invitation_id: int) -> Invitation:
    """Withdraw an invitation not yet accepted: its link stops working at once (the row goes;
    the journal keeps who withdrew it). Returns it, as it was."""
    ensure_perm(actor, "participation.invite_team")
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .filter(pk=invitation_id, accepted_at__isnull=True)
            .first()
        )
        if invitation is None:
            raise NotFound(_("Cette invitation n'est plus en attente."))
        ensure_perm(actor, "participation.withdraw_invitation", invitation)
        invitation.delete()
    return invitation


def invitation_check(*, key: str, lock: bool = False) -> Invitation:
    """The open, unexpired invitation of ``key``; else Invalid."""
    invitations = Invitation.objects.select_for_update(of=("self",)) if lock else Invitation.objects
    invitation = (
        invitations.filter(
            key_hash=key_hash(key), accepted_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("service", "official", "invited_by")
        .first()
    )
    if invitation is None:
        raise Invalid(str(INVALID_LINK))
    return invitation


def _grant(
    *,
    user: User,
    roles: set[str],
    spaces: Iterable[Space],
    service: MunicipalService | None,
    official: Official | None,
) -> None:
    """Give ``user`` exactly ``roles`` and their scopes (the caller holds the user's lock)."""
    team_roles_set(user=user, kinds=roles)
    Space.moderators.through.objects.filter(user=user).delete()
    if Kind.SPACE_MANAGER in roles:
        for space in spaces:
            space.moderators.add(user)
    MunicipalService.members.through.objects.filter(user=user).delete()
    if Kind.ANALYST in roles and service is not None:
        service.members.add(user)
    Official.objects.filter(account=user).exclude(
        pk=official.pk if official and Kind.OFFICIAL in roles else None
    ).update(account=None)
    if Kind.OFFICIAL in roles and official is not None:
        Official.objects.filter(pk=official.pk).update(account=user)


def invitation_accept(
    *, key: str, user: User | None = None, display_name: str = "", password: str = ""
) -> User:
    """Join the team with the invitation's roles: as ``user`` (signed in with the invited
    address), or with a new account made here with ``display_name`` and ``password``. The
    link is spent; a second use, or an expired link, is refused."""
    with transaction.atomic():
        invitation = invitation_check(key=key, lock=True)
        if user is not None and user.is_authenticated:
            if user.email.lower() != invitation.email.lower():
                raise NotAllowed(
                    _(
                        "Cette invitation est adressée à %(email)s : connectez-vous avec ce "
                        "compte, ou déconnectez-vous."
                    )
                    % {"email": invitation.email}
                )
            member = User.objects.select_for_update().get(pk=user.pk)
        elif User.objects.filter(email__iexact=invitation.email).exists():
            raise Conflict(
                _("Un compte existe déjà pour %(email)s : connectez-vous pour accepter.")
                % {"email": invitation.email}
            )
        else:
            member = team_account_create(
                email=invitation.email, display_name=display_name, password=password
            )
        if invitation.official and invitation.official.account_id not in (None, member.pk):
            raise Conflict(
                _("%(name)s répond déjà avec un autre compte.") % {"name": invitation.official.name}
            )
        _grant(
            user=member,
            roles=set(invitation.roles) | set(roles_of(member)),
            spaces=[*invitation.spaces.all(), *Space.objects.filter(moderators=member)],
            service=invitation.service,
            official=invitation.official,
        )
        if member.email_verified_at is None:
            member.email_verified_at = timezone.now()
            member.save(update_fields=["email_verified_at"])
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = member
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return member


def _ensure_an_admin_remains(member: User, roles: set[str]) -> None:
    if Kind.ADMIN in roles_of(member) and Kind.ADMIN not in roles:
        others = (
            User.objects.filter(Q(role=User.Role.ADMIN) | Q(team_roles__kind=Kind.ADMIN))
            .filter(is_active=True)
            .exclude(pk=member.pk)
        )
        if not others.exists():
            raise Invalid(_("La collectivité garde au moins un administrateur."))


def member_roles_set(
    *,
    actor: User,
    member: User,
    roles: Iterable[str],
    spaces: Iterable[Space] = (),
    service: MunicipalService | None = None,
    official: Official | None = None,
) -> User:
    """Change a member's roles (administrators only); the town keeps an administrator."""
    ensure_perm(actor, "participation.manage_team")
    roles, spaces = _clean_roles(
        actor=actor, roles=roles, spaces=spaces, service=service, official=official, member=member
    )
    with transaction.atomic():
        member = User.objects.select_for_update().get(pk=member.pk)
        _ensure_an_admin_remains(member, roles)
        _grant(user=member, roles=roles, spaces=spaces, service=service, official=official)
    return member


def member_remove(*, actor: User, member: User) -> User:
    """Take every role and scope from a member: the account stays, as a resident's."""
    ensure_perm(actor, "participation.manage_team")
    with transaction.atomic():
        member = User.objects.select_for_update().get(pk=member.pk)
        _ensure_an_admin_remains(member, set())
        _grant(user=member, roles=set(), spaces=(), service=None, official=None)
    return member
