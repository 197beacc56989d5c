"""Proposals put to a participatory budget's vote through the engine's vote hook, and their
status following the published results."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Conflict, Invalid, NotFound
from participation.services import ensure_perm

from .. import budgets
from ..models import (
    Proposal,
    ProposalProject,
)
from .review import clean_reason, proposal_locked, status_change

Status = Proposal.Status


def proposal_to_vote(
    *, actor: User, proposal: Proposal, budget_id: int, reason: str = ""
) -> ProposalProject:
    """Turn an eligible proposal into a project of a participatory budget (when the town has
    the budgets module): the project takes its title, description and cost (the services'
    estimate, else the author's), the link is kept here and the proposal is put to the vote."""
    ensure_perm(actor, "ideas.analyse_proposal", proposal)
    if not budgets.available():
        raise Invalid(_("Le module de budget participatif n'est pas disponible."))
    budget = budgets.budget_get(budget_id)
    if budget is None:
        raise NotFound(_("Ce budget participatif n'existe pas."))
    if budget.results_published:
        raise Conflict(_("Les résultats de ce budget sont déjà publiés."))
    reason = clean_reason(reason, required=False)
    with transaction.atomic():
        locked = proposal_locked(proposal)
        if locked.is_merged or locked.status != Status.ELIGIBLE:
            raise Invalid(_("Seule une idée recevable peut être soumise au vote."))
        if ProposalProject.objects.filter(proposal=locked).exists():
            raise Conflict(_("Cette idée est déjà un projet soumis au vote."))
        cost = locked.cost_estimate if locked.cost_estimate is not None else locked.estimated_cost
        if cost is None:
            raise Invalid(
                _("Indiquez le coût estimé par les services avant de soumettre l'idée au vote.")
            )
        project_id = budgets.project_create(
            actor=actor,
            budget=budget,
            title=locked.title,
            description=locked.description,
            cost=cost,
            proposal_id=locked.pk,
            latitude=locked.latitude,
            longitude=locked.longitude,
        )
        link = ProposalProject.objects.create(
            proposal=locked, project_id=project_id, budget_id=budget.pk
        )
        status_change(
            locked,
            Status.PUT_TO_VOTE,
            by=actor,
            reason=reason or _("Soumise au vote : « %(budget)s ».") % {"budget": budget},
        )
    return link


def proposals_follow_results(*, budget_id: int, selected_project_ids: Iterable[int]) -> dict:
    """Called by the budgets module when a budget's results are published: the proposals
    put to that vote become selected or not selected (once: those already followed are
    left as they are). Returns how many of each."""
    selected = {int(pk) for pk in selected_project_ids}
    counts = {Status.SELECTED.value: 0, Status.NOT_SELECTED.value: 0}
    with transaction.atomic():
        proposals = (
            Proposal.objects.select_for_update(of=("self",))
            .select_related("component__space", "author", "project_link")
            .filter(project_link__budget_id=budget_id, status=Status.PUT_TO_VOTE)
            .order_by("pk")
        )
        for proposal in proposals:
            to = (
                Status.SELECTED
                if proposal.project_link.project_id in selected
                else Status.NOT_SELECTED
            )
            status_change(proposal, to, by=None)
            counts[to.value] += 1
    return counts
