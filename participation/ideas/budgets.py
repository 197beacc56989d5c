"""The bridge to the participatory budgets module, when the town has it: this module never
imports it at load time and its migrations do not depend on it."""

from __future__ import annotations

import importlib
import math
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

BUDGETS_APP = "participation.budgets"


def project_model() -> type[models.Model] | None:
    """``participation.budgets.models.Project`` when that app is installed, else None."""
    if not apps.is_installed(BUDGETS_APP):
        return None
    try:
        module = importlib.import_module(f"{BUDGETS_APP}.models")
    except ImportError:
        return None
    return getattr(module, "Project", None)


def budget_model() -> type[models.Model] | None:
    project = project_model()
    if project is None:
        return None
    try:
        return project._meta.get_field("budget").related_model
    except FieldDoesNotExist:  # a budgets module shaped otherwise: no bridge
        return None


def available() -> bool:
    return budget_model() is not None


def budgets() -> list:
    """The town's budgets a proposal may be put to the vote in (empty without the module)."""
    model = budget_model()
    return list(model.objects.all()) if model is not None else []


def budget_get(budget_id: int):
    model = budget_model()
    if model is None:
        return None
    return model.objects.filter(pk=budget_id).first()


def project_create(*, actor, budget, title: str, description: str, cost: Decimal, proposal_id: int):
    """A project of ``budget`` made from a proposal, through the budgets module's own
    ``project_add`` (its rules apply: the staff's rights on the budget, no new project once
    the vote has started); the cost in whole euros, rounded up. Only called when
    ``available()``."""
    from participation.budgets.services import project_add

    return project_add(
        actor=actor,
        budget=budget,
        title=title,
        description=description,
        cost=math.ceil(cost),
        proposal_id=proposal_id,
    )


def budgets_open() -> list:
    """The budgets whose results are not yet published."""
    return [budget for budget in budgets() if not getattr(budget, "is_published", False)]


def results_published_receiver(sender, budget, selected_ids, **kwargs) -> None:
    """Receiver for ``participation.budgets.services.results_published``: the proposals put
    to this budget's vote become selected or not selected. Not connected here (the budgets
    module's owner wires it); connecting it twice is harmless (only proposals still put to
    the vote move)."""
    from .services import proposals_follow_results

    proposals_follow_results(budget_id=budget.pk, selected_project_ids=selected_ids)
