"""The template library's view of a participatory budget: each budget's envelope and voting
rules. Not its projects: they come from the town's residents (ideas put to the vote) or from
its own works plan, with local costs, places and pictures; not its quarter (another town has
its own); not its census list, ballots nor results."""

from __future__ import annotations

from typing import Any

from participation.blueprints import fields_export, fields_import
from participation.models import Component

from .models import Budget

BUDGET_FIELDS = (
    "title",
    "description",
    "amount",
    "ballot_rule",
    "min_projects",
    "max_projects",
    "min_spend_percent",
    "max_points_per_project",
    "max_points",
    "result_rule",
    "min_age",
    "census_required",
    "position",
)


def blueprint_export(component: Component) -> dict[str, Any]:
    budgets = Budget.objects.filter(component=component)
    return {"budgets": [fields_export(budget, BUDGET_FIELDS) for budget in budgets]}


def blueprint_import(component: Component, data: dict[str, Any]) -> None:
    for budget_data in data.get("budgets", []):
        Budget.objects.create(component=component, **fields_import(budget_data, BUDGET_FIELDS))
