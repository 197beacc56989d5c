"""Who may do what in the participation engine. Modules add their own rules.py on top of
these predicates; HTML views and the API check the same permission strings, and ask
``core.rules.why_not`` for the reason of a refusal (each predicate here that can refuse
names its reason)."""

from __future__ import annotations

import rules
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import TeamRole
from accounts.roles import roles_of
from accounts.rules import holds, is_team_member, is_town_admin, is_town_moderator
from core.rules import Check, refusal

from .registry import registry


def component_of(obj):
    """The component an object belongs to: itself, or its ``component`` attribute."""
    from .models import Component

    if isinstance(obj, Component):
        return obj
    return getattr(obj, "component", None)


def space_of(obj):
    from .models import Space

    if isinstance(obj, Space):
        return obj
    component = component_of(obj)
    return component.space if component is not None else getattr(obj, "space", None)


@Check.of
def is_space_moderator(user, obj) -> bool:
    """The town's admins and moderators everywhere; a space's own moderators (the space
    managers the team gives it, or volunteers) there."""
    if not user.is_authenticated:
        return False
    if is_town_moderator.test(user):
        return True
    space = space_of(obj)
    return space is not None and space.moderators.filter(pk=user.pk).exists()


def analyst_service_ids(user) -> frozenset[int]:
    """The municipal services whose ideas this account instructs (analyst role only)."""
    if TeamRole.Kind.ANALYST not in roles_of(user):
        return frozenset()
    from .models import MunicipalService

    return frozenset(MunicipalService.objects.filter(members=user).values_list("pk", flat=True))


@Check.of
def is_analyst(user, obj=None) -> bool:
    return bool(analyst_service_ids(user))


@Check.of
def is_service_analyst(user, obj) -> bool:
    """An analyst of the municipal service the object (an idea) is assigned to."""
    service_id = getattr(obj, "service_id", None)
    return service_id is not None and service_id in analyst_service_ids(user)


@rules.predicate
def is_published(user, obj) -> bool:
    space = space_of(obj)
    return space is not None and space.is_published


def contribution_refusal(user) -> str | None:
    """Why this user may not contribute right now, in words for them; None if they may."""
    tenant = getattr(connection, "tenant", None)
    if tenant is not None and not getattr(tenant, "accepts_contributions", True):
        return _("Le site est en lecture seule : les contributions sont fermées.")
    if not user.is_authenticated:
        return _("Connectez-vous ou créez un compte pour participer.")
    if not user.is_active:
        return _("Ce compte est désactivé.")
    if not user.is_email_verified:
        return _("Confirmez d'abord votre adresse e-mail (lien reçu à l'inscription).")
    profile = getattr(user, "profile", None)
    if profile is None or profile.charter_accepted_at is None:
        return _("Acceptez la charte de participation pour contribuer.")
    return None


def archive_refusal(obj) -> str | None:
    """Why nothing may be written in the object's space: it is archived (read-only)."""
    space = space_of(obj) if obj is not None else None
    if space is not None and space.is_archived:
        return _(
            "Cet espace est archivé : il reste consultable, mais on n'y contribue plus "
            "(ni proposition, ni vote, ni commentaire, ni réponse)."
        )
    return None


@refusal
def not_archived(user, obj=None) -> str | None:
    return archive_refusal(obj)


@refusal
def may_contribute(user, obj=None) -> str | None:
    """Every module's writes ask this one (contributions, votes, comments, answers): an
    archived space refuses first, then the reason tied to the account."""
    return archive_refusal(obj) or contribution_refusal(user)


def phase_allows(action: str, reason=None) -> Check:
    """True while the object's component is in a phase allowing ``action``; refusing with
    ``reason`` (a lazy text or a callable ``(user, obj) -> str``) otherwise."""

    @rules.predicate(name=f"phase_allows:{action}")
    def predicate(user, obj) -> bool:
        component = component_of(obj)
        return component is not None and component.phase_allows(action)

    phase_check = Check.of(
        predicate, reason or gettext_lazy("Cette action n'est pas ouverte pendant cette phase.")
    )
    # An archived space's phases allow nothing, and say why.
    return not_archived & phase_check


@rules.predicate
def is_live(user, obj) -> bool:
    """The object's component is shown (not removed, its module switched on): the same
    condition as the components' default manager (``registry.live_q``)."""
    component = component_of(obj)
    return component is None or (
        component.removed_at is None and registry.is_on(component.type_key)
    )


can_view = Check.of(is_live, gettext_lazy("Ce module n'est pas disponible.")) & Check.of(
    is_published | is_space_moderator, gettext_lazy("Cet espace n'est pas publié.")
)

rules.add_perm("participation.view_space", can_view)
rules.add_perm("participation.change_space", is_space_moderator)
rules.add_perm("participation.moderate_space", is_space_moderator)
rules.add_perm("participation.admin_town", is_town_admin)
rules.add_perm("participation.view_backoffice", is_team_member)
# The spaces' pages of the back office: the town's moderators, and its space managers (their
# spaces only: participation.change_space on each).
rules.add_perm("participation.list_spaces", is_town_moderator | holds(TeamRole.Kind.SPACE_MANAGER))
rules.add_perm("participation.view_neighbourhoods", is_town_moderator)
# The town's team (participation.team) and its audit log.
rules.add_perm("participation.manage_team", is_town_admin)
# Space managers invite other managers for their own spaces (participation.team.services).
rules.add_perm("participation.invite_team", is_town_admin | holds(TeamRole.Kind.SPACE_MANAGER))


@rules.predicate
def sent_the_invitation(user, invitation) -> bool:
    return invitation is not None and invitation.invited_by_id == user.pk


# An invitation not yet accepted is withdrawn by the town's administrators, or by the space
# manager who sent it (participation.team.services.invitation_withdraw).
rules.add_perm(
    "participation.withdraw_invitation",
    Check.of(
        is_town_admin | (holds(TeamRole.Kind.SPACE_MANAGER) & sent_the_invitation),
        gettext_lazy("Seul un administrateur retire l'invitation d'un autre."),
    ),
)
rules.add_perm("participation.view_audit", is_town_admin)
rules.add_perm("participation.follow_space", rules.is_authenticated & can_view)
# The homepage: the town's administrators compose and publish it (participation.home).
rules.add_perm("participation.change_homepage", is_town_admin)
# The town's officials and municipal services (participation.officials).
rules.add_perm("participation.change_official", is_town_admin)
