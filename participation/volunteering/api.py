"""Open data through the API: the directory of validated associations and the hub's agenda
(the same selectors as the pages; no volunteer appears in either)."""

from __future__ import annotations

from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from core.listing import ListEndpoint
from participation.api import ComponentAPIMixin, ProfileTokenAuthentication
from participation.services import ensure_perm

from . import selectors
from .hub_cache import cached_hub
from .models import AVAILABILITY_CHOICES, Skill


class HubView(ComponentAPIMixin, APIView):
    type_key = "volunteering"


class AssociationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.SlugField()
    description = serializers.CharField()
    categories = serializers.ListField(child=serializers.CharField())
    neighbourhood = serializers.CharField(source="neighbourhood.name", allow_null=True)
    address = serializers.CharField()
    website = serializers.CharField()
    rna = serializers.CharField()


class AgendaEntrySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["event", "mission"])
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    description = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField()
    neighbourhood = serializers.CharField(allow_null=True)
    association = serializers.CharField(source="association.name", allow_null=True)
    categories = serializers.ListField(child=serializers.CharField())


class AgendaFilters(serializers.Serializer):
    category = serializers.CharField(required=False, max_length=40)
    neighbourhood = serializers.IntegerField(
        required=False, min_value=1, help_text="A neighbourhood's id."
    )


class AssociationListView(ListEndpoint, HubView):
    serializer_class = AssociationSerializer
    ordering_fields = {"name": "name"}

    def get(self, request, space_slug: str, component_id: int):
        return self.page_response(self.ordered(selectors.validated_associations()))


class AgendaView(ListEndpoint, HubView):
    """The hub's events and public missions, by date."""

    serializer_class = AgendaEntrySerializer
    filters_class = AgendaFilters

    def get(self, request, space_slug: str, component_id: int):
        entries = selectors.agenda(
            self.component,
            category=self.filter_value("category", ""),
            neighbourhood_id=self.filter_value("neighbourhood"),
        )
        return self.page_response(entries)


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


class VolunteerCardSerializer(serializers.Serializer):
    user_id = serializers.IntegerField()
    display_name = serializers.CharField()
    skills = serializers.ListField(child=serializers.CharField())
    availability = serializers.ListField(child=serializers.CharField())
    bio = serializers.CharField()
    neighbourhoods = serializers.ListField(child=serializers.CharField())


class VolunteerPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = VolunteerCardSerializer(many=True)


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

    @extend_schema(parameters=[VolunteerSearchSerializer], responses=VolunteerPageSerializer)
    def get(self, request, space_slug: str, component_id: int, slug: str):
        query = VolunteerSearchSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        criteria = {
            "skill": data.get("skill", ""),
            "availability": data.get("availability", ""),
            "neighbourhood_id": data.get("neighbourhood"),
            "text": data.get("text", ""),
            "page": data["page"],
        }
        # The association and the search's page in one statement; the page is shown only
        # once the permission is checked.
        association = selectors.association_acting(slug, request.user, search=criteria)
        ensure_perm(request.user, "volunteering.act_for_association", association)
        page = selectors.volunteer_search(association=association, **criteria)
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
