import csv
import io

from participation.models import Component

from .selectors import component_results

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    """Residents' and staff's text never starts a spreadsheet formula."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def polls_results_csv(component: Component) -> tuple[str, str, bytes]:
    """Every poll's results, one row per choice (UTF-8 with BOM: opens as is in a spreadsheet)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["sondage", "question", "choix", "voix", "participants", "pourcentage"])
    for poll, results in component_results(component):
        for row in results.choices:
            writer.writerow(
                [
                    poll.pk,
                    _cell(poll.question),
                    _cell(row.label),
                    row.count,
                    results.respondents,
                    row.percent,
                ]
            )
    filename = f"sondages-{component.space.slug}-{component.pk}.csv"
    return filename, "text/csv; charset=utf-8", buffer.getvalue().encode("utf-8-sig")
