"""The budgets as votes other modules can put their proposals to (the registry's
``vote_receiver`` hook): the ideas module sends its eligible proposals here without importing
this module, and this module never imports it."""

from __future__ import annotations

from decimal import Decimal

from accounts.models import User
from participation.hooks import Vote, VoteReceiver

from .models import Budget
from .services import project_add


def _vote(budget: Budget) -> Vote:
    return Vote(pk=budget.pk, label=str(budget), results_published=budget.is_published)


def votes() -> list[Vote]:
    return [_vote(budget) for budget in Budget.objects.all()]


def vote_get(pk: int) -> Vote | None:
    budget = Budget.objects.filter(pk=pk).first()
    return _vote(budget) if budget is not None else None


def proposal_add(
    *,
    actor: User,
    vote_pk: int,
    title: str,
    description: str,
    cost: int,
    origin_pk: int,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> int:
    """A project of the budget made from another module's proposal, through ``project_add``
    (its rules apply: the staff's rights on the budget, no new project once the vote has
    started); ``Project.proposal_id`` keeps where it came from."""
    budget = Budget.objects.select_related("component__space").get(pk=vote_pk)
    project = project_add(
        actor=actor,
        budget=budget,
        title=title,
        description=description,
        cost=cost,
        proposal_id=origin_pk,
        latitude=latitude,
        longitude=longitude,
    )
    return project.pk


receiver = VoteReceiver(votes=votes, vote_get=vote_get, item_add=proposal_add)
