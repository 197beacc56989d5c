"""Open data through the API: the directory of validated associations and the hub's agenda
(the same selectors as the pages; no volunteer appears in either)."""

from __future__ import annotations

from rest_framework.response import Response
from rest_framework.views import APIView

from participation.api import ComponentAPIMixin

from . import selectors


class HubView(ComponentAPIMixin, APIView):
    type_key = "volunteering"


class AssociationListView(HubView):
    def get(self, request, space_slug: str, component_id: int):
        return Response(
            {
                "results": [
                    {
                        "id": a.pk,
                        "name": a.name,
                        "slug": a.slug,
                        "description": a.description,
                        "categories": a.categories,
                        "neighbourhood": a.neighbourhood.name if a.neighbourhood else None,
                        "address": a.address,
                        "website": a.website,
                        "rna": a.rna,
                    }
                    for a in selectors.validated_associations()
                ]
            }
        )


class AgendaView(HubView):
    def get(self, request, space_slug: str, component_id: int):
        return Response(
            {
                "results": [
                    {
                        "kind": e.kind,
                        "id": e.pk,
                        "title": e.title,
                        "description": e.description,
                        "starts_at": e.starts_at,
                        "ends_at": e.ends_at,
                        "place": e.place,
                        "neighbourhood": e.neighbourhood or None,
                        "association": e.association.name if e.association else None,
                        "categories": e.categories,
                    }
                    for e in selectors.agenda(self.component)
                ]
            }
        )
