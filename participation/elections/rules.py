"""Who may apply, vote, see the results and run an election. The vote's and the results'
conditions that depend on the elector (on the roll, of the neighbourhood, not yet voted)
are checked by ``services.ballot_cast`` against the roll, with their own messages."""

from __future__ import annotations

import rules
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.rules import is_paper_agent
from core.rules import Check
from participation.rules import (
    can_view,
    component_of,
    is_space_moderator,
    may_contribute,
    phase_allows,
)

VOTE_PHASE = "vote"


def vote_closed(component, now=None) -> bool:
    """True once the component's last vote phase has ended (False if it never had one)."""
    now = now or timezone.now()
    ends = [phase.ends_at for phase in component.phases.all() if phase.kind == VOTE_PHASE]
    return bool(ends) and max(ends) <= now


@rules.predicate
def _closed(user, obj) -> bool:
    component = component_of(obj)
    return component is not None and vote_closed(component)


is_vote_closed = Check.of(_closed, _("Les résultats sont publiés à la clôture du vote."))

rules.add_perm(
    "elections.apply_candidate",
    may_contribute
    & can_view
    & phase_allows("apply", _("Le dépôt des candidatures n'est pas ouvert.")),
)
rules.add_perm(
    "elections.vote_election",
    may_contribute & can_view & phase_allows(VOTE_PHASE, _("Le vote n'est pas ouvert.")),
)
rules.add_perm("elections.view_results", can_view & is_vote_closed)
rules.add_perm("elections.change_election", is_space_moderator)
# The polling station's paper votes are typed in by the town's agents (as budgets' paper
# ballots), not by a space's managers; the agents reach the election's page for that.
rules.add_perm("elections.enter_paper", is_paper_agent)
rules.add_perm("elections.open_backoffice", is_space_moderator | is_paper_agent)
