"""Staff pages: create a survey, add its sections and questions, download its answers."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import ApplicationError
from core.views import form_page
from participation.components import component_admin_view

from . import exports, selectors, services
from .forms import QuestionForm, SectionForm, SurveyForm
from .models import Option, Question


def _admin_url(component, name: str, *args) -> str:
    return reverse(f"surveys_admin:{name}", args=[component.space.slug, component.pk, *args])


staff_component_view = component_admin_view("surveys", "surveys.change_survey")


@staff_component_view
@require_http_methods(["GET", "POST"])
def survey_index(request: HttpRequest, component) -> HttpResponse:
    return form_page(
        request,
        form=SurveyForm(request.POST or None),
        action=lambda **data: services.survey_create(
            actor=request.user, component=component, **data
        ),
        success_message=_("Questionnaire créé : ajoutez-lui des parties."),
        success_url=lambda survey: _admin_url(component, "survey", survey.pk),
        template="surveys/backoffice/index.html",
        context={"component": component, "surveys": selectors.surveys(component)},
    )


def _split_condition(value: str, questions: list[Question]):
    if not value:
        return None, None
    question_id, option_id = (int(part) for part in value.split(":"))
    question = next(q for q in questions if q.pk == question_id)
    option = next(o for o in question.options.all() if o.pk == option_id)
    return question, option


@staff_component_view
@require_http_methods(["GET", "POST"])
def survey_edit(request: HttpRequest, component, survey_id: int) -> HttpResponse:
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


@component_admin_view("surveys", "surveys.export_survey")
def survey_export(request: HttpRequest, component, survey_id: int, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    survey = selectors.survey_of_component(component, survey_id)
    filename, content_type, content = exports.survey_export(survey, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
