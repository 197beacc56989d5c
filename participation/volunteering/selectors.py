"""Read-only queries of volunteering, each page in a bounded number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from participation.models import Component, Neighbourhood

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


def association_acting(slug: str, user: User, *, search: dict) -> Association:
    """The association named by ``slug`` (404 otherwise) with what the rule for acting for it
    reads: its status, and this account's role kept in ``_roles``; its other fields are
    deferred. The same statement reads the page of ``search`` (``volunteer_search``'s
    criteria), kept on the association for ``volunteer_search``: one round trip for both, in
    SQL (the ORM's compilation of ``association_with_role`` cost more than PostgreSQL's
    answer). The rows are read before the caller checks the permission, and reach it only
    through ``volunteer_search``, after."""
    criteria, params = _search_criteria(**_criteria_of(search))
    number = _page_number(search.get("page", 1))
    params.update(user=user.pk, slug=slug, **_page_params(number))
    with connection.prepared_cursor() as cursor:
        cursor.execute(_ACTING.format(rows=_rows_sql("association.id", criteria)), params)
        rows = cursor.fetchall()
    if not rows:
        raise Http404
    association = Association.from_db(connection.alias, ["id", "status"], rows[0][:2])
    if user.is_authenticated:
        association._roles = {user.pk: rows[0][2]}
    found = [row[3:] for row in rows if row[3] is not None]
    association._searched = (search, number, found)
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
    a page of ``VolunteerCard``. One statement whatever the number of profiles: the page's
    rows with the count of matches (a window) and each one's neighbourhood names."""
    criteria, params = _search_criteria(skill, availability, neighbourhood_id, text)
    params["association"] = association.pk
    number = _page_number(page)
    rows = _prefetched(association, skill, availability, neighbourhood_id, text, number)
    if rows is None:
        rows = _search_rows(criteria, params, number)
    if rows:
        total = rows[0][-1]
    else:  # past the end (or nothing found): count, then show the last page
        total = _search_count(criteria, params) if number > 1 else 0
        number = max(1, -(-total // SEARCH_PAGE_SIZE))
        rows = _search_rows(criteria, params, number) if total else []
    found = _CountedPaginator((), SEARCH_PAGE_SIZE, total).page(number)
    found.object_list = [
        VolunteerCard(
            user_id=user_id,
            display_name=display_name,
            skills=skills,
            availability=availability,
            bio=bio,
            neighbourhoods=neighbourhoods,
        )
        for user_id, display_name, skills, availability, bio, neighbourhoods, _total in rows
    ]
    return found


# The search is the hottest read of the module (associations page through thousands of
# profiles): written in SQL because the ORM spent longer compiling this query (a window, an
# array subquery, an anti-join) than PostgreSQL spent answering it through the GIN index. The
# criteria are fixed clauses chosen by which filters are given; every value is a parameter.
_SEARCH_FROM = f"""
    FROM {VolunteerProfile._meta.db_table} AS profile
    JOIN {User._meta.db_table} AS account ON account.id = profile.user_id
    WHERE profile.visible AND account.is_active AND NOT EXISTS (
        SELECT 1 FROM {Block._meta.db_table} AS block
        WHERE block.association_id = {{association}} AND block.volunteer_id = profile.user_id
    )"""  # noqa: S608 (table names from the models)
_SEARCH_ROWS = f"""
    SELECT profile.user_id, account.display_name, profile.skills, profile.availability,
        profile.bio,
        ARRAY(
            SELECT name FROM {Neighbourhood._meta.db_table}
            WHERE id = ANY(profile.neighbourhood_ids) ORDER BY position, name
        ),
        count(*) OVER ()
    {_SEARCH_FROM} {{criteria}}
    ORDER BY profile.updated_at DESC, profile.id
    LIMIT %(limit)s OFFSET %(offset)s"""  # noqa: S608 (criteria: fixed clauses; values are parameters)
_SEARCH_COUNT = f"SELECT count(*) {_SEARCH_FROM} {{criteria}}"
# The association, the account's role and a page of the search beside them: one row per
# profile found, or one with NULLs when none is.
_ACTING = f"""
    SELECT association.id, association.status, (
        SELECT role FROM {Membership._meta.db_table} AS membership
        WHERE membership.association_id = association.id AND membership.user_id = %(user)s
        LIMIT 1
    ), found.*
    FROM {Association._meta.db_table} AS association
    LEFT JOIN LATERAL ({{rows}}) AS found ON true
    WHERE association.slug = %(slug)s"""  # noqa: S608 (the models' tables; fixed fragments)


def _rows_sql(association: str, criteria: str) -> str:
    return _SEARCH_ROWS.format(association=association, criteria=criteria)


# Past the last page the search shows the last one; a number beyond this one is past it for
# any town, and its OFFSET would not fit PostgreSQL's bigint (a 500, not a page).
_LAST_PAGE_NUMBER = 10**9


def _page_number(page: int) -> int:
    return min(max(1, page), _LAST_PAGE_NUMBER)


def _page_params(number: int) -> dict:
    return {"limit": SEARCH_PAGE_SIZE, "offset": (number - 1) * SEARCH_PAGE_SIZE}


def _criteria_of(search: dict) -> dict:
    return {
        "skill": search.get("skill", ""),
        "availability": search.get("availability", ""),
        "neighbourhood_id": search.get("neighbourhood_id"),
        "text": search.get("text", ""),
    }


def _prefetched(association, skill, availability, neighbourhood_id, text, number):
    """The page ``association_acting`` read with the association, when it is this one."""
    searched = getattr(association, "_searched", None)
    if searched is None:
        return None
    search, prefetched_number, rows = searched
    wanted = {
        "skill": skill,
        "availability": availability,
        "neighbourhood_id": neighbourhood_id,
        "text": text,
    }
    if _criteria_of(search) != wanted or prefetched_number != number:
        return None
    return rows


def _search_criteria(
    skill: str, availability: str, neighbourhood_id: int | None, text: str
) -> tuple[str, dict]:
    """The WHERE clauses of the criteria given (each array one the GIN index covers) and
    their parameters."""
    clauses, params = [], {}
    if skill:
        clauses.append("profile.skills @> ARRAY[%(skill)s]::varchar(20)[]")
        params["skill"] = skill
    if availability:
        clauses.append("profile.availability @> ARRAY[%(availability)s]::varchar(20)[]")
        params["availability"] = availability
    if neighbourhood_id:
        clauses.append("profile.neighbourhood_ids @> ARRAY[%(neighbourhood)s]::integer[]")
        params["neighbourhood"] = neighbourhood_id
    if text:
        clauses.append("(profile.bio ILIKE %(text)s OR account.display_name ILIKE %(text)s)")
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params["text"] = f"%{escaped}%"
    return "".join(f" AND {clause}" for clause in clauses), params


def _search_rows(criteria: str, params: dict, number: int) -> list[tuple]:
    with connection.prepared_cursor() as cursor:
        cursor.execute(_rows_sql("%(association)s", criteria), {**params, **_page_params(number)})
        return cursor.fetchall()


def _search_count(criteria: str, params: dict) -> int:
    with connection.prepared_cursor() as cursor:
        cursor.execute(
            _SEARCH_COUNT.format(association="%(association)s", criteria=criteria), params
        )
        return cursor.fetchone()[0]


class _CountedPaginator(Paginator):
    """A paginator told its count: the search reads it with the page's rows, in one query."""

    def __init__(self, object_list, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count


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
