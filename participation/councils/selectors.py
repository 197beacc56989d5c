"""Reading a neighbourhood council: a bounded number of queries whatever its size."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from participation.components import component_url
from participation.hooks import MapPoint
from participation.models import Component, Official
from participation.registry import registry

from .models import Attendance, CouncilMember, Meeting, Shop

# How many meetings the council page lists on each side of now.
PAGE_MEETINGS = 5


def members(component: Component, *, active: bool = True) -> QuerySet[CouncilMember]:
    queryset = CouncilMember.objects.filter(component=component).select_related(
        "account", "official__photo"
    )
    return queryset.filter(left_on__isnull=True) if active else queryset


def members_seated_on(component: Component, day: datetime.date) -> QuerySet[CouncilMember]:
    """The members on the council that day (joined by then, not yet gone)."""
    return members(component, active=False).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=day), joined_on__lte=day
    )


def meetings(component: Component) -> QuerySet[Meeting]:
    return Meeting.objects.filter(component=component).annotate(
        present_count=Count("attendances", filter=Q(attendances__status=Attendance.Status.PRESENT))
    )


def upcoming_meetings(component: Component, now: datetime.datetime) -> QuerySet[Meeting]:
    """Meetings not over yet, soonest first."""
    return meetings(component).filter(ends_at__gt=now).order_by("starts_at", "pk")


def past_meetings(component: Component, now: datetime.datetime) -> QuerySet[Meeting]:
    """Meetings over, latest first."""
    return meetings(component).filter(ends_at__lte=now).order_by("-starts_at", "-pk")


def meeting_for_page(component: Component, meeting_id: int) -> Meeting:
    """One meeting with its attendance list (members' names in one query)."""
    attendances = Attendance.objects.select_related("member__account", "member__official").order_by(
        "member__position", "member__pk"
    )
    return get_object_or_404(
        meetings(component).prefetch_related(Prefetch("attendances", queryset=attendances)),
        pk=meeting_id,
    )


def shops(component: Component) -> QuerySet[Shop]:
    return Shop.objects.filter(component=component)


def officials() -> QuerySet[Official]:
    """The officials a referent can be chosen from: those the town publishes."""
    return Official.objects.filter(published=True)


@dataclass
class Seats:
    """The council's members by role, in the order the page shows them."""

    presidents: list[CouncilMember] = field(default_factory=list)
    secretaries: list[CouncilMember] = field(default_factory=list)
    referents: list[CouncilMember] = field(default_factory=list)
    residents: list[CouncilMember] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(
            len(group)
            for group in (self.presidents, self.secretaries, self.referents, self.residents)
        )


def seats(component: Component) -> Seats:
    by_role = Seats()
    groups = {
        CouncilMember.Role.PRESIDENT: by_role.presidents,
        CouncilMember.Role.SECRETARY: by_role.secretaries,
        CouncilMember.Role.REFERENT: by_role.referents,
        CouncilMember.Role.RESIDENT: by_role.residents,
    }
    for member in members(component):
        groups[member.role].append(member)
    return by_role


@dataclass(frozen=True)
class SpaceLink:
    title: str
    kind: str
    url: str


def space_links(component: Component) -> list[SpaceLink]:
    """The space's other components with a page of their own (its news, call for ideas,
    budget, documents), whatever modules they are: the council page links to them."""
    others = Component.objects.filter(space_id=component.space_id).exclude(pk=component.pk)
    links = []
    for other in others.select_related("space"):
        if other.type_key in registry and other.type.urls:
            links.append(SpaceLink(other.title, str(other.type.label), component_url(other)))
    return links


@dataclass(frozen=True)
class CouncilPage:
    seats: Seats
    next_meeting: Meeting | None
    upcoming: list[Meeting]
    past: list[Meeting]
    last_minutes: Meeting | None
    shops: list[Shop]
    links: list[SpaceLink]


def council_page(component: Component, now: datetime.datetime | None = None) -> CouncilPage:
    now = now or timezone.now()
    upcoming = list(upcoming_meetings(component, now)[:PAGE_MEETINGS])
    past = list(past_meetings(component, now)[:PAGE_MEETINGS])
    last_minutes = next((meeting for meeting in past if meeting.has_minutes), None)
    if last_minutes is None:
        last_minutes = past_meetings(component, now).exclude(minutes="").first()
    return CouncilPage(
        seats=seats(component),
        next_meeting=upcoming[0] if upcoming else None,
        upcoming=upcoming,
        past=past,
        last_minutes=last_minutes,
        shops=list(shops(component)),
        links=space_links(component),
    )


def map_points(components: QuerySet[Component]) -> list[MapPoint]:
    """The located shops of these councils (the engine passes published ones): the registry's
    ``map_points`` hook, and the council page's own map."""
    located = (
        Shop.objects.filter(
            component__in=components, latitude__isnull=False, longitude__isnull=False
        )
        .select_related("component__space")
        .order_by("component__pk", "position", "pk")
    )
    return [
        MapPoint(
            kind="shop",
            kind_label=_("Commerce"),
            title=shop.name,
            latitude=float(shop.latitude),
            longitude=float(shop.longitude),
            url=shop.get_absolute_url(),
            space=shop.component.space.title,
            status=shop.address,
        )
        for shop in located
    ]
