"""Read-only queries of the polls: results are counted by the database."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from participation.models import Component

from .models import Answer, Choice, Poll


@dataclass(frozen=True)
class ChoiceResult:
    id: int
    label: str
    count: int
    # Share of the respondents who ticked this choice, rounded half up (a multiple-choice
    # poll's percentages can add up to more than 100).
    percent: int


@dataclass(frozen=True)
class PollResults:
    respondents: int
    choices: list[ChoiceResult]


def polls(component: Component) -> QuerySet[Poll]:
    return Poll.objects.filter(component=component).prefetch_related("choices")


def poll_in(component: Component, poll_id: int) -> Poll:
    """One poll of the component (404 otherwise), attached to this component instance so
    that rules reuse its prefetched phases and space."""
    poll = get_object_or_404(polls(component), pk=poll_id)
    poll.component = component
    return poll


def poll_for_page(component: Component, user, poll_id: int) -> Poll:
    """One poll as ``polls_for_page`` shapes it (404 if not in the component)."""
    found = polls_for_page(component, user, poll_id=poll_id)
    if not found:
        raise Http404
    return found[0]


def polls_for_page(component: Component, user, *, poll_id: int | None = None) -> list[Poll]:
    """The component's polls (or only ``poll_id``) with their choices, and what this user
    answered: each poll gets ``my_choice_ids`` and the cache ``has_answered`` reads. Three
    queries whatever the number of polls."""
    queryset = polls(component)
    items = list(queryset if poll_id is None else queryset.filter(pk=poll_id))
    mine: dict[int, set[int]] = {}
    if user.is_authenticated and items:
        rows = Answer.objects.filter(poll__in=items, user=user).values_list(
            "poll_id", "answer_choices__choice_id"
        )
        for poll_id, choice_id in rows:
            mine.setdefault(poll_id, set()).add(choice_id)
    for poll in items:
        poll.component = component
        poll.my_choice_ids = mine.get(poll.pk, set())
        poll._answered_by = {user.pk: poll.pk in mine} if user.is_authenticated else {}
    return items


def _percent(count: int, total: int) -> int:
    return (200 * count + total) // (2 * total) if total else 0


def results(poll: Poll) -> PollResults:
    """Counts and percentages per choice, in one query."""
    respondents = (
        Answer.objects.filter(poll=OuterRef("poll"))
        .order_by()
        .values("poll")
        .annotate(total=Count("pk"))
        .values("total")
    )
    rows = (
        Choice.objects.filter(poll_id=poll.pk)
        .order_by("position", "pk")
        .annotate(
            votes=Count("answer_choices"),
            respondents=Coalesce(Subquery(respondents), Value(0), output_field=IntegerField()),
        )
        .values_list("pk", "label", "votes", "respondents")
    )
    rows = list(rows)
    total = rows[0][3] if rows else 0
    return PollResults(
        respondents=total,
        choices=[
            ChoiceResult(id=pk, label=label, count=votes, percent=_percent(votes, total))
            for pk, label, votes, _total in rows
        ],
    )


def component_results(component: Component) -> list[tuple[Poll, PollResults]]:
    return [(poll, results(poll)) for poll in polls(component)]
