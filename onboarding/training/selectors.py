"""Reading training sessions (public schema).

A town's pages run with the search path "<town>, public": a join to the accounts table there
would find the town's own accounts, not the vendor staff. What a town's page shows is
therefore read in the public schema and handed over as lists."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from accounts.models import User
from tenants.models import Tenant

from .models import TrainingInvitee, TrainingSession
from .sharing import material_links


def _start_of_today(now: datetime.datetime | None) -> datetime.datetime:
    today = timezone.localdate(now or timezone.now())
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time()))


def _sessions(town: Tenant | None) -> QuerySet[TrainingSession]:
    sessions = TrainingSession.objects.select_related("town", "trainer").annotate(
        invitee_count=Count("invitees", distinct=True),
        attended_count=Count("invitees", filter=Q(invitees__attended=True), distinct=True),
    )
    return sessions.filter(town=town) if town is not None else sessions


def upcoming_sessions(
    *, town: Tenant | None = None, now: datetime.datetime | None = None
) -> QuerySet[TrainingSession]:
    """Sessions from today on (whatever their status), soonest first."""
    return _sessions(town).filter(starts_at__gte=_start_of_today(now)).order_by("starts_at", "pk")


def past_sessions(
    *, town: Tenant | None = None, now: datetime.datetime | None = None
) -> QuerySet[TrainingSession]:
    """Sessions before today, latest first."""
    return _sessions(town).filter(starts_at__lt=_start_of_today(now)).order_by("-starts_at", "-pk")


def sessions_for(town: Tenant) -> list[TrainingSession]:
    """Every session of the town, in date order, with their invitees and materials."""
    with schema_context(get_public_schema_name()):
        return list(
            _sessions(town).prefetch_related("invitees", "materials").order_by("starts_at", "pk")
        )


def session_detail(pk: int) -> TrainingSession | None:
    return (
        TrainingSession.objects.select_related("town", "trainer")
        .prefetch_related("invitees", "materials")
        .filter(pk=pk)
        .first()
    )


def trainers() -> QuerySet[User]:
    """Who may lead a session: the active vendor staff."""
    return User.objects.filter(role=User.Role.VENDOR_STAFF, is_active=True).order_by(
        "display_name", "email"
    )


def trained_staff_count(town: Tenant) -> int:
    """How many different people (by e-mail address) attended a session of the town."""
    return (
        TrainingInvitee.objects.filter(
            session__town=town, session__status=TrainingSession.Status.DONE, attended=True
        )
        .values(address=Lower("email"))
        .distinct()
        .count()
    )


def training_done(town: Tenant) -> bool:
    """Whether a session of the town took place with at least one person present."""
    return TrainingSession.objects.filter(
        town=town, status=TrainingSession.Status.DONE, invitees__attended=True
    ).exists()


@dataclass(frozen=True)
class TownTraining:
    """What a town's back office shows of its training."""

    upcoming: list[TrainingSession]
    past: list[TrainingSession]
    trained_staff: int


def _with_material_links(sessions: QuerySet[TrainingSession]) -> list[TrainingSession]:
    """The sessions, each with ``material_links``: (title, URL) usable from the town's host."""
    sessions = list(sessions.prefetch_related("materials"))
    for session in sessions:
        session.material_links = material_links(session)
    return sessions


def town_training(town: Tenant, *, now: datetime.datetime | None = None) -> TownTraining:
    with schema_context(get_public_schema_name()):
        return TownTraining(
            upcoming=_with_material_links(upcoming_sessions(town=town, now=now)),
            past=_with_material_links(past_sessions(town=town, now=now)),
            trained_staff=trained_staff_count(town),
        )
