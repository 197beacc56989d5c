"""Who may do what in volunteering. An association's accounts act for it (its managers
also change it and hand the role over); the town's moderators validate associations and
moderate missions; any account that may contribute volunteers."""

from __future__ import annotations

import rules
from django.utils.translation import gettext_lazy as _

from accounts.rules import is_town_moderator
from core.rules import Check
from participation.rules import can_view, may_contribute


def association_of(obj):
    """The association an object belongs to: itself, or its ``association``."""
    from .models import Association

    return obj if isinstance(obj, Association) else getattr(obj, "association", None)


def role_in(user, association) -> str | None:
    """The account's role in the association (None: not one of its accounts). Selectors may
    have filled ``association._roles``."""
    if association is None or not user.is_authenticated:
        return None
    known = getattr(association, "_roles", None)
    if known is not None and user.pk in known:
        return known[user.pk]
    from .models import Membership

    return (
        Membership.objects.filter(association=association, user=user)
        .values_list("role", flat=True)
        .first()
    )


is_association_member = Check.of(
    lambda user, obj: role_in(user, association_of(obj)) is not None,
    _("Seuls les comptes de l'association peuvent faire cela."),
)
is_association_manager = Check.of(
    lambda user, obj: role_in(user, association_of(obj)) == "manager",
    _("Seuls les responsables de l'association peuvent faire cela."),
)
is_validated = Check.of(
    lambda user, obj: getattr(association_of(obj), "is_validated", False),
    _("L'association n'a pas encore été validée par la collectivité."),
)

rules.add_perm("volunteering.register_association", may_contribute)
rules.add_perm("volunteering.change_association", is_association_manager | is_town_moderator)
rules.add_perm("volunteering.validate_association", is_town_moderator)
# Posting missions and events, answering applications, searching and contacting volunteers.
rules.add_perm(
    "volunteering.act_for_association", may_contribute & is_association_member & is_validated
)
rules.add_perm("volunteering.moderate_mission", is_town_moderator)
rules.add_perm("volunteering.apply_mission", may_contribute & can_view)
rules.add_perm("volunteering.volunteer", may_contribute)
