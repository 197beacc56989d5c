"""Open data through the API: the directory of validated associations and the hub's agenda
(the same selectors as the pages; no volunteer appears in either)."""

from __future__ import annotations

from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import Invalid
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


# A PostgreSQL integer key holds no more: a greater neighbourhood id names none.
_MAX_KEY = 2**31 - 1
# Past the last page the search shows the last one (selectors._page_number caps it again).
_LAST_PAGE = 10**12
TEXT_MAX_LENGTH = 100

SEARCH_PARAMETERS = [
    OpenApiParameter("skill", str, enum=sorted(SKILLS), description="A skill's code."),
    OpenApiParameter("availability", str, enum=sorted(SLOTS), description="A weekday slot."),
    OpenApiParameter("neighbourhood", int, description="A neighbourhood's id."),
    OpenApiParameter(
        "text", str, description=f"Words of the name or text, {TEXT_MAX_LENGTH} characters at most."
    ),
    OpenApiParameter("page", int, description="Page number, from 1 (past the last: the last)."),
]


def search_criteria(params) -> dict:
    """The criteria of ``volunteer_search`` from the query string, or Invalid naming the
    field. Plain checks, not a serializer: the search is the module's hottest read, and a
    serializer deep-copied its fields for every request."""
    skill = params.get("skill", "")
    if skill and skill not in SKILLS:
        raise Invalid(_("Compétence inconnue."), field="skill")
    availability = params.get("availability", "")
    if availability and availability not in SLOTS:
        raise Invalid(_("Disponibilité inconnue."), field="availability")
    neighbourhood = params.get("neighbourhood", "")
    neighbourhood_id = _whole_number(neighbourhood, _MAX_KEY + 1) if neighbourhood else None
    if neighbourhood and (neighbourhood_id is None or neighbourhood_id > _MAX_KEY):
        raise Invalid(_("Quartier inconnu."), field="neighbourhood")
    text = params.get("text", "").strip()  # as the page's form field takes it
    if len(text) > TEXT_MAX_LENGTH:
        raise Invalid(_("Mots-clés : 100 caractères au plus."), field="text")
    page = _whole_number(params.get("page", "") or "1", _LAST_PAGE)
    if page is None:
        raise Invalid(_("Le numéro de page doit être un nombre entier positif."), field="page")
    return {
        "skill": skill,
        "availability": availability,
        "neighbourhood_id": neighbourhood_id,
        "text": text,
        "page": page,
    }


def _whole_number(raw: str, ceiling: int) -> int | None:
    """``raw`` as a whole number from 1 (``ceiling`` for any greater one, however many digits
    it has), or None when it is not one."""
    digits = raw.lstrip("0")
    if not (raw.isascii() and raw.isdigit() and digits):
        return None
    return min(int(digits), ceiling) if len(digits) <= len(str(ceiling)) else ceiling


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

    @extend_schema(parameters=SEARCH_PARAMETERS, responses=VolunteerPageSerializer)
    def get(self, request, space_slug: str, component_id: int, slug: str):
        criteria = search_criteria(request.query_params)
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
