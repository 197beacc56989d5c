"""Creating polls and answering them."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import ApplicationError, Conflict, Invalid
from core.positions import next_position
from core.text import clean_text
from participation.models import Component
from participation.services import ensure_perm

from .models import (
    CHOICE_MAX_LENGTH,
    MAX_CHOICES,
    MIN_CHOICES,
    QUESTION_MAX_LENGTH,
    Answer,
    AnswerChoice,
    Choice,
    Poll,
)


def _clean_choices(choices: Sequence[str]) -> list[str]:
    labels: list[str] = []
    seen: set[str] = set()
    for number, raw in enumerate(choices, start=1):
        label = clean_text(
            raw, label=_("Choix n° %(number)d") % {"number": number}, max_length=CHOICE_MAX_LENGTH
        )
        if label.casefold() in seen:
            raise Invalid(_("Le choix « %(label)s » figure deux fois.") % {"label": label})
        seen.add(label.casefold())
        labels.append(label)
    if not MIN_CHOICES <= len(labels) <= MAX_CHOICES:
        raise Invalid(
            _("Un sondage propose entre %(min)d et %(max)d choix (%(count)d donnés).")
            % {"min": MIN_CHOICES, "max": MAX_CHOICES, "count": len(labels)}
        )
    return labels


def poll_create(
    *,
    actor: User,
    component: Component,
    question: str,
    kind: str,
    choices: Sequence[str],
    max_choices: int | None = None,
    results_visibility: str = Poll.ResultsVisibility.AFTER_ANSWER,
) -> Poll:
    """A new poll at the end of the component's list (staff only)."""
    ensure_perm(actor, "polls.change_poll", component)
    if component.type_key != "polls":
        raise Invalid(_("Ce composant n'est pas un module de sondages."))
    question = clean_text(question, label=_("Question"), max_length=QUESTION_MAX_LENGTH)
    if kind not in Poll.Kind.values:
        raise Invalid(_("Type de sondage inconnu : « %(kind)s ».") % {"kind": kind})
    if results_visibility not in Poll.ResultsVisibility.values:
        raise Invalid(
            _("Visibilité des résultats inconnue : « %(value)s ».") % {"value": results_visibility}
        )
    labels = _clean_choices(choices)
    if kind == Poll.Kind.SINGLE:
        max_choices = 1
    elif max_choices is None:
        max_choices = len(labels)
    elif not 1 <= max_choices <= len(labels):
        raise Invalid(
            _("Le nombre de choix maximum doit être compris entre 1 et %(count)d.")
            % {"count": len(labels)}
        )
    with transaction.atomic():
        position = next_position(parent=component, items=Poll.objects.filter(component=component))
        poll = Poll.objects.create(
            component=component,
            question=question,
            kind=kind,
            max_choices=max_choices,
            results_visibility=results_visibility,
            position=position,
        )
        Choice.objects.bulk_create(
            Choice(poll=poll, label=label, position=position)
            for position, label in enumerate(labels)
        )
    return poll


UNIQUE_VIOLATION = "23505"


def _is_second_answer(exc: IntegrityError) -> bool:
    """A unique violation on the answers' table: the one-answer-per-account constraint (its
    name is not matched: schemas cloned from the template get generated constraint names)."""
    cause = exc.__cause__
    diag = getattr(cause, "diag", None)
    return (
        getattr(cause, "sqlstate", None) == UNIQUE_VIOLATION
        and getattr(diag, "table_name", None) == Answer._meta.db_table
    )


def _already_answered() -> ApplicationError:
    return Conflict(_("Vous avez déjà répondu à ce sondage."))


def _has_answered(poll: Poll, user: User) -> bool:
    """Whether the account already answered, its answer row locked (the poll row is)."""
    return Answer.objects.select_for_update().filter(poll=poll, user=user).exists()


def poll_answer(*, user: User, poll: Poll, choice_ids: Sequence[int]) -> Answer:
    """Record this account's one answer to the poll.

    The poll row is locked while the account's existing answer and the choices are checked,
    so two simultaneous answers of one account are serialised; the database constraint
    (one answer per poll and account) is the last safeguard.
    """
    ensure_perm(user, "polls.answer_poll", poll)
    ids = list(dict.fromkeys(choice_ids))
    if not ids:
        raise Invalid(_("Choisissez au moins une réponse."))
    try:
        with transaction.atomic():
            locked = Poll.objects.select_for_update().get(pk=poll.pk)
            if _has_answered(locked, user):
                raise _already_answered()
            known = set(Choice.objects.filter(poll=locked, pk__in=ids).values_list("pk", flat=True))
            if not set(ids) <= known:
                raise Invalid(_("Ce choix ne fait pas partie de la question."))
            if not locked.is_multiple and len(ids) > 1:
                raise Invalid(_("Ce sondage n'accepte qu'un seul choix."))
            if len(ids) > locked.max_choices:
                raise Invalid(
                    _("Vous pouvez cocher %(max)d choix au plus (%(count)d cochés).")
                    % {"max": locked.max_choices, "count": len(ids)}
                )
            answer = Answer.objects.create(poll=locked, user=user)
            AnswerChoice.objects.bulk_create(
                AnswerChoice(answer=answer, choice_id=choice_id) for choice_id in ids
            )
    except IntegrityError as exc:
        if _is_second_answer(exc):
            raise _already_answered() from exc
        raise
    return answer
