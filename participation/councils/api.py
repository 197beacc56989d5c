"""The council's read-only API: the same selectors and permission as its public pages."""

from __future__ import annotations

from django.utils import timezone
from rest_framework.response import Response
from rest_framework.views import APIView

from participation.api import ComponentAPIMixin
from participation.components import component_url

from . import selectors
from .hours import DAY_KEYS
from .models import CouncilMember, Meeting, Shop


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

    def _bound(self, items):
        for item in items:
            item.component = self.component
            yield item


class CouncilView(CouncilAPIView):
    """The council: its space, its members by role, its next meeting."""

    def get(self, request, space_slug: str, component_id: int):
        component = self.component
        upcoming = selectors.upcoming_meetings(component, timezone.now())[:1]
        return Response(
            {
                "id": component.pk,
                "title": component.title,
                "space": component.space.title,
                "neighbourhood": (
                    component.space.neighbourhood.name if component.space.neighbourhood else None
                ),
                "members": [member_payload(m) for m in selectors.members(component)],
                "next_meeting": next(
                    (meeting_payload(m, self.absolute) for m in self._bound(upcoming)), None
                ),
            }
        )


class MeetingListView(CouncilAPIView):
    def get(self, request, space_slug: str, component_id: int):
        meetings = selectors.meetings(self.component).order_by("-starts_at", "-pk")
        return Response(
            {"results": [meeting_payload(m, self.absolute) for m in self._bound(meetings)]}
        )


class ShopListView(CouncilAPIView):
    def get(self, request, space_slug: str, component_id: int):
        shops = selectors.shops(self.component)
        return Response({"results": [shop_payload(s, self.absolute) for s in self._bound(shops)]})
