"""The manifest, icons, service worker and offline page of a town's site."""

import json

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.urls import reverse
from django.views.decorators.cache import cache_control

from . import pwa


@cache_control(public=True, max_age=60 * 60)
def manifest(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        pwa.manifest(),
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


@cache_control(public=True, max_age=60 * 60)
def icon(request: HttpRequest, size: int) -> HttpResponse:
    if size not in pwa.ICON_SIZES:
        raise Http404
    return HttpResponse(pwa.app_icon(size), content_type="image/png")


# The browser checks for a new worker at each visit (and at least daily): never from a cache.
@cache_control(no_cache=True, max_age=0)
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from the site's root so that its scope is the whole site."""
    template = get_template("pwa/sw.js")
    context = {
        "offline_url": json.dumps(reverse("pwa:offline")),
        "static_url": json.dumps(settings.STATIC_URL),
        "logout_url": json.dumps(reverse("accounts:logout")),
        "private_prefixes": json.dumps(pwa.PRIVATE_PREFIXES),
    }
    context["version"] = json.dumps(pwa.service_worker_version(template.template.source))
    response = HttpResponse(
        template.render(context), content_type="application/javascript; charset=utf-8"
    )
    response["Service-Worker-Allowed"] = "/"
    return response


def offline(request: HttpRequest) -> HttpResponse:
    """Shown by the service worker when the network is down and the page was never read."""
    return render(request, "pwa/offline.html")
