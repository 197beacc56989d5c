"""The template library's view of a questionnaire: its surveys, sections, questions, choices
and conditions; never a response."""

from __future__ import annotations

from typing import Any

from participation.blueprints import fields_export, fields_import
from participation.models import Component

from .models import Option, Question, Section, Survey

SURVEY_FIELDS = ("title", "intro")
QUESTION_FIELDS = (
    "kind",
    "label",
    "help_text",
    "required",
    "max_choices",
    "min_value",
    "max_value",
)
OPTION_FIELDS = ("role", "label")


def _survey_export(survey: Survey) -> dict[str, Any]:
    questions = [q for section in survey.sections.all() for q in section.questions.all()]
    question_index = {question.pk: index for index, question in enumerate(questions)}
    option_index = {
        option.pk: index for q in questions for index, option in enumerate(q.options.all())
    }

    def condition(question: Question) -> list[int] | None:
        if not question.has_condition or question.condition_question_id not in question_index:
            return None
        return [
            question_index[question.condition_question_id],
            option_index[question.condition_option_id],
        ]

    return {
        **fields_export(survey, SURVEY_FIELDS),
        "sections": [
            {
                "title": section.title,
                "questions": [
                    {
                        **fields_export(question, QUESTION_FIELDS),
                        "options": [
                            fields_export(o, OPTION_FIELDS) for o in question.options.all()
                        ],
                        "condition": condition(question),
                    }
                    for question in section.questions.all()
                ],
            }
            for section in survey.sections.all()
        ],
    }


def blueprint_export(component: Component) -> dict[str, Any]:
    surveys = Survey.objects.filter(component=component).prefetch_related(
        "sections__questions__options"
    )
    return {"surveys": [_survey_export(survey) for survey in surveys]}


def _survey_import(component: Component, data: dict[str, Any]) -> None:
    survey = Survey.objects.create(component=component, **fields_import(data, SURVEY_FIELDS))
    created: list[tuple[Question, list[Option], list[int] | None]] = []
    for section_position, section_data in enumerate(data.get("sections", [])):
        section = Section.objects.create(
            survey=survey, title=section_data.get("title", ""), position=section_position
        )
        for position, question_data in enumerate(section_data.get("questions", [])):
            question = Question.objects.create(
                section=section, position=position, **fields_import(question_data, QUESTION_FIELDS)
            )
            options = [
                Option.objects.create(
                    question=question, position=i, **fields_import(o, OPTION_FIELDS)
                )
                for i, o in enumerate(question_data.get("options", []))
            ]
            created.append((question, options, question_data.get("condition")))
    for question, _options, condition in created:
        if condition:
            target, target_options, _ = created[condition[0]]
            question.condition_question = target
            question.condition_option = target_options[condition[1]]
            question.save(update_fields=["condition_question", "condition_option"])


def blueprint_import(component: Component, data: dict[str, Any]) -> None:
    for survey_data in data.get("surveys", []):
        _survey_import(component, survey_data)
