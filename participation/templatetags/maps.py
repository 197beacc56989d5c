"""{% load maps %}: the town's maps in templates.

``{% map_attributes %}`` writes the data-* attributes a map element's script opens with (the
town's centre and zoom, the tile server and its credit); ``{% town_map %}`` draws the map of
every public place of the town (ideas, projects) with the same places as a list, for a page or
a homepage block."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from participation.maps import map_view, town_map_points

register = template.Library()


@register.simple_tag(takes_context=True)
def map_attributes(context) -> str:
    view = map_view(context.get("town"))
    return format_html(
        'data-center-lat="{}" data-center-lng="{}" data-zoom="{}" data-located="{}" '
        'data-tiles="{}" data-attribution="{}"',
        view["latitude"],
        view["longitude"],
        view["zoom"],
        "1" if view["located"] else "",
        view["tiles_url"],
        view["tiles_attribution"],
    )


@register.inclusion_tag("participation/town_map.html", takes_context=True)
def town_map(context, heading_id: str = "town-map-list-title") -> dict:
    """The map (drawn by participation/town_map.js from the GeoJSON endpoint) and its list
    (server-rendered: the page works without JavaScript)."""
    return {
        "town": context.get("town"),
        "points": town_map_points(),
        "data_url": reverse("participation:map_points"),
        "heading_id": heading_id,
    }
