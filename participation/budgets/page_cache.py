"""A budget as its ballot page and the vote API read it (with its component, space,
neighbourhood and phases), kept in the engine's generation cache
(``participation.generation_cache``): a vote reads it in one round trip instead of two queries,
whose ORM work was most of a vote's time. Not its projects: the entry, and a vote, would grow
with their number; a ballot's INSERT checks the projects it names, and the ballot page reads
them all. Writes that send no signal on the watched tables call ``forget_budgets()``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from participation.generation_cache import GenerationCache

if TYPE_CHECKING:
    from .models import Budget

BUDGETS = GenerationCache(
    "budgets",
    (
        "budgets.Budget",
        "participation.Phase",
        "participation.Component",
        "participation.Space",
        "participation.Neighbourhood",
    ),
)
GENERATION_KEY = BUDGETS.generation_key
forget_budgets = BUDGETS.forget
connect_signals = BUDGETS.connect_signals


def cached_budget(budget_id: int, load: Callable[[], Budget | None]) -> Budget | None:
    """The budget as ``load()`` reads it, from the cache when it holds it for the current
    generation."""
    return BUDGETS.get(budget_id, load)
