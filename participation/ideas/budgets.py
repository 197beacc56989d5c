"""The ideas' side of the vote: eligible proposals go to the votes of whichever module takes
them (the participatory budgets, through the registry's ``vote_receiver`` hook) and follow the
results it publishes (the engine's ``results_published`` signal). No other module is
imported: without one that takes proposals, ``available()`` is False."""

from __future__ import annotations

import math
from decimal import Decimal

from accounts.models import User
from participation.hooks import Vote
from participation.registry import registry


def available() -> bool:
    return registry.vote_receiver() is not None


def budget_get(budget_id: int) -> Vote | None:
    receiver = registry.vote_receiver()
    return receiver.vote_get(budget_id) if receiver is not None else None


def budgets_open() -> list[Vote]:
    """The votes a proposal may still be put to: those whose results are not yet published."""
    receiver = registry.vote_receiver()
    if receiver is None:
        return []
    return [vote for vote in receiver.votes() if not vote.results_published]


def project_create(
    *,
    actor: User,
    budget: Vote,
    title: str,
    description: str,
    cost: Decimal,
    proposal_id: int,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> int:
    """The pk of the item made from a proposal in ``budget``'s vote, by the receiving module's
    own service (its rules apply); the cost in whole euros, rounded up. Only called when
    ``available()``."""
    receiver = registry.vote_receiver()
    return receiver.item_add(
        actor=actor,
        vote_pk=budget.pk,
        title=title,
        description=description,
        cost=math.ceil(cost),
        origin_pk=proposal_id,
        latitude=latitude,
        longitude=longitude,
    )


def results_published_receiver(sender, budget, selected_ids, **kwargs) -> None:
    """Receiver of ``participation.hooks.results_published`` (connected in apps.py): the
    proposals put to this vote become selected or not selected (only those still put to the
    vote move, so a second publication changes nothing)."""
    from .services import proposals_follow_results

    proposals_follow_results(budget_id=budget.pk, selected_project_ids=selected_ids)
