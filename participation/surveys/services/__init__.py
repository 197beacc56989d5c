"""What changes surveys: building them (building) and answering them (answers). Callers use the
names below."""

from .answers import SurveyInvalid, survey_submit, validate_answers
from .building import parse_lines, question_add, section_add, survey_create

__all__ = [
    "SurveyInvalid",
    "parse_lines",
    "question_add",
    "section_add",
    "survey_create",
    "survey_submit",
    "validate_answers",
]
