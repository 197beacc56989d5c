"""The volunteering hub a search names in its URL (its component with the space and phases),
kept in the engine's generation cache: the search, the module's hottest read, finds it in one
round trip instead of two queries. The association, the searcher's role and the profiles are
read fresh every time."""

from __future__ import annotations

from participation.generation_cache import GenerationCache
from participation.models import Component
from participation.selectors import component_with_phases

HUBS = GenerationCache(
    "volunteering",
    ("participation.Phase", "participation.Component", "participation.Space"),
)
connect_signals = HUBS.connect_signals


def cached_hub(component_id: int) -> Component | None:
    return HUBS.get(component_id, lambda: component_with_phases(component_id, "volunteering"))
