from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exports import CSV_CONTENT_TYPE, csv_bytes
from participation.models import Component

from .selectors import budgets, results


def results_rows(budget, outcome) -> list[list]:
    return [
        [
            budget.pk,
            budget.title,
            row.id,
            row.title,
            row.cost,
            row.votes,
            row.score,
            _("oui") if row.selected else _("non"),
            row.override_reason,
        ]
        for row in outcome.projects
    ]


HEADER = [
    gettext_lazy("budget"),
    gettext_lazy("titre du budget"),
    gettext_lazy("projet"),
    gettext_lazy("titre"),
    gettext_lazy("coût (€)"),
    gettext_lazy("bulletins"),
    gettext_lazy("score"),
    gettext_lazy("retenu"),
    gettext_lazy("motif de la décision"),
]


def budget_results_csv(budget, outcome) -> bytes:
    return csv_bytes([HEADER, *results_rows(budget, outcome)])


def budgets_results_csv(component: Component) -> tuple[str, str, bytes]:
    """Every budget's results, one row per project."""
    rows = [row for budget in budgets(component) for row in results_rows(budget, results(budget))]
    filename = f"budgets-{component.space.slug}-{component.pk}.csv"
    return filename, CSV_CONTENT_TYPE, csv_bytes([HEADER, *rows])
