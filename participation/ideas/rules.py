"""Who may submit, edit and analyse proposals of a call for ideas; each refusal names its
reason (``core.rules.why_not``), the same on the pages, the API and in the
services."""

import rules
from django.utils.translation import gettext_lazy as _

from core.rules import Check
from participation.rules import (
    can_view,
    is_analyst,
    is_service_analyst,
    is_space_moderator,
    may_contribute,
    phase_allows,
)

ADD = "add"


@rules.predicate
def _is_proposal_author(user, proposal) -> bool:
    return user.is_authenticated and getattr(proposal, "author_id", None) == user.pk


@rules.predicate
def _is_still_submitted(user, proposal) -> bool:
    return getattr(proposal, "status", None) == "submitted" and not getattr(
        proposal, "merged_into_id", None
    )


is_proposal_author = Check.of(_is_proposal_author, _("Seul l'auteur peut modifier cette idée."))
is_still_submitted = Check.of(
    _is_still_submitted,
    _("Cette idée est déjà examinée par la mairie : elle ne peut plus être modifiée."),
)

# Checked against the component (submitting) or the proposal (editing, analysing).
rules.add_perm(
    "ideas.add_proposal",
    # The space and the phase first: "sign in" would be no answer while nobody may submit.
    can_view
    & phase_allows(ADD, _("Le dépôt d'idées n'est pas ouvert pendant cette phase."))
    & may_contribute,
)
rules.add_perm(
    "ideas.change_proposal",
    may_contribute
    & can_view
    & is_proposal_author
    & is_still_submitted
    & phase_allows(ADD, _("Le dépôt d'idées est clos : les idées ne peuvent plus être modifiées.")),
)
# Checked against a proposal: the space's moderators, and the analysts of the municipal
# service it is assigned to; against the component (categories, settings): moderators only.
rules.add_perm("ideas.analyse_proposal", is_space_moderator | is_service_analyst)
# The back office's queue and analysis pages: analysts see their services' proposals only.
rules.add_perm("ideas.open_backoffice", is_space_moderator | is_analyst)
rules.add_perm("ideas.assign_proposal", is_space_moderator)
