import csv
import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participation.models import Component

from .selectors import budgets, results

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    """Residents' and staff's text never starts a spreadsheet formula."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def results_rows(budget, outcome) -> list[list]:
    return [
        [
            budget.pk,
            _cell(budget.title),
            row.id,
            _cell(row.title),
            row.cost,
            row.votes,
            row.score,
            _("oui") if row.selected else _("non"),
            _cell(row.override_reason),
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
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADER)
    writer.writerows(results_rows(budget, outcome))
    return buffer.getvalue().encode("utf-8-sig")


def budgets_results_csv(component: Component) -> tuple[str, str, bytes]:
    """Every budget's results, one row per project (UTF-8 with BOM for spreadsheets)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADER)
    for budget in budgets(component):
        writer.writerows(results_rows(budget, results(budget)))
    filename = f"budgets-{component.space.slug}-{component.pk}.csv"
    return filename, "text/csv; charset=utf-8", buffer.getvalue().encode("utf-8-sig")
