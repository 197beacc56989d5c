"""Where a new item goes in an ordered list (spaces' components, budgets, projects, sections,
questions, categories): after the last one."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import models
from django.db.models import Max
from django.utils.translation import gettext as _

from .errors import Invalid


def next_position(*, parent: models.Model, items: models.QuerySet) -> int:
    """The position after the last of ``items`` (0 for the first), ``parent`` locked until the
    transaction ends: two additions at once wait for each other instead of taking the same
    position. Called inside ``transaction.atomic()`` (Django refuses the lock outside one).
    After the last position, not the count: a deleted item leaves a gap, never a tie."""
    type(parent)._default_manager.select_for_update().filter(pk=parent.pk).get()
    last = items.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


def neighbour_swapped(items: list, index: int, direction: str) -> bool:
    """Swap ``items[index]`` with its neighbour above (``"up"``) or below (``"down"``), in the
    list: False at the top or the bottom already (nothing moves)."""
    if direction not in ("up", "down"):
        raise Invalid(_("Direction inconnue."))
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(items):
        return False
    items[index], items[other] = items[other], items[index]
    return True


def positions_saved(items: Sequence[models.Model]) -> None:
    """Number ``items`` 0, 1, 2… in their list order, saving only those whose place changed."""
    for position, item in enumerate(items):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
