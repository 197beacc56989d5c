"""What the ideas module gives the town's homepage: the number of ideas submitted (a key
figure) and the ideas that have a place (the map and its list). Merged duplicates and ideas of
unpublished spaces are left out."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from participation.home.blocks import KeyFigure, MapPoint
from participation.models import Space

from .models import Proposal


def _shown():
    return Proposal.objects.filter(
        merged_into__isnull=True, component__space__status=Space.Status.PUBLISHED
    )


def ideas_count() -> int:
    return _shown().count()


IDEAS_FIGURE = KeyFigure(
    "ideas",
    label=lambda count: ngettext("idée déposée", "idées déposées", count),
    value=ideas_count,
)


def ideas_on_map() -> list[MapPoint]:
    proposals = (
        _shown()
        .filter(latitude__isnull=False, longitude__isnull=False)
        .select_related("component__space")
        .order_by("-created_at", "-pk")
    )
    return [
        MapPoint(
            title=proposal.title,
            url=proposal.get_absolute_url(),
            latitude=proposal.latitude,
            longitude=proposal.longitude,
            kind=_("Idée"),
            detail=str(proposal.get_status_display()),
        )
        for proposal in proposals
    ]
