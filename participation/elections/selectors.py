from __future__ import annotations

from django.db.models import QuerySet

from .models import Candidate, Elector


def candidates_standing(component) -> QuerySet[Candidate]:
    return Candidate.objects.filter(
        component=component, status=Candidate.Status.VALIDATED
    ).select_related("photo")


def candidates_all(component) -> QuerySet[Candidate]:
    return Candidate.objects.filter(component=component).select_related("photo")


def roll(component) -> QuerySet[Elector]:
    return Elector.objects.filter(component=component)
