"""The town's legal pages, readable by everyone once published (404 before)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from core.caching import anonymous_page_cache

from .selectors import published_legal_pages


@anonymous_page_cache
def legal_page(request: HttpRequest, kind: str) -> HttpResponse:
    page = get_object_or_404(published_legal_pages(), kind=kind)
    return render(request, "theming/legal_page.html", {"page": page})
