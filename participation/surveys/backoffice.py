"""Staff pages: create a survey, add its sections and questions, change, move and remove them,
make a new version, download its answers."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import ApplicationError
from core.views import form_page, run_action, run_form_action
from participation.components import component_admin_view

from . import exports, selectors, services
from .forms import QuestionForm, QuestionSettingsForm, SectionForm, SurveyForm
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


def _question(component, survey_id: int, question_id: int) -> Question:
    survey = selectors.survey_of_component(component, survey_id)
    question = get_object_or_404(
        Question.objects.filter(section__survey=survey).prefetch_related("options"),
        pk=question_id,
    )
    question.section.survey = survey
    return question


@staff_component_view
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, component, survey_id: int, question_id: int):
    question = _question(component, survey_id, question_id)
    survey = question.section.survey
    form = QuestionSettingsForm.of(question, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        for name in ("options", "rows", "columns"):
            if name in data:
                data[name] = services.parse_lines(data[name])
        run_form_action(
            form, lambda: services.question_update(actor=request.user, question=question, **data)
        )
        if not form.errors:
            messages.success(request, _("Question enregistrée."))
            return redirect(_admin_url(component, "survey", survey.pk))
    return render(
        request,
        "surveys/backoffice/question.html",
        {
            "component": component,
            "survey": survey,
            "question": question,
            "form": form,
            "response_count": selectors.response_count(survey),
        },
        status=400 if form.errors else 200,
    )


@staff_component_view
@require_POST
def question_move(request: HttpRequest, component, survey_id: int, question_id: int):
    question = _question(component, survey_id, question_id)
    direction = request.POST.get("direction", "")
    run_action(
        request,
        lambda: services.question_move(actor=request.user, question=question, direction=direction),
        _("Ordre enregistré."),
    )
    return redirect(_admin_url(component, "survey", survey_id))


@staff_component_view
@require_http_methods(["GET", "POST"])
def question_delete(request: HttpRequest, component, survey_id: int, question_id: int):
    """A page that asks to confirm (no JavaScript needed), then the removal."""
    question = _question(component, survey_id, question_id)
    if request.method == "POST" and run_action(
        request,
        lambda: services.question_delete(actor=request.user, question=question),
        _("Question supprimée."),
    ):
        return redirect(_admin_url(component, "survey", survey_id))
    return render(
        request,
        "surveys/backoffice/question_delete.html",
        {"component": component, "survey": question.section.survey, "question": question},
        status=409 if request.method == "POST" else 200,
    )


@staff_component_view
@require_POST
def survey_new_version(request: HttpRequest, component, survey_id: int) -> HttpResponse:
    survey = selectors.survey_of_component(component, survey_id)
    try:
        copy = services.survey_new_version(actor=request.user, survey=survey)
    except ApplicationError as exc:
        messages.error(request, str(exc))
        return redirect(_admin_url(component, "survey", survey.pk))
    messages.success(
        request, _("Nouvelle version créée, sans réponses : modifiez-la, puis ouvrez-la.")
    )
    return redirect(_admin_url(component, "survey", copy.pk))


@component_admin_view("surveys", "surveys.export_survey")
def survey_export(request: HttpRequest, component, survey_id: int, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    survey = selectors.survey_of_component(component, survey_id)
    filename, content_type, content = exports.survey_export(survey, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
