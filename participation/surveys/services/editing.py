"""Staff change a survey after building it: a question's wording, settings and choices, its
place in its part, its removal; and a new version of a survey, to change what its answers
forbid changing.

Answers are stored by question and option ids (models.AnswerValue). Once a survey has answers,
only wording may change (a question's label and help, a choice's label) and the order of the
questions; whatever would change what the answers mean or leave them pointing at nothing (a
setting, choices added or removed, a question removed) is refused with its reason. Each change
locks the survey row, as an answer does (answers.survey_submit): an answer cannot slip in
between the check and the change."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Unpack

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from core.errors import Conflict, Invalid
from core.positions import neighbour_swapped, positions_saved
from core.text import clean_text
from participation.services import ensure_perm

from ..models import Option, Question, Section, Survey
from .building import QuestionSettings, QuestionShape, question_shape

TITLE_MAX_LENGTH = 200


def _survey_locked(survey_id: int) -> Survey:
    return Survey.objects.select_for_update().get(pk=survey_id)


def _refuse_if_answered(survey: Survey, change: str) -> None:
    count = survey.responses.count()
    if count:
        raise Conflict(
            ngettext(
                "Ce questionnaire a déjà %(count)d réponse : %(change)s la fausserait. "
                "Créez-en une nouvelle version pour faire ce changement.",
                "Ce questionnaire a déjà %(count)d réponses : %(change)s les fausserait. "
                "Créez-en une nouvelle version pour faire ce changement.",
                count,
            )
            % {"count": count, "change": change}
        )


def _dependents(questions: Sequence[Question]) -> str:
    return ", ".join(f"« {question.label} »" for question in questions)


def _options_synced(question: Question, shape: QuestionShape) -> None:
    """Give the question the shape's choices, rows and columns, keeping the option rows in
    place (an option keeps its id when relabelled: answers and conditions point at ids)."""
    current = list(question.options.all())
    for role, labels in shape.labels_by_role().items():
        existing = [option for option in current if option.role == role]
        for position, label in enumerate(labels):
            if position < len(existing):
                option = existing[position]
                if (option.label, option.position) != (label, position):
                    option.label, option.position = label, position
                    option.save(update_fields=["label", "position"])
            else:
                Option.objects.create(question=question, role=role, label=label, position=position)
        removed = existing[len(labels) :]
        conditioned = Question.objects.filter(condition_option__in=removed)
        if conditioned:
            raise Invalid(
                _("Un choix retiré sert de condition à %(questions)s : retirez la condition avant.")
                % {"questions": _dependents(conditioned)}
            )
        Option.objects.filter(pk__in=[option.pk for option in removed]).delete()


def _structure_changed(question: Question, shape: QuestionShape, required: bool) -> bool:
    counts = {
        role: sum(1 for option in question.options.all() if option.role == role)
        for role in shape.labels_by_role()
    }
    return (
        required != question.required
        or shape.max_choices != question.max_choices
        or shape.min_value != question.min_value
        or shape.max_value != question.max_value
        or any(len(labels) != counts[role] for role, labels in shape.labels_by_role().items())
    )


def question_update(
    *,
    actor: User,
    question: Question,
    label: str,
    help_text: str = "",
    required: bool = False,
    **settings: Unpack[QuestionSettings],
) -> Question:
    """Change a question's wording, settings and choices (its kind stays: remove it and add
    another). A choice keeps its place: the first line relabels the first choice, and so on."""
    ensure_perm(actor, "surveys.change_survey", question.section.survey)
    label = clean_text(label, label=_("Intitulé"), max_length=300)
    help_text = clean_text(help_text, label=_("Aide"), max_length=500, required=False)
    shape = question_shape(kind=question.kind, **settings)
    with transaction.atomic():
        survey = _survey_locked(question.section.survey_id)
        question = Question.objects.prefetch_related("options").get(pk=question.pk)
        if _structure_changed(question, shape, required):
            _refuse_if_answered(
                survey, _("changer les réglages ou le nombre de choix de cette question")
            )
        question.label, question.help_text, question.required = label, help_text, required
        question.max_choices = shape.max_choices
        question.min_value, question.max_value = shape.min_value, shape.max_value
        question.save()
        _options_synced(question, shape)
    return question


def question_delete(*, actor: User, question: Question) -> None:
    ensure_perm(actor, "surveys.change_survey", question.section.survey)
    with transaction.atomic():
        survey = _survey_locked(question.section.survey_id)
        _refuse_if_answered(survey, _("supprimer une question"))
        dependents = list(Question.objects.filter(condition_question=question))
        if dependents:
            raise Invalid(
                _("« %(question)s » conditionne %(questions)s : retirez la condition avant.")
                % {"question": question.label, "questions": _dependents(dependents)}
            )
        question.delete()


def question_move(*, actor: User, question: Question, direction: str) -> None:
    """Swap the question with its neighbour above (``up``) or below (``down``) in its part; at
    the top or the bottom already, nothing moves. A question stays after the one its
    condition names (answers are kept: they point at questions, not places)."""
    ensure_perm(actor, "surveys.change_survey", question.section.survey)
    with transaction.atomic():
        _survey_locked(question.section.survey_id)
        siblings = list(
            Question.objects.filter(section_id=question.section_id).order_by("position", "pk")
        )
        index = next(i for i, item in enumerate(siblings) if item.pk == question.pk)
        if not neighbour_swapped(siblings, index, direction):
            return
        for earlier, later in itertools.pairwise(siblings):
            if earlier.condition_question_id == later.pk:
                raise Invalid(
                    _("« %(question)s » dépend de la réponse à « %(condition)s » : elle la suit.")
                    % {"question": earlier.label, "condition": later.label}
                )
        positions_saved(siblings)


def survey_new_version(*, actor: User, survey: Survey) -> Survey:
    """A copy of the survey's parts, questions, choices and conditions, without its answers,
    in the same component: the version to change while the answered one stays as it was."""
    ensure_perm(actor, "surveys.add_survey", survey.component)
    suffix = _(" (nouvelle version)")
    with transaction.atomic():
        copy = Survey.objects.create(
            component=survey.component,
            title=survey.title[: TITLE_MAX_LENGTH - len(suffix)] + suffix,
            intro=survey.intro,
        )
        questions: dict[int, Question] = {}
        options: dict[int, Option] = {}
        for section in survey.sections.prefetch_related("questions__options"):
            new_section = Section.objects.create(
                survey=copy, title=section.title, position=section.position
            )
            for question in section.questions.all():
                old_pk = question.pk
                question_options = list(question.options.all())
                question.pk, question.section = None, new_section
                question.condition_question = questions.get(question.condition_question_id)
                question.condition_option = options.get(question.condition_option_id)
                question.save()
                questions[old_pk] = question
                for option in question_options:
                    option_pk = option.pk
                    option.pk, option.question = None, question
                    option.save()
                    options[option_pk] = option
    return copy
