"""The polls' open data: how many chose each choice, for the polls whose results anyone may
read (rule ``polls.view_results_poll`` asked for an anonymous visitor); never who answered."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Max, QuerySet
from django.utils.translation import gettext as _

from participation.hooks import OpenDataset
from participation.models import Component

from .models import Answer, Poll
from .selectors import results

COLUMNS = ("sondage", "espace", "question", "choix", "reponses", "pourcentage", "participants")


def open_data(components: QuerySet[Component]) -> list[OpenDataset]:
    return [
        OpenDataset(
            key="sondages-resultats",
            title=_("Résultats des sondages"),
            description=_(
                "Pour chaque sondage dont les résultats sont publics : le nombre de réponses "
                "à chaque choix."
            ),
            columns=COLUMNS,
            rows=lambda: _rows(components),
            modified=Answer.objects.filter(poll__component__in=components).aggregate(
                at=Max("created_at")
            )["at"],
        )
    ]


def public_polls(components: QuerySet[Component]) -> list[Poll]:
    anonymous = AnonymousUser()
    polls = Poll.objects.filter(component__in=components).select_related("component__space")
    return [
        poll
        for poll in polls.order_by("component_id", "position", "pk")
        if anonymous.has_perm("polls.view_results_poll", poll)
    ]


def _rows(components: QuerySet[Component]):
    for poll in public_polls(components):
        found = results(poll)
        for choice in found.choices:
            yield {
                "sondage": poll.pk,
                "espace": poll.component.space.title,
                "question": poll.question,
                "choix": choice.label,
                "reponses": choice.count,
                "pourcentage": choice.percent,
                "participants": found.respondents,
            }
