"""The surveys' open data: counts per option (choices, rankings, scales, matrix cells) and the
averages of numbers, for the surveys whose results anyone may read (rule
``surveys.view_survey_results`` for an anonymous visitor); never a free-text answer, a date
answered, nor who answered."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Max, QuerySet
from django.utils.translation import gettext as _

from participation.hooks import OpenDataset
from participation.models import Component

from .models import Response, Survey
from .selectors import QuestionResult, response_count, survey_results

COLUMNS = (
    "questionnaire",
    "titre",
    "question",
    "type",
    "option",
    "reponses",
    "pourcentage",
    "rang_moyen",
    "moyenne",
    "repondants_a_la_question",
    "repondants_au_questionnaire",
)


def open_data(components: QuerySet[Component]) -> list[OpenDataset]:
    return [
        OpenDataset(
            key="questionnaires-resultats",
            title=_("Résultats des questionnaires"),
            description=_(
                "Pour chaque questionnaire dont les résultats sont publics : le nombre de "
                "réponses à chaque option, et la moyenne des réponses chiffrées. Les réponses "
                "libres ne sont pas publiées."
            ),
            columns=COLUMNS,
            rows=lambda: _rows(components),
            modified=Response.objects.filter(survey__component__in=components).aggregate(
                at=Max("submitted_at")
            )["at"],
        )
    ]


def _rows(components: QuerySet[Component]):
    anonymous = AnonymousUser()
    surveys = Survey.objects.filter(component__in=components).select_related("component")
    for survey in surveys.order_by("component_id", "pk"):
        if not anonymous.has_perm("surveys.view_survey_results", survey):
            continue
        respondents = response_count(survey)
        for result in survey_results(survey):
            for row in _question_rows(result):
                yield {
                    "questionnaire": survey.pk,
                    "titre": survey.title,
                    "question": result.question.label,
                    "type": result.question.kind,
                    "repondants_a_la_question": result.answered,
                    "repondants_au_questionnaire": respondents,
                    **row,
                }


def _question_rows(result: QuestionResult):
    for item in result.options:
        yield {
            "option": item.option.label,
            "reponses": item.count,
            "pourcentage": item.percent,
            "rang_moyen": item.average_rank,
        }
    for matrix_row in result.matrix:
        for cell in matrix_row.cells:
            yield {
                "option": f"{matrix_row.row.label} / {cell.option.label}",
                "reponses": cell.count,
                "pourcentage": cell.percent,
            }
    if result.average is not None:
        yield {"option": None, "moyenne": result.average}
