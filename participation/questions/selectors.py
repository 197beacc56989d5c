"""Read-only queries of questions to officials: lists, a question's page, who holds a
question, the overdue ones, and the town's published answer-time record."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from participation.comments.selectors import counts_for_items, counts_key
from participation.components import component_url
from participation.hooks import MapPoint
from participation.models import Component, MunicipalService, Official

from .models import Question, Theme

TARGET_SETTING = "answer_target_days"
PER_PAGE = 30
Status = Question.Status


def target(component: Component) -> datetime.timedelta:
    """The town's promised time to answer, for this component (default 15 days)."""
    return datetime.timedelta(days=int(component.setting(TARGET_SETTING)))


def themes(component: Component) -> QuerySet[Theme]:
    return Theme.objects.filter(component=component)


def askable_officials() -> QuerySet[Official]:
    return Official.objects.filter(published=True)


def municipal_services() -> QuerySet[MunicipalService]:
    return MunicipalService.objects.all()


def questions(component: Component) -> QuerySet[Question]:
    return Question.objects.filter(component=component).select_related(
        "addressed_to", "theme", "routed_official", "routed_service"
    )


def questions_for_list(component: Component, status: str = "", page=None) -> Page:
    """One page of the component's questions, newest first, each with ``.counts`` (comments,
    supports): a bounded number of queries whatever their number."""
    queryset = questions(component)
    if status in Status.values:
        queryset = queryset.filter(status=status)
    found = Paginator(queryset, PER_PAGE).get_page(page)
    counts = counts_for_items(found.object_list)
    for item in found.object_list:
        item.counts = counts[counts_key(item)]
    return found


def question_in(component: Component, question_id: int) -> Question:
    return get_object_or_404(
        questions(component).select_related("image", "duplicate_of", "component__space"),
        pk=question_id,
    )


def holders(question: Question) -> list[User]:
    """Who must act on an open question: once routed, the official's account and the members
    of the services answering (the one it was routed to, those of the official); before,
    the space's moderators and the town's staff, who route it. Active accounts only."""
    if question.status == Status.ROUTED:
        accounts = Q()
        if question.routed_service_id:
            accounts |= Q(municipal_services=question.routed_service_id)
        if question.routed_official_id:
            accounts |= Q(official=question.routed_official_id) | Q(
                municipal_services__officials=question.routed_official_id
            )
    elif question.status == Status.RECEIVED:
        accounts = Q(role__in=(User.Role.MODERATOR, User.Role.ADMIN)) | Q(
            moderated_spaces=question.component.space_id
        )
    else:
        return []
    return list(User.objects.filter(accounts, is_active=True).distinct().order_by("pk"))


def overdue(component: Component, *, now: datetime.datetime | None = None) -> QuerySet[Question]:
    """Open questions asked longer ago than the target."""
    now = now or timezone.now()
    return Question.objects.filter(
        component=component, status__in=Question.OPEN, created_at__lt=now - target(component)
    )


def queue_for(user: User, component: Component) -> QuerySet[Question]:
    """The back office's list: every question for the space's moderators and the town's
    staff; for an official or a service member, those routed to them."""
    base = questions(component).order_by("created_at", "pk")
    if user.has_perm("participation.moderate_space", component):
        return base
    mine = MunicipalService.objects.filter(members=user)
    return base.filter(
        Q(routed_official__account=user)
        | Q(routed_service__in=mine)
        | Q(routed_official__services__in=mine),
        status=Status.ROUTED,
    ).distinct()


class _Median(Aggregate):
    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"


@dataclass(frozen=True)
class AnswerRecord:
    """What the public page says of the town's own record."""

    target_days: int
    asked: int
    answered: int
    declined: int
    open: int
    overdue: int
    # Questions whose time is up: answered, or open past the target (declined left out).
    due: int
    answered_in_time: int
    median_days: float | None  # over answered questions; None before the first answer

    @property
    def in_time_percent(self) -> int | None:
        return round(100 * self.answered_in_time / self.due) if self.due else None


def answer_record(component: Component, *, now: datetime.datetime | None = None) -> AnswerRecord:
    """The component's answer-time figures, in one query."""
    now = now or timezone.now()
    limit = target(component)
    delay = ExpressionWrapper(F("answered_at") - F("created_at"), output_field=DurationField())
    answered = Q(status=Status.ANSWERED)
    late_open = Q(status__in=Question.OPEN, created_at__lt=now - limit)
    figures = Question.objects.filter(component=component).aggregate(
        asked=Count("pk"),
        answered=Count("pk", filter=answered),
        declined=Count("pk", filter=Q(status=Status.DECLINED)),
        open=Count("pk", filter=Q(status__in=Question.OPEN)),
        overdue=Count("pk", filter=late_open),
        answered_in_time=Count("pk", filter=answered & Q(answered_at__lte=F("created_at") + limit)),
        median=_Median(delay, filter=answered, output_field=DurationField()),
    )
    median = figures.pop("median")
    return AnswerRecord(
        target_days=limit.days,
        due=figures["answered"] + figures["overdue"],
        median_days=round(median.total_seconds() / 86400, 1) if median is not None else None,
        **figures,
    )


ANSWER_TIME_WINDOW = datetime.timedelta(days=365)


def town_figures() -> dict[str, float | None]:
    """The town's median time to answer (in days), over the questions answered this last year
    in every component: the registry's ``town_figures`` hook (the network figures)."""
    delay = ExpressionWrapper(F("answered_at") - F("created_at"), output_field=DurationField())
    median = Question.objects.filter(
        status=Status.ANSWERED, answered_at__gte=timezone.now() - ANSWER_TIME_WINDOW
    ).aggregate(median=_Median(delay, output_field=DurationField()))["median"]
    return {"answer_days": round(median.total_seconds() / 86400, 1) if median else None}


def map_points(components: QuerySet[Component]) -> list[MapPoint]:
    """The located questions of these components (the engine passes published ones), the
    declined ones left out: the registry's ``map_points`` hook."""
    located = (
        Question.objects.filter(
            component__in=components, latitude__isnull=False, longitude__isnull=False
        )
        .exclude(status=Status.DECLINED)
        .select_related("component__space")
        .order_by("component__pk", "-created_at", "-pk")
    )
    return [
        MapPoint(
            kind="question",
            kind_label=_("Question aux élus"),
            title=question.title,
            latitude=float(question.latitude),
            longitude=float(question.longitude),
            url=component_url(question.component, "question", question.pk),
            space=question.component.space.title,
            status=question.get_status_display(),
        )
        for question in located
    ]
