"""Read-only queries of volunteering, each page in a bounded number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum, Window
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from participation.models import Component

from .models import (
    Application,
    Association,
    Block,
    ContactRequest,
    Event,
    Membership,
    Mission,
    Notice,
    VolunteerProfile,
)

SEARCH_PAGE_SIZE = 20


def validated_associations(
    *, category: str = "", neighbourhood_id: int | None = None
) -> QuerySet[Association]:
    queryset = Association.objects.filter(status=Association.Status.VALIDATED).select_related(
        "neighbourhood", "logo"
    )
    if category:
        queryset = queryset.filter(categories__contains=[category])
    if neighbourhood_id:
        queryset = queryset.filter(neighbourhood_id=neighbourhood_id)
    return queryset


def association_with_role(slug: str, user: User) -> Association:
    """The association named by ``slug`` (404 otherwise) with this account's role in it read
    in the same query, kept in ``_roles`` for the rules."""
    queryset = Association.objects.select_related("neighbourhood")
    if user.is_authenticated:
        queryset = queryset.annotate(
            my_role=Subquery(
                Membership.objects.filter(association=OuterRef("pk"), user=user).values("role")[:1]
            )
        )
    association = get_object_or_404(queryset, slug=slug)
    if user.is_authenticated:
        association._roles = {user.pk: association.my_role}
    return association


def association_for_page(slug: str, user: User) -> Association:
    """A validated association, or one the account acts for (or moderates): 404 otherwise."""
    association = association_with_role(slug, user)
    role = association._roles.get(user.pk) if user.is_authenticated else None
    if (
        not association.is_validated
        and role is None
        and not user.has_perm("volunteering.validate_association", association)
    ):
        raise Http404
    return association


def associations_of(user: User) -> list[Membership]:
    if not user.is_authenticated:
        return []
    return list(Membership.objects.filter(user=user).select_related("association"))


def public_missions(component: Component) -> QuerySet[Mission]:
    return Mission.objects.filter(
        component=component, hidden=False, association__status=Association.Status.VALIDATED
    ).select_related("association", "neighbourhood")


def upcoming_missions(component: Component) -> QuerySet[Mission]:
    return public_missions(component).filter(ends_at__gt=timezone.now())


def mission_for_page(component: Component, mission_id: int, user: User) -> Mission:
    """A public mission of the hub, or a hidden one for its association and the town."""
    mission = get_object_or_404(
        Mission.objects.filter(component=component).select_related("association", "neighbourhood"),
        pk=mission_id,
    )
    mission.component = component
    public = not mission.hidden and mission.association.is_validated
    if not public and not (
        user.has_perm("volunteering.moderate_mission", mission)
        or Membership.objects.filter(association=mission.association, user=user.pk).exists()
    ):
        raise Http404
    return mission


def application_of(mission: Mission, user: User) -> Application | None:
    if not user.is_authenticated:
        return None
    return Application.objects.filter(mission=mission, volunteer=user).first()


def association_missions(association: Association, component: Component) -> list[Mission]:
    """The association's missions in the hub with their applications (and the applicants'
    display names only): three queries."""
    missions = list(
        Mission.objects.filter(association=association, component=component)
        .order_by("-starts_at")
        .prefetch_related(
            _applications_prefetch(),
        )
    )
    return missions


def _applications_prefetch():
    from django.db.models import Prefetch

    return Prefetch(
        "applications",
        queryset=Application.objects.select_related("volunteer").only(
            "pk",
            "mission_id",
            "status",
            "hours",
            "message",
            "created_at",
            "waitlisted_at",
            "volunteer__id",
            "volunteer__display_name",
        ),
    )


@dataclass(frozen=True)
class VolunteerCard:
    """What an association sees of a volunteer: never an e-mail or a phone."""

    user_id: int
    display_name: str
    skills: list[str]
    availability: list[str]
    bio: str
    neighbourhoods: list[str]


def volunteer_search(
    *,
    association: Association,
    skill: str = "",
    availability: str = "",
    neighbourhood_id: int | None = None,
    text: str = "",
    page: int = 1,
) -> Page:
    """Visible volunteers matching every criterion, less those who blocked the association;
    a page of ``VolunteerCard``. One query whatever the number of profiles: the page's rows
    with the count of matches (a window) and each one's neighbourhoods (an array subquery)."""
    queryset = VolunteerProfile.objects.filter(visible=True, user__is_active=True).exclude(
        Exists(Block.objects.filter(volunteer=OuterRef("user_id"), association=association))
    )
    if skill:
        queryset = queryset.filter(skills__contains=[skill])
    if availability:
        queryset = queryset.filter(availability__contains=[availability])
    if neighbourhood_id:
        queryset = queryset.filter(neighbourhoods=neighbourhood_id)
    if text:
        queryset = queryset.filter(Q(bio__icontains=text) | Q(user__display_name__icontains=text))
    through = VolunteerProfile.neighbourhoods.through
    queryset = (
        queryset.order_by("-updated_at", "pk")
        .only("pk", "user_id", "skills", "availability", "bio", "user__display_name")
        .select_related("user")
        .annotate(
            neighbourhood_names=ArraySubquery(
                through.objects.filter(volunteerprofile_id=OuterRef("pk")).values(
                    "neighbourhood__name"
                )
            )
        )
    )
    number = max(1, page)
    profiles = _page_rows(queryset, number)
    if profiles:
        total = profiles[0].total
    else:  # past the end (or nothing found): count, then show the last page
        total = queryset.count() if number > 1 else 0
        number = max(1, -(-total // SEARCH_PAGE_SIZE))
        profiles = _page_rows(queryset, number) if total else []
    found = _CountedPaginator(queryset, SEARCH_PAGE_SIZE, total).page(number)
    found.object_list = [
        VolunteerCard(
            user_id=profile.user_id,
            display_name=profile.user.display_name,
            skills=profile.skills,
            availability=profile.availability,
            bio=profile.bio,
            neighbourhoods=profile.neighbourhood_names,
        )
        for profile in profiles
    ]
    return found


class _CountedPaginator(Paginator):
    """A paginator told its count: the search reads it with the page's rows, in one query."""

    def __init__(self, object_list, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count


def _page_rows(queryset, number: int) -> list[VolunteerProfile]:
    """One page of profiles, each with ``total``: the number of matches (COUNT(*) OVER ())."""
    start = (number - 1) * SEARCH_PAGE_SIZE
    return list(queryset.annotate(total=Window(Count("pk")))[start : start + SEARCH_PAGE_SIZE])


def contacts_of_volunteer(user: User) -> QuerySet[ContactRequest]:
    return ContactRequest.objects.filter(volunteer=user).select_related("association")


def contacts_of_association(association: Association) -> QuerySet[ContactRequest]:
    return ContactRequest.objects.filter(association=association).select_related("volunteer")


def contact_messages(contact: ContactRequest):
    return contact.messages.select_related("author").only(
        "pk", "body", "created_at", "from_volunteer", "contact_id", "author__display_name"
    )


@dataclass(frozen=True)
class History:
    applications: list[Application]
    hours: Decimal


def volunteer_history(user: User) -> History:
    applications = list(
        Application.objects.filter(volunteer=user)
        .select_related("mission__association", "mission__component__space")
        .order_by("-mission__starts_at")
    )
    hours = sum((a.hours for a in applications if a.status == "done" and a.hours), Decimal(0))
    return History(applications=applications, hours=hours)


def notices_of(user: User) -> list[Notice]:
    return list(Notice.objects.filter(user=user)[:50])


@dataclass(frozen=True)
class AgendaEntry:
    kind: str  # "event" or "mission"
    pk: int
    title: str
    description: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    association: Association | None
    neighbourhood: str
    categories: list[str]


def agenda(
    component: Component,
    *,
    association: Association | None = None,
    category: str = "",
    neighbourhood_id: int | None = None,
    start: datetime.datetime | None = None,
    end: datetime.datetime | None = None,
) -> list[AgendaEntry]:
    """The hub's events and public missions, by date: two queries."""
    events = Event.objects.filter(component=component).filter(
        Q(association__isnull=True) | Q(association__status=Association.Status.VALIDATED)
    )
    missions = public_missions(component)
    if association is not None:
        events, missions = (
            events.filter(association=association),
            missions.filter(association=association),
        )
    if category:
        events = events.filter(
            Q(category=category) | Q(association__categories__contains=[category])
        )
        missions = missions.filter(association__categories__contains=[category])
    if neighbourhood_id:
        events = events.filter(neighbourhood_id=neighbourhood_id)
        missions = missions.filter(neighbourhood_id=neighbourhood_id)
    if start is not None:
        events, missions = events.filter(ends_at__gt=start), missions.filter(ends_at__gt=start)
    if end is not None:
        events, missions = events.filter(starts_at__lt=end), missions.filter(starts_at__lt=end)
    entries = [
        AgendaEntry(
            "event",
            event.pk,
            event.title,
            event.description,
            event.starts_at,
            event.ends_at,
            event.place,
            event.association,
            event.neighbourhood.name if event.neighbourhood else "",
            [event.category] if event.category else [],
        )
        for event in events.select_related("association", "neighbourhood")
    ] + [
        AgendaEntry(
            "mission",
            mission.pk,
            mission.title,
            mission.description,
            mission.starts_at,
            mission.ends_at,
            mission.place,
            mission.association,
            mission.neighbourhood.name if mission.neighbourhood else "",
            list(mission.association.categories),
        )
        for mission in missions
    ]
    return sorted(entries, key=lambda entry: (entry.starts_at, entry.kind, entry.pk))


def event_for_page(component: Component, event_id: int) -> Event:
    event = get_object_or_404(
        Event.objects.filter(component=component)
        .filter(Q(association__isnull=True) | Q(association__status=Association.Status.VALIDATED))
        .select_related("association", "neighbourhood")
        .annotate(registered=Count("registrations")),
        pk=event_id,
    )
    event.component = component
    return event


def pending_associations() -> QuerySet[Association]:
    return Association.objects.filter(status=Association.Status.PENDING).order_by("created_at")


@dataclass(frozen=True)
class Figures:
    associations: int
    volunteers: int
    missions_filled: int
    hours: Decimal
    by_month: list[dict]
    by_neighbourhood: list[dict]

    @property
    def hours_max(self) -> Decimal:
        """The longest bar of the charts (the back office draws hours as bars)."""
        rows = [*self.by_month, *self.by_neighbourhood]
        return max((row["hours"] for row in rows), default=Decimal(0)) or Decimal(1)


def figures(component: Component) -> Figures:
    """The back office's figures: a handful of aggregate queries."""
    from django.db.models.functions import TruncMonth

    done = Application.objects.filter(mission__component=component, status="done")
    return Figures(
        associations=Association.objects.filter(status=Association.Status.VALIDATED).count(),
        volunteers=VolunteerProfile.objects.count(),
        missions_filled=Mission.objects.filter(component=component, status="full").count(),
        hours=done.aggregate(total=Sum("hours"))["total"] or Decimal(0),
        by_month=list(
            done.annotate(month=TruncMonth("mission__starts_at"))
            .values("month")
            .annotate(hours=Sum("hours"), participations=Count("pk"))
            .order_by("month")
        ),
        by_neighbourhood=list(
            done.values("mission__neighbourhood__name")
            .annotate(hours=Sum("hours"), participations=Count("pk"))
            .order_by("mission__neighbourhood__name")
        ),
    )


def open_help_requests() -> list:
    from .models import HelpRequest

    return list(
        HelpRequest.objects.filter(closed=False, association__status=Association.Status.VALIDATED)
        .select_related("association")
        .prefetch_related("answers__association")[:100]
    )


def questionnaires_for(associations: list[Association]) -> list:
    """The town's questionnaires, each with ``answered_by``: the ids of these associations
    that have answered it. Two queries."""
    from .models import Questionnaire, QuestionnaireAnswer

    questionnaires = list(Questionnaire.objects.all()[:20])
    answered = set(
        QuestionnaireAnswer.objects.filter(
            questionnaire__in=questionnaires, association__in=associations
        ).values_list("questionnaire_id", "association_id")
    )
    for questionnaire in questionnaires:
        questionnaire.answered_by = {a for q, a in answered if q == questionnaire.pk}
    return questionnaires


def enquiries_of_association(association: Association) -> list:
    from .models import Enquiry

    return list(Enquiry.objects.filter(association=association).select_related("sender")[:50])


def enquiries_of_sender(user: User) -> list:
    from .models import Enquiry

    return list(Enquiry.objects.filter(sender=user).select_related("association")[:50])
