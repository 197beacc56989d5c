from __future__ import annotations

import datetime

from django.db.models import Max, Q, QuerySet
from django.http import Http404

from participation.models import Component
from participation.selectors import component_with_phases

from .models import Candidate, Election, Elector, box_name
from .page_cache import ELECTIONS, BallotPage
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


def _ballot_page_load(component_id: int) -> BallotPage | None:
    component = component_with_phases(component_id, "elections")
    if component is None:
        return None
    election, _created = Election.objects.get_or_create(component=component)
    election.component = component
    statuses = dict(Candidate.objects.filter(component=component).values_list("pk", "status"))
    return BallotPage(election=election, statuses=statuses)


def ballot_page(*, space_slug: str, component_id: int, user) -> BallotPage:
    """The election a ballot is cast in, as ``component_for_page`` finds its component (404
    if the URL's space does not match or the user may not see it), from the cache (one round
    trip) or four queries."""
    page = ELECTIONS.get(component_id, lambda: _ballot_page_load(component_id))
    component = page.election.component if page is not None else None
    if (
        component is None
        or component.space.slug != space_slug
        or not user.has_perm("participation.view_space", component.space)
    ):
        raise Http404
    return page
