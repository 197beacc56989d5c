"""The council's read-only API: the same selectors and permission as its public pages."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.listing import ListEndpoint
from participation.api import ComponentAPIMixin
from participation.components import component_url

from . import selectors
from .hours import DAY_KEYS
from .models import CouncilMember, Meeting, Shop


class OfficialRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.CharField()
    role_label = serializers.CharField()
    official = OfficialRefSerializer(allow_null=True)
    joined_on = serializers.DateField()


class MeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField()
    agenda = serializers.CharField()
    url = serializers.URLField()
    minutes_url = serializers.URLField(allow_null=True)
    members_present = serializers.IntegerField(allow_null=True)
    public_attendance = serializers.IntegerField(allow_null=True)


class ShopSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    address = serializers.CharField()
    description = serializers.CharField()
    opening_hours = serializers.DictField(
        child=serializers.ListField(child=serializers.ListField(child=serializers.CharField()))
    )
    latitude = serializers.CharField(allow_null=True)
    longitude = serializers.CharField(allow_null=True)
    url = serializers.URLField()


class CouncilSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    space = serializers.CharField()
    neighbourhood = serializers.CharField(allow_null=True)
    members = MemberSerializer(many=True)
    next_meeting = MeetingSerializer(allow_null=True)


def member_payload(member: CouncilMember) -> dict:
    return {
        "id": member.pk,
        "name": member.display_name,
        "role": member.role,
        "role_label": str(member.get_role_display()),
        "official": (
            {"id": member.official_id, "title": member.official.title} if member.official else None
        ),
        "joined_on": member.joined_on.isoformat(),
    }


def meeting_payload(meeting: Meeting, absolute) -> dict:
    component = meeting.component
    return {
        "id": meeting.pk,
        "title": meeting.title,
        "starts_at": meeting.starts_at.isoformat(),
        "ends_at": meeting.ends_at.isoformat(),
        "place": meeting.place,
        "agenda": meeting.agenda,
        "url": absolute(component_url(component, "meeting", meeting.pk)),
        "minutes_url": (
            absolute(component_url(component, "minutes", meeting.pk))
            if meeting.has_minutes
            else None
        ),
        "members_present": meeting.present_count,
        "public_attendance": meeting.public_attendance,
    }


def shop_payload(shop: Shop, absolute) -> dict:
    return {
        "id": shop.pk,
        "name": shop.name,
        "address": shop.address,
        "description": shop.description,
        "opening_hours": {day: shop.opening_hours.get(day, []) for day in DAY_KEYS},
        "latitude": None if shop.latitude is None else str(shop.latitude),
        "longitude": None if shop.longitude is None else str(shop.longitude),
        "url": absolute(component_url(shop.component, "shop", shop.pk)),
    }


class CouncilAPIView(ComponentAPIMixin, APIView):
    type_key = "councils"
    permission_required = "councils.view_council"

    def absolute(self, path: str) -> str:
        return self.request.build_absolute_uri(path)

    def _bound(self, item):
        item.component = self.component
        return item


class CouncilView(CouncilAPIView):
    """The council: its space, its members by role, its next meeting."""

    @extend_schema(responses=CouncilSerializer)
    def get(self, request, space_slug: str, component_id: int):
        component = self.component
        upcoming = selectors.upcoming_meetings(component, timezone.now())[:1]
        return Response(
            CouncilSerializer(
                {
                    "id": component.pk,
                    "title": component.title,
                    "space": component.space.title,
                    "neighbourhood": (
                        component.space.neighbourhood.name
                        if component.space.neighbourhood
                        else None
                    ),
                    "members": [member_payload(m) for m in selectors.members(component)],
                    "next_meeting": next(
                        (meeting_payload(self._bound(m), self.absolute) for m in upcoming), None
                    ),
                }
            ).data
        )


class MeetingListView(ListEndpoint, CouncilAPIView):
    serializer_class = MeetingSerializer
    ordering_fields = {"starts_at": "starts_at"}

    def get(self, request, space_slug: str, component_id: int):
        meetings = self.ordered(selectors.meetings(self.component).order_by("-starts_at", "-pk"))
        return self.page_response(
            meetings, shape=lambda m: meeting_payload(self._bound(m), self.absolute)
        )


class ShopListView(ListEndpoint, CouncilAPIView):
    serializer_class = ShopSerializer
    ordering_fields = {"name": "name"}

    def get(self, request, space_slug: str, component_id: int):
        shops = self.ordered(selectors.shops(self.component))
        return self.page_response(
            shops, shape=lambda s: shop_payload(self._bound(s), self.absolute)
        )
