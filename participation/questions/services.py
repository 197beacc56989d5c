"""The life of a question to officials: asked by a resident, routed by the town to an official
or a service, answered publicly by whoever holds it, or declined with a public reason; overdue
questions recalled to their holders. The asker is told of each step."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.emails import email_send_on_commit
from accounts.models import User
from core.errors import Invalid
from core.hosts import current_town_url
from core.ratelimit import rate_limit
from core.text import clean_text
from participation.images import clean_alt, image_store
from participation.models import Component, MunicipalService, Official
from participation.notifications.kinds import REPLIES
from participation.notifications.services import notify
from participation.services import ensure_perm

from . import selectors
from .models import (
    ADDRESS_MAX_LENGTH,
    ANSWER_MAX_LENGTH,
    BODY_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    THEME_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Question,
    QuestionEvent,
    Theme,
)

Status = Question.Status
# An overdue question is recalled to its holders at most this often.
REMIND_EVERY = datetime.timedelta(days=3)
TARGET_MAX_DAYS = 365


def ensure_questions(component: Component) -> None:
    if component.type_key != "questions":
        raise Invalid(_("Ce composant ne reçoit pas de questions aux élus."))


def _coordinates(latitude, longitude) -> tuple[Decimal | None, Decimal | None]:
    if latitude in (None, "") and longitude in (None, ""):
        return None, None
    try:
        lat, lng = Decimal(str(latitude)), Decimal(str(longitude))
    except (InvalidOperation, ValueError) as exc:
        raise Invalid(
            _("Situez le lieu par une latitude et une longitude."), field="latitude"
        ) from exc
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise Invalid(_("Ce point n'est pas sur la Terre."), field="latitude")
    return lat.quantize(Decimal("0.000001")), lng.quantize(Decimal("0.000001"))


def _step(question: Question, status: str, *, by: User | None, note: str = "") -> None:
    """Record the step on the public timeline and tell the asker."""
    QuestionEvent.objects.create(
        question=question, status=status, note=note[:400], by=by, at=timezone.now()
    )
    subjects = {
        Status.RECEIVED: _("Votre question « %(title)s » est bien reçue"),
        Status.ROUTED: _("Votre question « %(title)s » est transmise"),
        Status.ANSWERED: _("Votre question « %(title)s » a reçu sa réponse"),
        Status.DECLINED: _("Votre question « %(title)s » n'est pas retenue"),
    }
    notify(
        question.author,
        REPLIES,
        subjects[status] % {"title": question.title},
        "questions/emails/step.txt",
        {
            "question": question,
            "status": status,
            "note": note,
            "link": current_town_url(question.get_absolute_url()),
        },
    )


def _tell_holders(question: Question, *, overdue: bool) -> int:
    """E-mail whoever must now act on the question (work mail: not a resident's preference)."""
    recipients = [user for user in selectors.holders(question) if user.email]
    subject = (
        _("Question en retard : « %(title)s »")
        if overdue
        else _("Question à traiter : « %(title)s »")
    ) % {"title": question.title}
    for user in recipients:
        email_send_on_commit(
            to=user.email,
            subject=subject,
            template="questions/emails/holder.txt",
            context={
                "recipient": user,
                "question": question,
                "overdue": overdue,
                "target_days": selectors.target(question.component).days,
                "link": current_town_url(
                    reverse(
                        "questions_admin:question",
                        args=[question.component.space.slug, question.component_id, question.pk],
                    )
                ),
            },
        )
    return len(recipients)


def _locked(question: Question) -> Question:
    return (
        Question.objects.select_for_update(of=("self",))
        .select_related("component__space", "routed_official", "routed_service")
        .get(pk=question.pk)
    )


def question_ask(
    *,
    author: User,
    component: Component,
    title: str,
    body: str,
    addressed_to: Official | None = None,
    theme: Theme | None = None,
    address: str = "",
    latitude=None,
    longitude=None,
    image=None,
    image_alt: str = "",
) -> Question:
    """A resident's public question, with its photo and place if given. Everything is checked
    before anything is written: a refused question leaves nothing behind."""
    ensure_questions(component)
    ensure_perm(author, "questions.add_question", component)
    rate_limit("question", account=author.pk)
    title = clean_text(title, label=_("Titre"), max_length=TITLE_MAX_LENGTH, field="title")
    body = clean_text(body, label=_("Votre question"), max_length=BODY_MAX_LENGTH, field="body")
    address = clean_text(
        address, label=_("Lieu"), max_length=ADDRESS_MAX_LENGTH, required=False, field="address"
    )
    if addressed_to is not None and not addressed_to.published:
        raise Invalid(_("Choisissez un élu de la liste."), field="addressed_to")
    if theme is not None and theme.component_id != component.pk:
        raise Invalid(_("Choisissez un thème de la liste."), field="theme")
    latitude, longitude = _coordinates(latitude, longitude)
    if image:
        clean_alt(image_alt)
    with transaction.atomic():
        question = Question(
            component=component,
            author=author,
            title=title,
            body=body,
            addressed_to=addressed_to,
            theme=theme,
            address=address,
            latitude=latitude,
            longitude=longitude,
        )
        if image:
            question.image = image_store(upload=image, alt=image_alt)
        question.save()
        _step(question, Status.RECEIVED, by=author)
        _tell_holders(question, overdue=False)
    return question


def question_route(
    *,
    actor: User,
    question: Question,
    official: Official | None = None,
    service: MunicipalService | None = None,
) -> Question:
    """Give the question to an official or a service (again, if it was already routed)."""
    ensure_perm(actor, "questions.route_question", question)
    if (official is None) == (service is None):
        raise Invalid(_("Transmettez la question à un élu ou à un service."), field="official")
    with transaction.atomic():
        locked = _locked(question)
        ensure_perm(actor, "questions.route_question", locked)
        locked.status = Status.ROUTED
        locked.routed_official, locked.routed_service = official, service
        locked.routed_at = timezone.now()
        locked.reminded_at = None
        locked.save()
        holder = official.name if official is not None else service.name
        _step(
            locked, Status.ROUTED, by=actor, note=_("Transmise à %(holder)s") % {"holder": holder}
        )
        _tell_holders(locked, overdue=False)
    return locked


def _signature(actor: User, question: Question) -> str:
    """In whose name the answer is published."""
    official = question.routed_official
    if official is not None and official.account_id == actor.pk:
        return str(official)
    if question.routed_service is not None:
        return question.routed_service.name
    if official is not None:
        return str(official)
    return _("La collectivité")


def question_answer(*, actor: User, question: Question, answer: str) -> Question:
    ensure_perm(actor, "questions.answer_question", question)
    answer = clean_text(answer, label=_("Réponse"), max_length=ANSWER_MAX_LENGTH, field="answer")
    with transaction.atomic():
        locked = _locked(question)
        ensure_perm(actor, "questions.answer_question", locked)
        locked.status = Status.ANSWERED
        locked.answer = answer
        locked.answered_as = _signature(actor, locked)[:400]
        locked.answered_by = actor
        locked.answered_at = timezone.now()
        locked.save()
        _step(locked, Status.ANSWERED, by=actor, note=locked.answered_as)
    return locked


def question_decline(
    *,
    actor: User,
    question: Question,
    reason: str,
    note: str = "",
    duplicate_of: Question | None = None,
) -> Question:
    """Close the question without an answer, for a public reason: a duplicate (of another
    question of the same component), out of the town's scope, or insulting."""
    ensure_perm(actor, "questions.decline_question", question)
    if reason not in Question.DeclineReason.values:
        raise Invalid(_("Choisissez le motif."), field="reason")
    note = clean_text(
        note,
        label=_("Explication publique"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        field="note",
    )
    if reason == Question.DeclineReason.DUPLICATE:
        if duplicate_of is None:
            raise Invalid(_("Indiquez la question déjà posée."), field="duplicate_of")
        if duplicate_of.component_id != question.component_id or duplicate_of.pk == question.pk:
            raise Invalid(_("Choisissez une autre question de cet espace."), field="duplicate_of")
    else:
        duplicate_of = None
    with transaction.atomic():
        locked = _locked(question)
        ensure_perm(actor, "questions.decline_question", locked)
        locked.status = Status.DECLINED
        locked.decline_reason, locked.decline_note = reason, note
        locked.duplicate_of = duplicate_of
        locked.declined_at = timezone.now()
        locked.save()
        _step(locked, Status.DECLINED, by=actor, note=locked.get_decline_reason_display())
    return locked


def questions_remind_overdue(*, now: datetime.datetime | None = None) -> int:
    """Recall each overdue open question to whoever holds it, at most every REMIND_EVERY; the
    questions are locked (two workers at once skip each other's) and marked in the same
    transaction. Returns the number of e-mails queued."""
    now = now or timezone.now()
    sent = 0
    for component in Component.objects.filter(type_key="questions").select_related("space"):
        with transaction.atomic():
            due = (
                selectors.overdue(component, now=now)
                .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=now - REMIND_EVERY))
                .select_related("component__space", "routed_official", "routed_service")
                .select_for_update(skip_locked=True, of=("self",))
            )
            for question in due:
                sent += _tell_holders(question, overdue=True)
                question.reminded_at = now
                question.save(update_fields=["reminded_at"])
    return sent


