"""The template library's view of a poll component: its questions and choices, never an
answer."""

from __future__ import annotations

from typing import Any

from participation.blueprints import fields_export, fields_import
from participation.models import Component

from .models import Choice, Poll

POLL_FIELDS = ("question", "kind", "max_choices", "results_visibility", "position")


def blueprint_export(component: Component) -> dict[str, Any]:
    polls = Poll.objects.filter(component=component).prefetch_related("choices")
    return {
        "polls": [
            {
                **fields_export(poll, POLL_FIELDS),
                "choices": [choice.label for choice in poll.choices.all()],
            }
            for poll in polls
        ]
    }


def blueprint_import(component: Component, data: dict[str, Any]) -> None:
    for poll_data in data.get("polls", []):
        poll = Poll.objects.create(component=component, **fields_import(poll_data, POLL_FIELDS))
        Choice.objects.bulk_create(
            Choice(poll=poll, label=label, position=position)
            for position, label in enumerate(poll_data.get("choices", []))
        )
