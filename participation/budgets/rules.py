"""Who may vote in a budget, see its results and manage it."""

import rules
from django.utils import timezone

from participation.rules import (
    can_view,
    component_of,
    is_space_moderator,
    is_town_admin,
    is_town_moderator,
    may_contribute,
    phase_allows,
)

VOTE_PHASE = "vote"


def vote_phases(component) -> list:
    return [phase for phase in component.phases.all() if phase.kind == VOTE_PHASE]


def vote_started(component, now=None) -> bool:
    now = now or timezone.now()
    return any(phase.starts_at <= now for phase in vote_phases(component))


def vote_closed(component, now=None) -> bool:
    """True once the component's last vote phase has ended (False if it never had one)."""
    now = now or timezone.now()
    ends = [phase.ends_at for phase in vote_phases(component)]
    return bool(ends) and max(ends) <= now


@rules.predicate
def results_published(user, budget) -> bool:
    return getattr(budget, "results_published_at", None) is not None


@rules.predicate
def is_vote_closed(user, obj) -> bool:
    component = component_of(obj)
    return component is not None and vote_closed(component)


rules.add_perm("budgets.vote_budget", may_contribute & can_view & phase_allows(VOTE_PHASE))
rules.add_perm("budgets.view_results_budget", is_space_moderator | (can_view & results_published))
rules.add_perm("budgets.change_budget", is_space_moderator)
# Paper ballots are typed in by the town's own agents, not by a space's volunteer moderators.
rules.add_perm("budgets.enter_paper_ballot", is_town_moderator)
rules.add_perm("budgets.override_results", is_town_admin)
rules.add_perm("budgets.publish_results", is_town_admin & is_vote_closed)
