"""The budgets' open data: the budgets of public spaces, their projects, and once published,
their results (votes, selected or not); never a ballot nor a voter."""

from __future__ import annotations

from django.db.models import Max, QuerySet
from django.utils.translation import gettext as _

from participation.hooks import OpenDataset
from participation.models import Component

from .models import Budget, Project
from .selectors import results

BUDGET_COLUMNS = (
    "identifiant",
    "espace",
    "titre",
    "enveloppe",
    "regle_de_vote",
    "resultats_publies_le",
    "bulletins",
    "montant_retenu",
)
PROJECT_COLUMNS = (
    "identifiant",
    "budget",
    "budget_titre",
    "titre",
    "description",
    "cout",
    "latitude",
    "longitude",
    "voix",
    "retenu",
)


def open_data(components: QuerySet[Component]) -> list[OpenDataset]:
    budgets = Budget.objects.filter(component__in=components)
    dates = budgets.aggregate(changed=Max("updated_at"), published=Max("results_published_at"))
    modified = max(filter(None, dates.values()), default=None)
    return [
        OpenDataset(
            key="budgets",
            title=_("Budgets participatifs"),
            description=_(
                "Chaque budget participatif : enveloppe, règle de vote et, une fois les "
                "résultats publiés, le nombre de bulletins et le montant des projets retenus."
            ),
            columns=BUDGET_COLUMNS,
            rows=lambda: _budget_rows(budgets),
            modified=modified,
        ),
        OpenDataset(
            key="budgets-projets",
            title=_("Projets des budgets participatifs et résultats"),
            description=_(
                "Les projets soumis au vote, leur coût et, une fois les résultats publiés, "
                "leurs voix et s'ils sont retenus."
            ),
            columns=PROJECT_COLUMNS,
            rows=lambda: _project_rows(budgets),
            modified=modified,
        ),
    ]


def _published_results(budgets: QuerySet[Budget]):
    return {
        budget.pk: results(budget)
        for budget in budgets.filter(results_published_at__isnull=False).prefetch_related(
            "overrides"
        )
    }


def _budget_rows(budgets: QuerySet[Budget]):
    published = _published_results(budgets)
    for budget in budgets.select_related("component__space").order_by("pk"):
        found = published.get(budget.pk)
        yield {
            "identifiant": budget.pk,
            "espace": budget.component.space.title,
            "titre": budget.title,
            "enveloppe": budget.amount,
            "regle_de_vote": budget.get_ballot_rule_display(),
            "resultats_publies_le": budget.results_published_at,
            "bulletins": found.ballots if found else None,
            "montant_retenu": found.spent if found else None,
        }


def _project_rows(budgets: QuerySet[Budget]):
    published = _published_results(budgets)
    by_project = {row.id: row for found in published.values() for row in found.projects}
    projects = Project.objects.filter(budget__in=budgets).select_related("budget")
    for project in projects.order_by("budget_id", "position", "pk"):
        outcome = by_project.get(project.pk)
        yield {
            "identifiant": project.pk,
            "budget": project.budget_id,
            "budget_titre": project.budget.title,
            "titre": project.title,
            "description": project.description,
            "cout": project.cost,
            "latitude": project.latitude,
            "longitude": project.longitude,
            "voix": outcome.votes if outcome else None,
            "retenu": outcome.selected if outcome else None,
        }
