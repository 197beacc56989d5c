"""Who may vote in a budget, see its results and manage it. Every condition of a vote is
here (the vote's dates, the neighbourhood, the age, the census), each refusing with its
reason: the ballot page, the API and ``services.ballot_record`` ask ``budgets.vote_budget``
alone, so the page offers a ballot exactly when the service would take it."""

from __future__ import annotations

from dataclasses import dataclass

import rules
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.rules import is_paper_agent
from core.rules import refusal
from participation.rules import (
    can_view,
    component_of,
    is_space_moderator,
    is_town_admin,
    may_contribute,
    not_archived,
    phase_allows,
)

from . import secret
from .census import CensusIdentity, census_listed
from .models import Budget, NeighbourhoodVoter

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


@refusal
def is_vote_closed(user, obj) -> str | None:
    component = component_of(obj)
    if component is not None and vote_closed(component):
        return None
    return _("Les résultats se publient une fois le vote clos.")


@refusal
def projects_still_open(user, obj) -> str | None:
    """The projects are what people vote on: the list is fixed once the vote has started."""
    component = component_of(obj)
    if component is not None and vote_started(component):
        return _("Le vote a commencé : la liste des projets ne change plus.")
    return None


@refusal
def budget_still_empty(user, obj) -> str | None:
    """A pabulib file fills a budget: one that already has projects or ballots is not mixed
    with it."""
    if isinstance(obj, Budget) and (obj.projects.exists() or obj.ballots.exists()):
        return _("Ce budget a déjà des projets ou des bulletins : importez dans un budget vide.")
    return None


@refusal
def result_rule_still_open(user, obj) -> str | None:
    """The selection rule is announced before the vote and kept."""
    component = component_of(obj)
    if component is not None and vote_started(component):
        return _("Le vote a commencé : la règle de sélection annoncée ne peut plus changer.")
    return None


@dataclass(frozen=True)
class BallotAttempt:
    """A ballot about to be cast: ``budgets.vote_budget`` asked of it also checks the census
    identity given with it. Asked of the budget alone (the page, before the form is filled
    in), a census budget lets the ballot be offered with the census fields to fill in."""

    budget: Budget
    census: CensusIdentity | None = None

    @property
    def component(self):
        return self.budget.component


def budget_of(obj) -> Budget:
    return obj.budget if isinstance(obj, BallotAttempt) else obj


def vote_window_refusal(user, obj) -> str:
    """Why the budget takes no ballot now: not open yet, closed, or not open at all."""
    component = component_of(obj)
    now = timezone.now()
    phases = vote_phases(component)
    if phases and all(now < phase.starts_at for phase in phases):
        start = min(phase.starts_at for phase in phases)
        return _("Le vote n'est pas encore ouvert : il ouvrira le %(date)s.") % {
            "date": date_format(timezone.localtime(start), "DATETIME_FORMAT")
        }
    if phases and vote_closed(component, now):
        end = max(phase.ends_at for phase in phases)
        return _("Le vote est clos depuis le %(date)s.") % {
            "date": date_format(timezone.localtime(end), "DATETIME_FORMAT")
        }
    return _("Ce budget n'est pas ouvert au vote.")


def campaign_neighbourhood(user, component_id: int) -> NeighbourhoodVoter | None:
    """The neighbourhood this resident votes in during the campaign, once they voted in one
    of its neighbourhood budgets."""
    if not user.is_authenticated:
        return None
    return (
        NeighbourhoodVoter.objects.select_related("neighbourhood")
        .filter(component_id=component_id, voter=user)
        .first()
    )


@refusal
def votes_in_this_neighbourhood(user, obj) -> str | None:
    """A neighbourhood budget is for its residents (their profile), and a resident votes in
    one neighbourhood per campaign: the one of their first ballot, whatever the profile says
    afterwards (a profile is edited by its owner)."""
    budget = budget_of(obj)
    if budget.neighbourhood_id is None:
        return None
    held = campaign_neighbourhood(user, budget.component_id)
    if held is not None:
        if held.neighbourhood_id == budget.neighbourhood_id:
            return None
        return _(
            "Vous votez déjà pour le quartier « %(name)s » dans cette campagne : "
            "on ne vote que pour un seul quartier."
        ) % {"name": held.neighbourhood.name}
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    if profile is None or profile.neighbourhood_id != budget.neighbourhood_id:
        return _(
            "Ce budget est réservé aux habitants du quartier « %(name)s » : "
            "indiquez votre quartier dans votre profil."
        ) % {"name": budget.neighbourhood.name}
    return None


@refusal
def old_enough(user, obj) -> str | None:
    budget = budget_of(obj)
    if not budget.min_age:
        return None
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    if profile is None or profile.birth_year is None:
        return _(
            "Ce vote est ouvert à partir de %(age)d ans : "
            "indiquez votre année de naissance dans votre profil."
        ) % {"age": budget.min_age}
    if timezone.localdate().year - profile.birth_year < budget.min_age:
        return _("Ce vote est ouvert à partir de %(age)d ans.") % {"age": budget.min_age}
    return None


@refusal
def on_the_census(user, obj) -> str | None:
    budget = budget_of(obj)
    if not budget.census_required or not isinstance(obj, BallotAttempt):
        return None
    if obj.census is None:
        return _(
            "Ce vote est réservé aux personnes inscrites sur la liste : "
            "indiquez vos nom, prénom et date de naissance."
        )
    if not census_listed(budget, obj.census):
        return _("Ces nom, prénom et date de naissance ne figurent pas sur la liste des votants.")
    return None


@refusal
def not_voted_secretly(user, obj) -> str | None:
    budget = budget_of(obj)
    if budget.secret_ballot and secret.has_voted(user, budget):
        return _("Vous avez voté : au vote secret, un bulletin déposé ne se modifie plus.")
    return None


# An archived space says so rather than "the vote is closed".
vote_open = not_archived & (can_view & phase_allows(VOTE_PHASE)).otherwise(vote_window_refusal)

# Checked against a budget (may the page offer the ballot?) or a BallotAttempt (the service).
rules.add_perm(
    "budgets.vote_budget",
    # The vote's dates first: "sign in" would be no answer while nobody may vote.
    vote_open
    & may_contribute
    & votes_in_this_neighbourhood
    & old_enough
    & on_the_census
    & not_voted_secretly,
)
rules.add_perm("budgets.view_results_budget", is_space_moderator | (can_view & results_published))
rules.add_perm("budgets.change_budget", is_space_moderator)
# The back office offers these forms only when they are allowed (its template asks them).
rules.add_perm("budgets.add_project", is_space_moderator & projects_still_open)
rules.add_perm(
    "budgets.import_pabulib", is_space_moderator & projects_still_open & budget_still_empty
)
rules.add_perm("budgets.change_result_rule", is_space_moderator & result_rule_still_open)
# Paper ballots are typed in by the town's own agents, not by a space's volunteer moderators.
rules.add_perm("budgets.enter_paper_ballot", is_paper_agent)
# The budgets' back-office pages: who manages the space, and the paper-ballot agents.
rules.add_perm("budgets.open_backoffice", is_space_moderator | is_paper_agent)
rules.add_perm("budgets.override_results", is_town_admin)
# Two paper entries that differ: the town's administrators say which ballot is right.
rules.add_perm("budgets.resolve_paper_ballot", is_town_admin)
rules.add_perm("budgets.publish_results", is_town_admin & is_vote_closed)
