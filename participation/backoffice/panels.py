"""Panels that the vendor side shows on a town's back-office dashboard (the go-live checklist,
the town's trainings). Participation imports none of the vendor's apps: each registers its
panel from its AppConfig.ready(), and the dashboard renders whatever is registered
(``{% render_part %}``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from tenants.models import Tenant


class Place(StrEnum):
    TOP = "top"  # under the title, before the figures
    BOTTOM = "bottom"  # after the charts


@dataclass(frozen=True)
class DashboardPanel:
    """``template`` rendered with ``context(town)``, the town being the one whose back office
    is shown."""

    place: Place
    template: str
    context: Callable[[Tenant], dict[str, Any]]


# By key: an app registering twice (its ready() run again) replaces its own panel.
_panels: dict[str, DashboardPanel] = {}


def register_dashboard_panel(key: str, panel: DashboardPanel) -> None:
    _panels[key] = panel


def dashboard_panels(town: Tenant) -> dict[Place, list[tuple[str, dict[str, Any]]]]:
    """The registered panels, as (template, context) by place, in the order registered."""
    placed: dict[Place, list[tuple[str, dict[str, Any]]]] = {place: [] for place in Place}
    for panel in _panels.values():
        placed[panel.place].append((panel.template, panel.context(town)))
    return placed
