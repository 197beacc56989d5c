"""The town's legal pages, readable by everyone once published (404 before); the theme's
stylesheet of design tokens and the town's icon."""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.utils.html import escape
from django.views.decorators.http import require_safe

from core.caching import anonymous_page_cache

from .selectors import published_legal_pages, site_theme
from .tokens import theme_css


@anonymous_page_cache
def legal_page(request: HttpRequest, kind: str) -> HttpResponse:
    page = get_object_or_404(published_legal_pages(), kind=kind)
    return render(request, "theming/legal_page.html", {"page": page})


# Assets every page of the town links to: cached long, their address changes with the theme.

ASSET_MAX_AGE = 60 * 60 * 24 * 365
UNVERSIONED_MAX_AGE = 300


def _cached_asset(response: HttpResponse, request: HttpRequest) -> HttpResponse:
    """A long cache when the address carries the theme's version (``?v=``: a new theme gets a
    new address), a short one otherwise (/favicon.ico, asked by browsers on their own)."""
    max_age = ASSET_MAX_AGE if request.GET.get("v") else UNVERSIONED_MAX_AGE
    patch_cache_control(response, public=True, max_age=max_age)
    return response


@require_safe
def theme_stylesheet(request: HttpRequest) -> HttpResponse:
    """The town's design tokens (theming.tokens) as a stylesheet: no inline style in pages."""
    response = HttpResponse(theme_css(site_theme()), content_type="text/css; charset=utf-8")
    return _cached_asset(response, request)


def monogram_svg(*, name: str, colour: str) -> str:
    """A square icon: the town's initial in white on its primary colour."""
    initial = escape((name.strip()[:1] or "A").upper())
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
        f'<rect width="64" height="64" rx="12" fill="{colour}"/>'
        '<text x="32" y="45" font-family="system-ui, sans-serif" font-size="38" '
        f'font-weight="700" text-anchor="middle" fill="#fff">{initial}</text></svg>'
    )


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """The town's icon: its logo when it has one, else its initial on its primary colour.
    Also answers /favicon.ico, which browsers ask for on their own."""
    theme = site_theme()
    if theme.logo:
        return _cached_asset(HttpResponseRedirect(theme.logo.url), request)
    svg = monogram_svg(name=request.tenant.name, colour=theme.primary_colour)
    return _cached_asset(HttpResponse(svg, content_type="image/svg+xml"), request)
