"""Predicates on a town account's roles in the town's team (accounts.roles), for every app's
rules (theming's, the participation engine's and its modules'). The scoped roles (a space
manager's spaces, an analyst's service, an official) are checked by the engine's rules,
which know those scopes."""

from django.utils.translation import gettext_lazy as _

from core.rules import Check

from .models import TeamRole
from .roles import roles_of


def holds(*kinds: str) -> Check:
    """True for an account holding one of ``kinds``."""

    def test(user, obj=None) -> bool:
        return not roles_of(user).isdisjoint(kinds)

    test.__name__ = "holds:" + "|".join(kinds)
    return Check.of(test)


is_town_admin = holds(TeamRole.Kind.ADMIN)
# The town's own moderators (comments, every space's modules), and its admins.
is_town_moderator = holds(TeamRole.Kind.ADMIN, TeamRole.Kind.MODERATOR)
# Paper ballots are typed in by the town's own agents.
is_paper_agent = holds(TeamRole.Kind.ADMIN, TeamRole.Kind.MODERATOR, TeamRole.Kind.PAPER_AGENT)
is_team_member = Check.of(
    lambda user, obj=None: bool(roles_of(user)),
    _("Cette page est réservée à l'équipe de la collectivité."),
)
