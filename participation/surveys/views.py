from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.errors import ApplicationError
from participation.components import component_url, component_view, contribution_context

from . import selectors, services
from .forms import answers_from_post, build_fields
from .rules import answer_phase_state


@component_view("surveys")
def survey_list(request: HttpRequest, component) -> HttpResponse:
    items = list(selectors.surveys(component))
    return render(
        request,
        "surveys/list.html",
        {
            "component": component,
            "surveys": items,
            "answered": selectors.answered_survey_ids(request.user, items),
            "state": answer_phase_state(component),
            "can_see_results": request.user.has_perm("surveys.view_survey_results", component),
        },
    )


def _survey_page(request, component, survey, *, data=None, errors=None, error="", status=200):
    sections = selectors.sections_with_questions(survey)
    return render(
        request,
        "surveys/survey.html",
        {
            "component": component,
            "survey": survey,
            "sections": build_fields(sections, data, errors),
            "errors": errors or {},
            "error": error,
            "state": answer_phase_state(component),
            "can_answer": request.user.has_perm("surveys.answer_survey", survey),
            "has_answered": selectors.has_answered(request.user, survey),
            "can_see_results": request.user.has_perm("surveys.view_survey_results", survey),
            **contribution_context(request.user),
        },
        status=status,
    )


@component_view("surveys")
@require_http_methods(["GET", "POST"])
def survey_detail(request: HttpRequest, component, survey_id: int) -> HttpResponse:
    survey = selectors.survey_of_component(component, survey_id)
    if request.method != "POST":
        return _survey_page(request, component, survey)
    questions = selectors.survey_questions(survey)
    try:
        services.survey_submit(
            user=request.user, survey=survey, answers=answers_from_post(request.POST, questions)
        )
    except services.SurveyInvalid as exc:
        return _survey_page(
            request,
            component,
            survey,
            data=request.POST,
            errors=exc.errors,
            error=str(exc),
            status=400,
        )
    except ApplicationError as exc:
        return _survey_page(
            request,
            component,
            survey,
            data=request.POST,
            error=str(exc),
            status=exc.status_code,
        )
    return redirect(component_url(component, "thanks", survey.pk))


@component_view("surveys")
def survey_thanks(request: HttpRequest, component, survey_id: int) -> HttpResponse:
    survey = selectors.survey_of_component(component, survey_id)
    return render(
        request,
        "surveys/thanks.html",
        {
            "component": component,
            "survey": survey,
            "has_answered": selectors.has_answered(request.user, survey),
            "can_see_results": request.user.has_perm("surveys.view_survey_results", survey),
        },
    )


@component_view("surveys")
def survey_results(request: HttpRequest, component, survey_id: int) -> HttpResponse:
    survey = selectors.survey_of_component(component, survey_id)
    if not request.user.has_perm("surveys.view_survey_results", survey):
        raise PermissionDenied
    return render(
        request,
        "surveys/results.html",
        {
            "component": component,
            "survey": survey,
            "results": selectors.survey_results(survey),
            "response_count": selectors.response_count(survey),
        },
    )
