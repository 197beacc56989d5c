"""Staff pages: create a survey, add its sections and questions, download its answers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import ApplicationError
from participation.components import component_view

from . import exports, selectors, services
from .forms import QuestionForm, SectionForm, SurveyForm
from .models import Option, Question


def _admin_url(component, name: str, *args) -> str:
    return reverse(f"surveys_admin:{name}", args=[component.space.slug, component.pk, *args])


def _ensure_staff(request: HttpRequest, component) -> None:
    if not request.user.has_perm("surveys.change_survey", component):
        raise PermissionDenied


@login_required
@component_view("surveys")
@require_http_methods(["GET", "POST"])
def survey_index(request: HttpRequest, component) -> HttpResponse:
    _ensure_staff(request, component)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(
                actor=request.user, component=component, **form.cleaned_data
            )
        except ApplicationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Questionnaire créé : ajoutez-lui des parties."))
            return redirect(_admin_url(component, "survey", survey.pk))
    return render(
        request,
        "surveys/backoffice/index.html",
        {"component": component, "surveys": selectors.surveys(component), "form": form},
        status=400 if form.errors else 200,
    )


def _split_condition(value: str, questions: list[Question]):
    if not value:
        return None, None
    question_id, option_id = (int(part) for part in value.split(":"))
    question = next(q for q in questions if q.pk == question_id)
    option = next(o for o in question.options.all() if o.pk == option_id)
    return question, option


@login_required
@component_view("surveys")
@require_http_methods(["GET", "POST"])
def survey_edit(request: HttpRequest, component, survey_id: int) -> HttpResponse:
    _ensure_staff(request, component)
    survey = selectors.survey_of_component(component, survey_id)
    sections = selectors.sections_with_questions(survey)
    questions = [q for section in sections for q in section.questions.all()]
    action = request.POST.get("action") if request.method == "POST" else None
    section_form = SectionForm(request.POST if action == "section" else None, prefix="section")
    question_form = QuestionForm(
        request.POST if action == "question" else None,
        prefix="question",
        sections=sections,
        questions=questions,
    )
    bound = {"section": section_form, "question": question_form}.get(action)
    if bound is not None and bound.is_valid():
        try:
            if action == "section":
                services.section_add(actor=request.user, survey=survey, **bound.cleaned_data)
                messages.success(request, _("Partie ajoutée."))
            else:
                data = dict(bound.cleaned_data)
                section = next(s for s in sections if s.pk == data.pop("section"))
                section.survey = survey
                condition_question, condition_option = _split_condition(
                    data.pop("condition"), questions
                )
                services.question_add(
                    actor=request.user,
                    section=section,
                    options=services.parse_lines(data.pop("options")),
                    rows=services.parse_lines(data.pop("rows")),
                    columns=services.parse_lines(data.pop("columns")),
                    condition_question=condition_question,
                    condition_option=condition_option,
                    **data,
                )
                messages.success(request, _("Question ajoutée."))
        except ApplicationError as exc:
            bound.add_error(None, str(exc))
        else:
            return redirect(_admin_url(component, "survey", survey.pk))
    return render(
        request,
        "surveys/backoffice/survey.html",
        {
            "component": component,
            "survey": survey,
            "sections": sections,
            "section_form": section_form,
            "question_form": question_form,
            "response_count": selectors.response_count(survey),
            "roles": Option.Role,
        },
        status=400 if bound is not None and bound.errors else 200,
    )


@login_required
@component_view("surveys")
def survey_export(request: HttpRequest, component, survey_id: int, fmt: str) -> HttpResponse:
    if not request.user.has_perm("surveys.export_survey", component):
        raise PermissionDenied
    if fmt not in ("csv", "xlsx"):
        raise Http404
    survey = selectors.survey_of_component(component, survey_id)
    filename, content_type, content = exports.survey_export(survey, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
