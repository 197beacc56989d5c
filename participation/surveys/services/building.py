"""Staff build a survey: sections, questions of every kind with their options, and the
conditions that show a question only after a given answer."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypedDict, Unpack

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Invalid
from core.positions import next_position
from core.text import clean_text
from participation.models import Component
from participation.services import ensure_perm

from ..models import (
    Option,
    Question,
    Section,
    Survey,
)
from .answers import AnswerError, parse_decimal

OPTION_MAX_LENGTH = 200

Kind = Question.Kind


MAX_OPTIONS = 50


def _ensure_survey_component(component: Component) -> None:
    if component.type_key != "surveys":
        raise Invalid(_("Ce composant n'est pas un module de questionnaires."))


def survey_create(*, actor: User, component: Component, title: str, intro: str = "") -> Survey:
    ensure_perm(actor, "surveys.add_survey", component)
    _ensure_survey_component(component)
    return Survey.objects.create(
        component=component,
        title=clean_text(title, label=_("Titre"), max_length=200),
        intro=clean_text(intro, label=_("Introduction"), max_length=20_000, required=False),
    )


def section_add(*, actor: User, survey: Survey, title: str) -> Section:
    ensure_perm(actor, "surveys.change_survey", survey)
    title = clean_text(title, label=_("Titre de la partie"), max_length=200)
    with transaction.atomic():
        position = next_position(parent=survey, items=survey.sections.all())
        return Section.objects.create(survey=survey, title=title, position=position)


def parse_lines(text: str) -> list[str]:
    """Options typed one per line in a textarea: trimmed, blank lines dropped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _clean_labels(labels: Iterable[str], *, what: str, minimum: int) -> list[str]:
    cleaned = [label.strip() for label in labels if label and label.strip()]
    if len(cleaned) < minimum:
        raise Invalid(
            _("%(what)s : indiquez-en au moins %(min)d, un par ligne.")
            % {"what": what, "min": minimum}
        )
    if len(cleaned) > MAX_OPTIONS:
        raise Invalid(_("%(what)s : %(max)d au plus.") % {"what": what, "max": MAX_OPTIONS})
    for label in cleaned:
        clean_text(label, label=what, max_length=OPTION_MAX_LENGTH)
    if len({label.casefold() for label in cleaned}) != len(cleaned):
        raise Invalid(_("%(what)s : chaque libellé doit être unique.") % {"what": what})
    return cleaned


def _decimal_or_none(value: Any, *, label: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return parse_decimal(value)
    except AnswerError as exc:
        raise Invalid(f"{label} : {exc}") from exc


@dataclass(frozen=True)
class QuestionShape:
    """What a question's kind asks for, checked: its choices, or a matrix's rows and columns;
    how many choices one may tick or rank; a number's bounds."""

    choices: list[str] = field(default_factory=list)
    rows: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    max_choices: int | None = None
    min_value: Decimal | None = None
    max_value: Decimal | None = None

    def labels_by_role(self) -> dict[str, list[str]]:
        return {
            Option.Role.CHOICE: self.choices,
            Option.Role.ROW: self.rows,
            Option.Role.COLUMN: self.columns,
        }


class QuestionSettings(TypedDict, total=False):
    """What a question is given besides its wording: choices (one per item), the most one may
    tick or rank, a matrix's rows and columns, a number's bounds."""

    options: Sequence[str]
    max_choices: int | None
    rows: Sequence[str]
    columns: Sequence[str]
    min_value: Decimal | str | None
    max_value: Decimal | str | None


def question_shape(*, kind: str, **settings: Unpack[QuestionSettings]) -> QuestionShape:
    """Check what a question of ``kind`` is given (Invalid naming the problem) and keep only
    what its kind uses: a text question drops choices typed by mistake."""
    options = settings.get("options", ())
    max_choices = settings.get("max_choices")
    rows, columns = settings.get("rows", ()), settings.get("columns", ())
    min_value, max_value = settings.get("min_value"), settings.get("max_value")
    choice_labels: list[str] = []
    row_labels: list[str] = []
    column_labels: list[str] = []
    if kind in Question.CHOICE_KINDS:
        choice_labels = _clean_labels(options, what=_("Choix"), minimum=2)
    elif kind == Kind.MATRIX:
        row_labels = _clean_labels(rows, what=_("Lignes du tableau"), minimum=1)
        column_labels = _clean_labels(columns, what=_("Colonnes du tableau"), minimum=2)

    if kind in (Kind.MULTIPLE_CHOICE, Kind.RANKING):
        if max_choices is not None and not 1 <= max_choices <= len(choice_labels):
            raise Invalid(
                _("Le nombre de choix maximum doit être compris entre 1 et %(count)d.")
                % {"count": len(choice_labels)}
            )
    else:
        max_choices = None

    low = high = None
    if kind == Kind.NUMBER:
        low = _decimal_or_none(min_value, label=_("Valeur minimale"))
        high = _decimal_or_none(max_value, label=_("Valeur maximale"))
        if low is not None and high is not None and low > high:
            raise Invalid(_("La valeur minimale dépasse la valeur maximale."))
    return QuestionShape(choice_labels, row_labels, column_labels, max_choices, low, high)


def question_add(
    *,
    actor: User,
    section: Section,
    kind: str,
    label: str,
    help_text: str = "",
    required: bool = False,
    condition_question: Question | None = None,
    condition_option: Option | None = None,
    **settings: Unpack[QuestionSettings],
) -> Question:
    """Append a question to a section. A condition names an EARLIER single or multiple choice
    question of the same survey and one of its options."""
    survey = section.survey
    ensure_perm(actor, "surveys.change_survey", survey)
    if kind not in Kind.values:
        raise Invalid(_("Type de question inconnu : « %(kind)s ».") % {"kind": kind})
    label = clean_text(label, label=_("Intitulé"), max_length=300)
    help_text = clean_text(help_text, label=_("Aide"), max_length=500, required=False)

    shape = question_shape(kind=kind, **settings)
    if (condition_question is None) != (condition_option is None):
        raise Invalid(_("Une condition nomme une question précédente et l'une de ses réponses."))

    with transaction.atomic():
        position = next_position(parent=survey, items=section.questions.all())
        if condition_question is not None:
            _check_condition(
                survey=survey,
                section=section,
                position=position,
                question=condition_question,
                option=condition_option,
            )
        question = Question.objects.create(
            section=section,
            position=position,
            kind=kind,
            label=label,
            help_text=help_text,
            required=required,
            max_choices=shape.max_choices,
            min_value=shape.min_value,
            max_value=shape.max_value,
            condition_question=condition_question,
            condition_option=condition_option,
        )
        Option.objects.bulk_create(
            [
                Option(question=question, role=role, label=text, position=index)
                for role, texts in shape.labels_by_role().items()
                for index, text in enumerate(texts)
            ]
        )
    return question


def _check_condition(
    *, survey: Survey, section: Section, position: int, question: Question, option: Option
) -> None:
    question = Question.objects.select_related("section").get(pk=question.pk)
    if question.section.survey_id != survey.pk:
        raise Invalid(_("La condition doit porter sur une question de ce questionnaire."))
    if question.kind not in Question.CONDITION_KINDS:
        raise Invalid(_("La condition doit porter sur une question à choix unique ou multiples."))
    if option.question_id != question.pk or option.role != Option.Role.CHOICE:
        raise Invalid(_("La réponse de la condition n'appartient pas à cette question."))
    if question.order_key() >= (section.position, section.pk, position, 0):
        raise Invalid(_("La condition doit porter sur une question placée avant celle-ci."))
