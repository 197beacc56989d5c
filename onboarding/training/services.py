"""Planning training sessions for a town's staff, inviting people, recording who came, the
materials, and the reminders. Every action of the vendor staff is written to the audit log in
the same transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from pathlib import PurePath
from typing import Required, TypedDict, Unpack

from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from console.audit import audit_record
from core.errors import Conflict, Invalid
from core.text import clean_text
from tenants.models import Tenant

from . import emails
from .files import material_check_file, stored_name
from .models import TrainingInvitee, TrainingMaterial, TrainingSession

MIN_DURATION_MINUTES = 15
MAX_DURATION_MINUTES = 8 * 60
# Reminders before a session, in days, largest first; each is sent once per invitee.
REMINDERS = ((7, "reminded_7d_at"), (1, "reminded_1d_at"))
# What invitees are told about when it changes.
INVITEE_FACING_FIELDS = ("starts_at", "duration_minutes", "format", "place", "video_url")

_validate_link = URLValidator(schemes=["https", "http"])


def _link(value: str, *, field: str, label: str) -> str:
    value = clean_text(value, field=field, label=label, max_length=500)
    try:
        _validate_link(value)
    except ValidationError as exc:
        raise Invalid(
            _("%(label)s : une adresse web complète est attendue (https://…).") % {"label": label},
            field=field,
        ) from exc
    return value


def _locked(session: TrainingSession) -> TrainingSession:
    return TrainingSession.objects.select_for_update().select_related("town").get(pk=session.pk)


def _ensure_not_cancelled(session: TrainingSession) -> None:
    if session.status == TrainingSession.Status.CANCELLED:
        raise Conflict(_("Cette séance est annulée."))


def _ensure_planned(session: TrainingSession) -> None:
    _ensure_not_cancelled(session)
    if session.status != TrainingSession.Status.PLANNED:
        raise Conflict(_("Cette séance a déjà eu lieu : les présences sont enregistrées."))


class SessionFields(TypedDict, total=False):
    """What the staff set on a session (planning or changing it)."""

    starts_at: Required[datetime.datetime]
    duration_minutes: Required[int]
    format: Required[str]
    trainer: Required[User | None]
    topics: Required[str]
    place: str
    video_url: str
    notes: str


def _session_fields(
    *,
    starts_at: datetime.datetime,
    duration_minutes: int,
    format: str,
    trainer: User | None,
    topics: str,
    place: str = "",
    video_url: str = "",
    notes: str = "",
    current_starts_at: datetime.datetime | None = None,
) -> SessionFields:
    """The session's fields checked and cleaned; Invalid on the first wrong one. A new
    date must be to come (``current_starts_at``, the date already saved, may be past)."""
    if starts_at is None or timezone.is_naive(starts_at):
        raise Invalid(_("Indiquez la date et l'heure de la séance."), field="starts_at")
    if starts_at != current_starts_at and starts_at <= timezone.now():
        raise Invalid(_("La date de la séance est passée."), field="starts_at")
    if not MIN_DURATION_MINUTES <= (duration_minutes or 0) <= MAX_DURATION_MINUTES:
        raise Invalid(
            _("La durée va de %(min)d à %(max)d minutes.")
            % {"min": MIN_DURATION_MINUTES, "max": MAX_DURATION_MINUTES},
            field="duration_minutes",
        )
    if format == TrainingSession.Format.ON_SITE:
        place, video_url = clean_text(place, field="place", label=_("Lieu"), max_length=300), ""
    elif format == TrainingSession.Format.REMOTE:
        place = ""
        video_url = _link(video_url, field="video_url", label=_("Lien de la visioconférence"))
    else:
        raise Invalid(_("Choisissez sur place ou à distance."), field="format")
    if trainer is None or not trainer.is_active or not trainer.is_vendor_staff:
        raise Invalid(_("Le formateur est un membre actif de l'équipe Agora."), field="trainer")
    topics = "\n".join(
        line.strip()
        for line in clean_text(topics, field="topics", label=_("Programme"), max_length=5_000)
        .strip()
        .splitlines()
        if line.strip()
    )
    return {
        "starts_at": starts_at,
        "duration_minutes": duration_minutes,
        "format": format,
        "place": place,
        "video_url": video_url,
        "trainer": trainer,
        "topics": topics,
        "notes": clean_text(
            notes, field="notes", label=_("Notes"), max_length=5_000, required=False
        ),
    }


def _audit_details(session: TrainingSession, **extra) -> dict:
    return {
        "session": session.pk,
        "starts_at": timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M"),
        **extra,
    }


# Sessions


def session_plan(
    *,
    actor: User,
    town: Tenant,
    request: HttpRequest | None = None,
    **fields: Unpack[SessionFields],
) -> TrainingSession:
    if town.is_platform or town.status == Tenant.Status.ARCHIVED:
        raise Invalid(_("Cette collectivité ne peut pas être formée."), field="town")
    fields = _session_fields(**fields)
    with transaction.atomic():
        session = TrainingSession.objects.create(town=town, **fields)
        audit_record(
            actor=actor,
            action="training.session_planned",
            town=town,
            details=_audit_details(session, format=session.format),
            request=request,
        )
    return session


def session_update(
    *,
    actor: User,
    session: TrainingSession,
    request: HttpRequest | None = None,
    **fields: Unpack[SessionFields],
) -> TrainingSession:
    """Change a planned session. Invitees are e-mailed when its date, length or place
    changes; a new date re-arms the reminders."""
    fields = _session_fields(**fields, current_starts_at=session.starts_at)
    with transaction.atomic():
        session = _locked(session)
        _ensure_planned(session)
        changed = [name for name, value in fields.items() if getattr(session, name) != value]
        for name, value in fields.items():
            setattr(session, name, value)
        session.save()
        if "starts_at" in changed:
            session.invitees.update(reminded_7d_at=None, reminded_1d_at=None)
        if set(changed) & set(INVITEE_FACING_FIELDS):
            for invitee in session.invitees.all():
                emails.session_email_send(invitee=invitee, kind=emails.CHANGED)
        audit_record(
            actor=actor,
            action="training.session_updated",
            town=session.town,
            details=_audit_details(session, fields=", ".join(changed)),
            request=request,
        )
    return session


def session_cancel(
    *, actor: User, session: TrainingSession, request: HttpRequest | None = None
) -> TrainingSession:
    """Cancel a planned session; the invitees are told if it had not started yet."""
    with transaction.atomic():
        session = _locked(session)
        _ensure_planned(session)
        session.status = TrainingSession.Status.CANCELLED
        session.save(update_fields=["status", "updated_at"])
        if session.starts_at > timezone.now():
            for invitee in session.invitees.all():
                emails.session_email_send(invitee=invitee, kind=emails.CANCELLED)
        audit_record(
            actor=actor,
            action="training.session_cancelled",
            town=session.town,
            details=_audit_details(session),
            request=request,
        )
    return session


# Invitees


def invitee_add(
    *,
    actor: User,
    session: TrainingSession,
    name: str,
    email: str,
    service: str = "",
    request: HttpRequest | None = None,
) -> TrainingInvitee:
    """Invite someone; they are e-mailed the invitation if the session is still to come.
    Someone who came without being invited can be added afterwards, to record them."""
    name = clean_text(name, field="name", label=_("Nom"), max_length=150)
    email = BaseUserManager.normalize_email(
        clean_text(email, field="email", label=_("Adresse e-mail"), max_length=254)
    )
    try:
        validate_email(email)
    except ValidationError as exc:
        raise Invalid(
            _("« %(email)s » n'est pas une adresse e-mail valide.") % {"email": email},
            field="email",
        ) from exc
    service = clean_text(
        service, field="service", label=_("Service municipal"), max_length=150, required=False
    )
    duplicate = Conflict(
        _("%(email)s est déjà invité(e) à cette séance.") % {"email": email}, field="email"
    )
    with transaction.atomic():
        session = _locked(session)
        _ensure_not_cancelled(session)
        if session.invitees.filter(email__iexact=email).exists():
            raise duplicate
        try:
            with transaction.atomic():
                invitee = TrainingInvitee.objects.create(
                    session=session, name=name, email=email, service=service
                )
        except IntegrityError as exc:  # the same address added at the same moment
            raise duplicate from exc
        if session.status == TrainingSession.Status.PLANNED and session.starts_at > timezone.now():
            emails.session_email_send(invitee=invitee, kind=emails.INVITATION)
        audit_record(
            actor=actor,
            action="training.invitee_added",
            town=session.town,
            details=_audit_details(session, invitee=email),
            request=request,
        )
    return invitee


def invitee_remove(
    *, actor: User, invitee: TrainingInvitee, request: HttpRequest | None = None
) -> None:
    with transaction.atomic():
        session = _locked(invitee.session)
        _ensure_planned(session)
        invitee.delete()
        audit_record(
            actor=actor,
            action="training.invitee_removed",
            town=session.town,
            details=_audit_details(session, invitee=invitee.email),
            request=request,
        )


def attendance_record(
    *,
    actor: User,
    session: TrainingSession,
    present: Iterable[int],
    request: HttpRequest | None = None,
) -> TrainingSession:
    """Mark who came (the ids in ``present``) and who did not (every other invitee); the
    session is then done. Only once it has started; may be corrected later."""
    present = {int(pk) for pk in present}
    with transaction.atomic():
        session = _locked(session)
        _ensure_not_cancelled(session)
        if session.starts_at > timezone.now():
            raise Invalid(
                _(
                    "La séance n'a pas encore commencé : les présences se notent à partir "
                    "de son début."
                )
            )
        invitees = list(session.invitees.select_for_update())
        if not invitees:
            raise Invalid(_("Ajoutez d'abord les personnes invitées."))
        unknown = present - {invitee.pk for invitee in invitees}
        if unknown:
            raise Invalid(_("Une personne cochée n'est pas invitée à cette séance."))
        for invitee in invitees:
            invitee.attended = invitee.pk in present
        TrainingInvitee.objects.bulk_update(invitees, ["attended"])
        session.status = TrainingSession.Status.DONE
        session.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action="training.attendance_recorded",
            town=session.town,
            details=_audit_details(session, present=len(present), invited=len(invitees)),
            request=request,
        )
    return session


# Materials


def material_add(
    *,
    actor: User,
    session: TrainingSession,
    title: str = "",
    file: UploadedFile | None = None,
    url: str = "",
    request: HttpRequest | None = None,
) -> TrainingMaterial:
    """A file (checked by its content, size and extension) or a link, not both."""
    url = (url or "").strip()
    if (file is None) == (not url):
        raise Invalid(_("Joignez un fichier ou indiquez un lien (l'un des deux)."))
    material = TrainingMaterial(session=session)
    if file is not None:
        material.content_type = material_check_file(file)
        material.size = file.size
        title = title or PurePath(file.name or "").stem
    else:
        material.url = _link(url, field="url", label=_("Lien"))
    material.title = clean_text(title, field="title", label=_("Titre"), max_length=200)
    try:
        with transaction.atomic():
            session = _locked(session)
            _ensure_not_cancelled(session)
            if file is not None:
                material.file.save(stored_name(file.name, material.content_type), file, save=False)
            material.save()
            audit_record(
                actor=actor,
                action="training.material_added",
                town=session.town,
                details=_audit_details(session, material=material.title),
                request=request,
            )
    except Exception:
        # The session was refused or the row not written: the stored file is an orphan.
        if material.file.name:
            material.file.storage.delete(material.file.name)
        raise
    return material


def material_remove(
    *, actor: User, material: TrainingMaterial, request: HttpRequest | None = None
) -> None:
    with transaction.atomic():
        session = _locked(material.session)
        stored = material.file.name
        storage = material.file.storage
        material.delete()
        audit_record(
            actor=actor,
            action="training.material_removed",
            town=session.town,
            details=_audit_details(session, material=material.title),
            request=request,
        )
        if stored:
            transaction.on_commit(lambda: storage.delete(stored))


# Reminders


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """E-mail the invitees of the coming sessions 7 days and 1 day before, each reminder once
    (stamped in the same transaction; two runs at once skip each other's rows). A missed run
    is caught up by the next one until the following reminder's day: from 1 day before, only
    the 1-day reminder is sent. People invited on or after a reminder's day have just had the
    invitation instead. Returns the number of e-mails queued."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    queued = 0
    for index, (days, stamp) in enumerate(REMINDERS):
        next_days = REMINDERS[index + 1][0] if index + 1 < len(REMINDERS) else -1
        window_end = timezone.make_aware(
            datetime.datetime.combine(today + datetime.timedelta(days=days + 1), datetime.time())
        )
        with transaction.atomic():
            invitees = (
                TrainingInvitee.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("session__town", "session__trainer")
                .prefetch_related("session__materials")
                .filter(
                    session__status=TrainingSession.Status.PLANNED,
                    session__starts_at__gt=now,
                    session__starts_at__lt=window_end,
                    **{f"{stamp}__isnull": True},
                )
            )
            for invitee in invitees:
                day = timezone.localdate(invitee.session.starts_at)
                days_left = (day - today).days
                invited_before = (day - timezone.localdate(invitee.invited_at)).days
                if days_left <= next_days or invited_before <= days:
                    continue
                emails.session_email_send(
                    invitee=invitee, kind=emails.REMINDER, days_left=days_left
                )
                setattr(invitee, stamp, now)
                invitee.save(update_fields=[stamp])
                queued += 1
    return queued
