"""What the ideas module gives the town's homepage: the number of ideas submitted (a key
figure). Merged duplicates and ideas of unpublished spaces are left out (places on the map
come through the registry's map_points hook, like every module's)."""

from django.utils.translation import ngettext

from participation.home.blocks import KeyFigure
from participation.models import Space
from participation.registry import registry

from .models import Proposal


def _shown():
    return Proposal.objects.filter(
        registry.live_q("component__"),
        merged_into__isnull=True,
        component__space__status=Space.Status.PUBLISHED,
    )


def ideas_count() -> int:
    return _shown().count()


IDEAS_FIGURE = KeyFigure(
    "ideas",
    label=lambda count: ngettext("idée déposée", "idées déposées", count),
    value=ideas_count,
    module="ideas",
)
