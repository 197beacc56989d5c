"""The API's lists: pages, filters and ordering, the same for every list endpoint.

A list view (``ListEndpoint``) declares its item serializer, the filters it takes (a
serializer whose optional fields check and convert the values) and the fields it may be
ordered by (name → ORM expression); ``page`` and ``page_size`` come with every list. A query
parameter the view does not know, an ordering it does not offer or a value that does not parse
is answered 400 in the kernel's error shape (core.api), never ignored: a client misspelling a
filter would otherwise read the whole list as if it were filtered. The OpenAPI schema reads the same
declarations (core.openapi), so what is documented is what is accepted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from .errors import Invalid

PAGE_PARAMS = ("page", "page_size")
ORDERING_PARAM = "ordering"


class PagePagination(PageNumberPagination):
    """``?page=N&page_size=M``: 20 items by default, at most MAX_PAGE_SIZE (a larger size is
    clamped to it); a size that is not a positive whole number is refused (400)."""

    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
            raise Invalid(_("« page_size » doit être un nombre entier positif."), field="page_size")
        return min(int(raw), self.max_page_size)

    def get_paginated_response(self, data, extra: dict | None = None) -> Response:
        return Response(
            {
                "count": self.page.paginator.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                **(extra or {}),
                "results": data,
            }
        )


class ListEndpoint:
    """Mixin of an API view that answers a list with ``get``.

    ``serializer_class`` describes one item; ``filters_class`` is a serializer of the filters
    (optional fields); ``ordering_fields`` maps each ordering name to its ORM field
    (``?ordering=-name`` reverses); ``list_extra`` names the serializer of figures given next
    to the page (counts by status...), when there are some."""

    serializer_class: type[serializers.BaseSerializer]
    filters_class: type[serializers.Serializer] | None = None
    ordering_fields: dict[str, str] = {}
    list_extra: type[serializers.Serializer] | None = None
    pagination_class = PagePagination

    @cached_property
    def paginator(self) -> PagePagination:
        return self.pagination_class()

    @cached_property
    def list_query(self) -> dict[str, Any]:
        """The filters given, checked and converted; ``ordering`` among them when given."""
        params = self.request.query_params
        filters = self.filters_class(data=params) if self.filters_class else None
        known = {*PAGE_PARAMS, *(filters.fields if filters else ())}
        if self.ordering_fields:
            known.add(ORDERING_PARAM)
        unknown = sorted(set(params) - known)
        if unknown:
            raise Invalid(
                _("Paramètre inconnu : « %(name)s ». Paramètres acceptés : %(known)s.")
                % {"name": unknown[0], "known": ", ".join(sorted(known))},
                field=unknown[0],
            )
        values = {}
        if filters is not None:
            filters.is_valid(raise_exception=True)
            values.update(filters.validated_data)
        ordering = params.get(ORDERING_PARAM)
        if ordering is not None:
            if ordering.removeprefix("-") not in self.ordering_fields:
                raise Invalid(
                    _("Tri inconnu : « %(value)s ». Tris possibles : %(known)s.")
                    % {"value": ordering, "known": ", ".join(sorted(self.ordering_fields))},
                    field=ORDERING_PARAM,
                )
            values[ORDERING_PARAM] = ordering
        return values

    def filter_value(self, name: str, default=None):
        return self.list_query.get(name, default)

    def ordered(self, queryset: QuerySet) -> QuerySet:
        """The queryset in the ordering asked for (then by id, so pages do not overlap)."""
        ordering = self.list_query.get(ORDERING_PARAM)
        if ordering is None:
            return queryset
        field = self.ordering_fields[ordering.removeprefix("-")]
        sign = "-" if ordering.startswith("-") else ""
        return queryset.order_by(f"{sign}{field}", f"{sign}pk")

    def page_response(
        self,
        items: Iterable | QuerySet,
        *,
        extra: dict | None = None,
        context: dict | None = None,
        shape: Callable[[Any], Any] | None = None,
    ) -> Response:
        """One page of ``items`` through ``serializer_class`` (each item made by ``shape``
        first, when given: only the page's items are), with ``extra`` figures."""
        self.list_query  # noqa: B018 - refuse a bad query before reading anything
        if not isinstance(items, QuerySet):
            items = list(items)
        elif not items.ordered:  # e.g. an aggregate drops Meta.ordering: pages would overlap
            items = items.order_by("pk")
        page = self.paginator.paginate_queryset(items, self.request, view=self)
        if shape is not None:
            page = [shape(item) for item in page]
        context = {"request": self.request, "view": self, **(context or {})}
        data = self.serializer_class(page, many=True, context=context).data
        return self.paginator.get_paginated_response(data, extra)
