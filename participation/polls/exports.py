from core.exports import CSV_CONTENT_TYPE, csv_bytes
from participation.models import Component

from .selectors import component_results


def polls_results_csv(component: Component) -> tuple[str, str, bytes]:
    """Every poll's results, one row per choice."""
    header = ["sondage", "question", "choix", "voix", "participants", "pourcentage"]
    rows = [
        [poll.pk, poll.question, row.label, row.count, results.respondents, row.percent]
        for poll, results in component_results(component)
        for row in results.choices
    ]
    filename = f"sondages-{component.space.slug}-{component.pk}.csv"
    return filename, CSV_CONTENT_TYPE, csv_bytes([header, *rows])
