"""Reading the console's filter parameters (search boxes, select menus) from the query string."""

from __future__ import annotations

from django.http import HttpRequest


def query_text(request: HttpRequest, name: str, *, max_length: int) -> str:
    """The parameter as text to filter on, cut to ``max_length``. PostgreSQL refuses a NUL
    character in text (a 500 otherwise): it is dropped, like a browser never sends it."""
    return request.GET.get(name, "").replace("\x00", "")[:max_length]
