"""Residents answer a survey: every answer checked against its question (kinds, bounds,
conditions), all errors reported at once, one response per resident."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from core.errors import Conflict, Invalid
from participation.services import ensure_perm

from ..models import (
    LONG_TEXT_MAX_LENGTH,
    SCALE_MAX,
    SCALE_MIN,
    SHORT_TEXT_MAX_LENGTH,
    AnswerValue,
    Option,
    Question,
    Response,
    Survey,
)

Kind = Question.Kind


NUMBER_DECIMAL_PLACES = 4


NUMBER_MAX_ABS = Decimal("1e14")


class SurveyInvalid(Invalid):
    """Answers that cannot be recorded: ``errors`` maps each question id to what is wrong
    with its answer, in words for the person answering."""

    def __init__(self, errors: dict[int, str]):
        self.errors = dict(errors)
        super().__init__(
            ngettext(
                "Le questionnaire contient %(count)d erreur : corrigez la réponse signalée.",
                "Le questionnaire contient %(count)d erreurs : corrigez les réponses signalées.",
                len(self.errors),
            )
            % {"count": len(self.errors)}
        )


class AnswerError(Invalid):
    """What is wrong with one answer (internal: collected into SurveyInvalid)."""


def _is_blank(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, Mapping):
        return all(_is_blank(value) for value in raw.values())
    if isinstance(raw, list | tuple | set):
        return len(raw) == 0
    return False


def _parse_int(raw: Any) -> int:
    if isinstance(raw, bool):
        raise AnswerError(_("Ce choix ne fait pas partie de la question."))
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and re.fullmatch(r"\s*\d{1,12}\s*", raw):
        return int(raw)
    raise AnswerError(_("Ce choix ne fait pas partie de la question."))


def parse_decimal(raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise AnswerError(_("Saisissez un nombre."))
    if isinstance(raw, int | Decimal):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(str(raw))
    elif isinstance(raw, str):
        text = raw.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
        if not re.fullmatch(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)", text):
            raise AnswerError(_("Saisissez un nombre (par exemple 12 ou 12,5)."))
        value = Decimal(text.replace(",", "."))
    else:
        raise AnswerError(_("Saisissez un nombre."))
    if not value.is_finite():
        raise AnswerError(_("Saisissez un nombre."))
    if abs(value) >= NUMBER_MAX_ABS:
        raise AnswerError(_("Ce nombre est trop grand."))
    if value != value.quantize(Decimal(1).scaleb(-NUMBER_DECIMAL_PLACES)):
        raise AnswerError(
            _("%(places)d chiffres après la virgule au plus.") % {"places": NUMBER_DECIMAL_PLACES}
        )
    return value


def format_decimal(value: Decimal) -> str:
    """12.5000 -> "12,5"; 100 -> "100" (never "1E+2")."""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def _parse_date(raw: Any) -> datetime.date:
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                value = datetime.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
            if 1900 <= value.year <= 2100:
                return value
    raise AnswerError(_("Saisissez une date valide, au format JJ/MM/AAAA."))


def _as_list(raw: Any) -> list:
    if isinstance(raw, list | tuple):
        return list(raw)
    return [raw]


@dataclass
class Clean:
    """A validated answer, as it will be stored."""

    text: str = ""
    number: Decimal | None = None
    date: datetime.date | None = None
    choices: Any = None

    def option_ids(self) -> set[int]:
        if isinstance(self.choices, list):
            return set(self.choices)
        return set()


def _choice_ids(question: Question, role: str = Option.Role.CHOICE) -> dict[int, Option]:
    return {option.pk: option for option in question.options.all() if option.role == role}


def _clean_answer(question: Question, raw: Any) -> Clean:
    """The answer to one question, validated; AnswerError says what is wrong."""
    kind = question.kind
    foreign = _("Ce choix ne fait pas partie de la question.")

    if kind in Question.TEXT_KINDS:
        if not isinstance(raw, str):
            raise AnswerError(_("Saisissez un texte."))
        text = raw.strip()
        limit = SHORT_TEXT_MAX_LENGTH if kind == Kind.SHORT_TEXT else LONG_TEXT_MAX_LENGTH
        if len(text) > limit:
            raise AnswerError(
                _("Votre réponse compte %(length)d caractères, %(max)d au plus.")
                % {"length": len(text), "max": limit}
            )
        return Clean(text=text)

    if kind == Kind.SINGLE_CHOICE:
        values = _as_list(raw)
        if len(values) != 1:
            raise AnswerError(_("Choisissez une seule réponse."))
        option_id = _parse_int(values[0])
        if option_id not in _choice_ids(question):
            raise AnswerError(foreign)
        return Clean(choices=[option_id])

    if kind == Kind.MULTIPLE_CHOICE:
        ids = [_parse_int(value) for value in _as_list(raw)]
        options = _choice_ids(question)
        if any(option_id not in options for option_id in ids):
            raise AnswerError(foreign)
        if len(set(ids)) != len(ids):
            raise AnswerError(_("Un même choix est donné plusieurs fois."))
        if question.max_choices is not None and len(ids) > question.max_choices:
            raise AnswerError(
                ngettext(
                    "Choisissez %(max)d réponse au plus.",
                    "Choisissez %(max)d réponses au plus.",
                    question.max_choices,
                )
                % {"max": question.max_choices}
            )
        order = list(options)
        return Clean(choices=sorted(ids, key=order.index))

    if kind == Kind.RANKING:
        return Clean(choices=_clean_ranking(question, raw))

    if kind == Kind.SCALE:
        try:
            value = parse_decimal(raw)
        except AnswerError:
            value = None
        if (
            value is None
            or value != value.to_integral_value()
            or not (SCALE_MIN <= value <= SCALE_MAX)
        ):
            raise AnswerError(
                _("Choisissez une valeur entre %(min)d et %(max)d.")
                % {"min": SCALE_MIN, "max": SCALE_MAX}
            )
        return Clean(number=Decimal(int(value)))

    if kind == Kind.MATRIX:
        return Clean(choices=_clean_matrix(question, raw))

    if kind == Kind.NUMBER:
        value = parse_decimal(raw)
        low, high = question.min_value, question.max_value
        if (low is not None and value < low) or (high is not None and value > high):
            if low is not None and high is not None:
                message = _("Saisissez un nombre entre %(min)s et %(max)s.")
            elif low is not None:
                message = _("Saisissez un nombre supérieur ou égal à %(min)s.")
            else:
                message = _("Saisissez un nombre inférieur ou égal à %(max)s.")
            raise AnswerError(
                message
                % {
                    "min": format_decimal(low) if low is not None else "",
                    "max": format_decimal(high) if high is not None else "",
                }
            )
        return Clean(number=value)

    if kind == Kind.DATE:
        return Clean(date=_parse_date(raw))

    raise AnswerError(_("Type de question inconnu."))  # pragma: no cover


def _clean_ranking(question: Question, raw: Any) -> list[int]:
    """Option ids in rank order, from a list (best first) or a mapping option id -> rank."""
    options = _choice_ids(question)
    foreign = _("Ce choix ne fait pas partie de la question.")
    if isinstance(raw, Mapping):
        ranked: list[tuple[int, int]] = []
        for key, rank in raw.items():
            if _is_blank(rank):
                continue
            try:
                rank_value = _parse_int(rank)
            except AnswerError:
                raise AnswerError(_("Un rang doit être un nombre entier.")) from None
            ranked.append((rank_value, _parse_int(key)))
        ranks = [rank for rank, _option in ranked]
        if len(set(ranks)) != len(ranks):
            raise AnswerError(_("Chaque rang ne peut être donné qu'une fois."))
        if sorted(ranks) != list(range(1, len(ranks) + 1)):
            raise AnswerError(_("Les rangs doivent se suivre à partir de 1."))
        ids = [option_id for _rank, option_id in sorted(ranked)]
    else:
        ids = [_parse_int(value) for value in _as_list(raw)]
    if any(option_id not in options for option_id in ids):
        raise AnswerError(foreign)
    if len(set(ids)) != len(ids):
        raise AnswerError(_("Un même choix est classé plusieurs fois."))
    expected = question.max_choices or len(options)
    if len(ids) != expected:
        if expected == len(options):
            raise AnswerError(_("Classez tous les choix (%(count)d).") % {"count": expected})
        raise AnswerError(
            ngettext("Classez %(count)d choix.", "Classez vos %(count)d choix préférés.", expected)
            % {"count": expected}
        )
    return ids


def _clean_matrix(question: Question, raw: Any) -> dict[str, int]:
    """{row id: column id} for each answered row: one column per row."""
    if not isinstance(raw, Mapping):
        raise AnswerError(_("Choisissez une colonne pour chaque ligne du tableau."))
    rows = _choice_ids(question, Option.Role.ROW)
    columns = _choice_ids(question, Option.Role.COLUMN)
    foreign = _("Ce choix ne fait pas partie de la question.")
    answer: dict[str, int] = {}
    for key, value in raw.items():
        if _is_blank(value):
            continue
        row_id = _parse_int(key)
        if isinstance(value, list | tuple):
            if len(value) != 1:
                raise AnswerError(_("Choisissez une seule colonne par ligne."))
            value = value[0]
        column_id = _parse_int(value)
        if row_id not in rows or column_id not in columns:
            raise AnswerError(foreign)
        answer[str(row_id)] = column_id
    if question.required and len(answer) != len(rows):
        raise AnswerError(_("Répondez pour chaque ligne du tableau."))
    return {str(row_id): answer[str(row_id)] for row_id in rows if str(row_id) in answer}


def _condition_met(question: Question, answers: dict[int, Clean]) -> bool:
    if not question.has_condition:
        return True
    earlier = answers.get(question.condition_question_id)
    return earlier is not None and question.condition_option_id in earlier.option_ids()


def _normalise_keys(answers: Mapping[Any, Any]) -> dict[int, Any]:
    normalised: dict[int, Any] = {}
    for key, value in answers.items():
        try:
            normalised[_parse_int(key)] = value
        except AnswerError:
            continue  # not a question id: ignored, like an unknown question
    return normalised


def validate_answers(questions: Sequence[Question], answers: Mapping) -> dict[int, Clean]:
    """Validate every answer in the survey's order; return {question id: Clean} of the shown
    questions that were answered, or raise SurveyInvalid with every problem at once.

    A question whose condition is not met (the earlier question was not answered with the
    option, or was itself hidden) is not required and its answer is discarded."""
    raw_answers = _normalise_keys(answers)
    cleaned: dict[int, Clean] = {}
    errors: dict[int, str] = {}
    for question in questions:
        if not _condition_met(question, cleaned):
            continue
        raw = raw_answers.get(question.pk)
        if _is_blank(raw):
            if question.required:
                errors[question.pk] = _("Cette question est obligatoire.")
            continue
        try:
            cleaned[question.pk] = _clean_answer(question, raw)
        except AnswerError as exc:
            errors[question.pk] = str(exc)
    if errors:
        raise SurveyInvalid(errors)
    return cleaned


def _survey_questions(survey: Survey) -> list[Question]:
    return list(
        Question.objects.filter(section__survey=survey)
        .select_related("section")
        .prefetch_related("options")
    )


def _ensure_open(user: User, survey: Survey) -> None:
    ensure_perm(user, "surveys.answer_survey", survey)


def survey_submit(*, user: User, survey: Survey, answers: Mapping[Any, Any]) -> Response:
    """Record the user's answers to the survey, all or nothing, once per account.

    ``answers`` maps question ids to raw values as a form or JSON sends them: a string, a list
    of option ids (multiple choice, ranking in order), a mapping option id -> rank (ranking),
    a mapping row id -> column id (matrix)."""
    _ensure_open(user, survey)
    already = _("Vous avez déjà répondu à ce questionnaire.")
    if Response.objects.filter(survey=survey, user=user).exists():
        raise Conflict(already)
    questions = _survey_questions(survey)
    cleaned = validate_answers(questions, answers)
    if not cleaned:
        raise Invalid(_("Répondez à au moins une question avant d'envoyer."))
    try:
        with transaction.atomic():
            Survey.objects.select_for_update().get(pk=survey.pk)
            if Response.objects.filter(survey=survey, user=user).exists():
                raise Conflict(already)
            response = Response.objects.create(
                survey=survey, user=user, submitted_at=timezone.now()
            )
            AnswerValue.objects.bulk_create(
                [
                    AnswerValue(
                        response=response,
                        question_id=question_id,
                        text=value.text,
                        number=value.number,
                        date=value.date,
                        choices=value.choices,
                    )
                    for question_id, value in cleaned.items()
                ]
            )
    except IntegrityError as exc:
        raise Conflict(already) from exc
    return response
