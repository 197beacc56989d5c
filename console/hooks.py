"""What the apps above the console (onboarding, training, billing) add to its town pages.

The console imports none of them: each registers its columns or parts from its
AppConfig.ready(), and the console's views render whatever is registered. A part is a template
and its own context, rendered inside the page's context (templatetags ``parts``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tenants.models import Tenant

Part = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class TownListColumns:
    """Columns of the towns list, after the plan's. ``template`` renders one town's cells
    (``<td>`` elements) with what ``values`` gave for it (nothing for a town it left out);
    ``values`` reads the towns of one page at once, so the list costs the same whatever its
    size."""

    headers: tuple[str, ...]
    template: str
    values: Callable[[list[Tenant]], dict[int, dict[str, Any]]]


@dataclass(frozen=True)
class TownPagePart:
    """A part of a town's console page: ``template`` with ``context(town)``. Parts are shown by
    ascending ``order``."""

    template: str
    context: Callable[[Tenant], dict[str, Any]]
    order: int = 0


# By key: an app registering twice (its ready() run again) replaces its own entry.
_columns: dict[str, TownListColumns] = {}
_facts: dict[str, TownPagePart] = {}
_sections: dict[str, TownPagePart] = {}


def register_town_list_columns(key: str, columns: TownListColumns) -> None:
    _columns[key] = columns


def register_town_fact(key: str, part: TownPagePart) -> None:
    """A fact of the town's page (a ``<dt>`` and its ``<dd>``), after the plan."""
    _facts[key] = part


def register_town_section(key: str, part: TownPagePart) -> None:
    """A section of the town's page, before its usage figures and its log."""
    _sections[key] = part


def town_list_columns() -> list[TownListColumns]:
    return list(_columns.values())


def town_list_cells(towns: list[Tenant]) -> dict[int, list[Part]]:
    """For each town, the cells of every registered column group, in the headers' order."""
    cells: dict[int, list[Part]] = {town.pk: [] for town in towns}
    for columns in _columns.values():
        values = columns.values(towns)
        for town in towns:
            cells[town.pk].append((columns.template, values.get(town.pk, {})))
    return cells


def _parts(registered: dict[str, TownPagePart], town: Tenant) -> list[Part]:
    ordered = sorted(registered.values(), key=lambda part: part.order)
    return [(part.template, part.context(town)) for part in ordered]


def town_page_facts(town: Tenant) -> list[Part]:
    return _parts(_facts, town)


def town_page_sections(town: Tenant) -> list[Part]:
    return _parts(_sections, town)