def theme_add(*, actor: User, component: Component, name: str) -> Theme:
    ensure_questions(component)
    ensure_perm(actor, "questions.change_settings", component)
    name = clean_text(name, label=_("Nom du thème"), max_length=THEME_MAX_LENGTH, field="name")
    theme, created = Theme.objects.get_or_create(
        component=component,
        name=name,
        defaults={"position": Theme.objects.filter(component=component).count()},
    )
    if not created:
        raise Invalid(_("Ce thème existe déjà."), field="name")
    return theme


def settings_update(*, actor: User, component: Component, answer_target_days: int) -> Component:
    """The town's promised time to answer, in days."""
    ensure_questions(component)
    ensure_perm(actor, "questions.change_settings", component)
    if not isinstance(answer_target_days, int) or not 1 <= answer_target_days <= TARGET_MAX_DAYS:
        raise Invalid(
            _("Le délai de réponse est un nombre de jours entre 1 et %(max)d.")
            % {"max": TARGET_MAX_DAYS},
            field="answer_target_days",
        )
    with transaction.atomic():
        locked = Component.objects.select_for_update().get(pk=component.pk)
        locked.settings = {**locked.settings, selectors.TARGET_SETTING: answer_target_days}
        locked.save(update_fields=["settings"])
    return locked
