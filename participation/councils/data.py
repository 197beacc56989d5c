"""What the dashboard counts and what the GDPR export tells a resident about their seats."""

from __future__ import annotations

from django.db.models import Avg, Count, Q
from django.utils import timezone

from participation.models import Component

from .models import Attendance, CouncilMember, Meeting, Shop


def council_statistics(component: Component) -> dict:
    """Figures of one council for the participation dashboard."""
    now = timezone.now()
    meetings = Meeting.objects.filter(component=component)
    held = meetings.filter(ends_at__lte=now)
    presence = held.annotate(
        present=Count("attendances", filter=Q(attendances__status=Attendance.Status.PRESENT))
    ).aggregate(average=Avg("present"), public=Avg("public_attendance"))
    return {
        "members": CouncilMember.objects.filter(component=component, left_on__isnull=True).count(),
        "meetings_held": held.count(),
        "meetings_upcoming": meetings.filter(ends_at__gt=now).count(),
        "minutes_published": meetings.exclude(minutes="").count(),
        "average_members_present": round(presence["average"] or 0, 1),
        "average_public_attendance": round(presence["public"] or 0, 1),
        "shops": Shop.objects.filter(component=component).count(),
    }


def council_personal_data(user) -> dict:
    """The resident's own seats on councils and the meetings they were marked at."""
    seats = CouncilMember.objects.filter(account=user).select_related("component__space")
    attendances = (
        Attendance.objects.filter(member__account=user)
        .select_related("meeting")
        .order_by("meeting__starts_at", "pk")
    )
    return {
        "memberships": [
            {
                "component_id": seat.component_id,
                "council": seat.component.space.title,
                "role": seat.role,
                "joined_on": seat.joined_on.isoformat(),
                "left_on": seat.left_on.isoformat() if seat.left_on else None,
            }
            for seat in seats.order_by("joined_on", "pk")
        ],
        "attendance": [
            {
                "component_id": attendance.meeting.component_id,
                "meeting_id": attendance.meeting_id,
                "meeting": attendance.meeting.title,
                "starts_at": attendance.meeting.starts_at.isoformat(),
                "status": attendance.status,
            }
            for attendance in attendances
        ],
    }
