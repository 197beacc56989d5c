"""The town's map: the places of every module's items (ideas, projects), gathered through the
registry's ``map_points`` hook so that the engine knows no module. Only published spaces'
components are asked: the map shows what anyone may read, nothing more."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict

from django.conf import settings

from tenants.models import Tenant

from .hooks import MapPoint
from .models import Component, Space
from .registry import registry

# Where a town without coordinates sees its maps open: metropolitan France.
FRANCE = (46.6, 2.4, 6)


def town_map_points() -> list[MapPoint]:
    """Every public place of the current town, grouped by kind then in each module's order."""
    components = Component.objects.filter(space__status=Space.Status.PUBLISHED).select_related(
        "space"
    )
    by_type: dict[str, list[int]] = defaultdict(list)
    for component in components:
        by_type[component.type_key].append(component.pk)
    points: list[MapPoint] = []
    for component_type in registry:
        if component_type.map_points and by_type.get(component_type.key):
            points.extend(
                component_type.map_points(components.filter(pk__in=by_type[component_type.key]))
            )
    return points


def geojson(points: list[MapPoint]) -> dict:
    """A GeoJSON FeatureCollection (RFC 7946: longitude first)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [point.longitude, point.latitude]},
                "properties": {
                    key: value
                    for key, value in asdict(point).items()
                    if key not in ("latitude", "longitude")
                },
            }
            for point in points
        ],
    }


def map_view(tenant: Tenant | None) -> dict:
    """What a map's script needs to open: centre, zoom, tiles and their attribution."""
    if tenant is not None and getattr(tenant, "has_map_location", False):
        latitude, longitude, zoom = float(tenant.latitude), float(tenant.longitude), tenant.map_zoom
        located = True
    else:
        (latitude, longitude, zoom), located = FRANCE, False
    return {
        "latitude": latitude,
        "longitude": longitude,
        "zoom": zoom,
        "located": located,
        "tiles_url": settings.MAP_TILES_URL,
        "tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
    }
