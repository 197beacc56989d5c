from __future__ import annotations

import datetime

from django.db.models import Max, Q, QuerySet

from participation.models import Component

from .models import Candidate, Elector, box_name
from .rules import VOTE_PHASE


def candidates_standing(component) -> QuerySet[Candidate]:
    return Candidate.objects.filter(
        component=component, status=Candidate.Status.VALIDATED
    ).select_related("photo")


def candidates_all(component) -> QuerySet[Candidate]:
    return Candidate.objects.filter(component=component).select_related("photo")


def roll(component) -> QuerySet[Elector]:
    return Elector.objects.filter(component=component)


def secret_boxes_closed(now: datetime.datetime) -> list[str]:
    """The boxes of the elections whose last vote phase has ended by ``now``."""
    closed = Component.objects.filter(type_key="elections").annotate(
        closes=Max("phases__ends_at", filter=Q(phases__kind=VOTE_PHASE))
    )
    return [box_name(component) for component in closed.filter(closes__lte=now)]
