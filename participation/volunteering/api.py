"""Open data through the API: the directory of validated associations and the hub's agenda
(the same selectors as the pages; no volunteer appears in either)."""

from __future__ import annotations

from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from participation.api import ComponentAPIMixin, ProfileTokenAuthentication
from participation.services import ensure_perm

from . import selectors
from .hub_cache import cached_hub
from .models import AVAILABILITY_CHOICES, Skill


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


SKILLS = frozenset(Skill.values)
SLOTS = frozenset(value for value, _label in AVAILABILITY_CHOICES)


class VolunteerSearchSerializer(serializers.Serializer):
    # Plain strings checked against sets: a ChoiceField deep-copies its lazy labels for every
    # request, a cost the search, the hottest read of the module, does not need to pay.
    skill = serializers.CharField(required=False, allow_blank=True, max_length=20)
    availability = serializers.CharField(required=False, allow_blank=True, max_length=20)
    neighbourhood = serializers.IntegerField(required=False, min_value=1)
    text = serializers.CharField(required=False, allow_blank=True, max_length=100)
    page = serializers.IntegerField(required=False, min_value=1, default=1)

    def validate_skill(self, value: str) -> str:
        if value and value not in SKILLS:
            raise serializers.ValidationError(_("Compétence inconnue."))
        return value

    def validate_availability(self, value: str) -> str:
        if value and value not in SLOTS:
            raise serializers.ValidationError(_("Disponibilité inconnue."))
        return value


class VolunteerSearchView(HubView):
    """An association's search of available volunteers: the page's selector and permission;
    display names, skills, availability, neighbourhoods and a short text, never an address.
    The token with its profile in one query, the hub from the cache (same 404s as
    ``component_for_page``), the association with the searcher's role, the page of profiles."""

    authentication_classes = [ProfileTokenAuthentication, SessionAuthentication]

    @cached_property
    def component(self):
        hub = cached_hub(self.kwargs["component_id"])
        if (
            hub is None
            or hub.space.slug != self.kwargs["space_slug"]
            or not self.request.user.has_perm("participation.view_space", hub.space)
        ):
            raise Http404
        return hub

    def get(self, request, space_slug: str, component_id: int, slug: str):
        association = selectors.association_with_role(slug, request.user)
        ensure_perm(request.user, "volunteering.act_for_association", association)
        query = VolunteerSearchSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        page = selectors.volunteer_search(
            association=association,
            skill=data.get("skill", ""),
            availability=data.get("availability", ""),
            neighbourhood_id=data.get("neighbourhood"),
            text=data.get("text", ""),
            page=data["page"],
        )
        return Response(
            {
                "count": page.paginator.count,
                "page": page.number,
                "pages": page.paginator.num_pages,
                # vars(), not dataclasses.asdict: the cards hold only plain values, and
                # asdict's recursive deep copy cost a tenth of the request.
                "results": [vars(card) for card in page.object_list],
            }
        )
