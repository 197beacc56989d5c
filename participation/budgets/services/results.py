"""Results: a recorded override of the computed selection, then publication once the vote is
closed (the selection frozen, other modules told through the engine's hook)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Conflict, Invalid
from core.text import clean_text
from participation.hooks import results_published
from participation.services import ensure_perm

from ..models import (
    Budget,
    Project,
    ResultOverride,
)


def result_override(
    *, actor: User, budget: Budget, project: Project, selected: bool, reason: str
) -> ResultOverride:
    ensure_perm(actor, "budgets.override_results", budget)
    if project.budget_id != budget.pk:
        raise Invalid(_("Ce projet ne fait pas partie de ce budget."))
    if budget.is_published:
        raise Conflict(_("Les résultats sont publiés : ils ne changent plus."))
    reason = clean_text(reason, label=_("Motif"), max_length=2000)
    override, _created = ResultOverride.objects.update_or_create(
        budget=budget,
        project=project,
        defaults={"selected": selected, "reason": reason, "by": actor},
    )
    return override


def results_publish(*, actor: User, budget: Budget) -> Budget:
    """Publish the results once the vote is over; the selection is frozen as published."""
    from ..selectors import results

    ensure_perm(actor, "budgets.publish_results", budget)
    with transaction.atomic():
        locked = Budget.objects.select_for_update().get(pk=budget.pk)
        if locked.is_published:
            raise Conflict(_("Les résultats de ce budget sont déjà publiés."))
        selected_ids = results(budget).selected_ids
        budget.results_published_at = timezone.now()
        budget.published_selection = selected_ids
        budget.save(update_fields=["results_published_at", "published_selection", "updated_at"])
        transaction.on_commit(lambda: on_results_published(budget, selected_ids))
    return budget


def on_results_published(budget: Budget, selected_ids: list[int]) -> None:
    """Tell the modules following the winners (the ideas module's proposals, through
    ``Project.proposal_id``): the engine's ``results_published`` signal."""
    results_published.send(sender=Budget, budget=budget, selected_ids=selected_ids)
