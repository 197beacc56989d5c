from dataclasses import asdict

from participation.models import Component

from .selectors import answer_record


def questions_statistics(component: Component) -> dict:
    record = answer_record(component)
    return {**asdict(record), "in_time_percent": record.in_time_percent}
