"""Where a new item goes in an ordered list (spaces' components, budgets, projects, sections,
questions, categories): after the last one."""

from __future__ import annotations

from django.db import models
from django.db.models import Max


def next_position(*, parent: models.Model, items: models.QuerySet) -> int:
    """The position after the last of ``items`` (0 for the first), ``parent`` locked until the
    transaction ends: two additions at once wait for each other instead of taking the same
    position. Called inside ``transaction.atomic()`` (Django refuses the lock outside one).
    After the last position, not the count: a deleted item leaves a gap, never a tie."""
    type(parent)._default_manager.select_for_update().filter(pk=parent.pk).get()
    last = items.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1
