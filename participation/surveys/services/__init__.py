"""What changes surveys: building them (building), changing them (editing) and answering them
(answers). Callers use the names below."""

from .answers import SurveyInvalid, survey_submit, validate_answers
from .building import parse_lines, question_add, section_add, survey_create
from .editing import question_delete, question_move, question_update, survey_new_version

__all__ = [
    "SurveyInvalid",
    "parse_lines",
    "question_add",
    "question_delete",
    "question_move",
    "question_update",
    "section_add",
    "survey_create",
    "survey_new_version",
    "survey_submit",
    "validate_answers",
]
