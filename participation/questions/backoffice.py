"""The back office of questions to officials: the queue (every question for the space's
moderators, those routed to them for an official or a service member), a question's page to
route, answer or decline it, the themes and the answer-time target."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.views import run_action, run_form_action
from participation.components import component_admin_view

from . import selectors, services
from .forms import AnswerForm, DeclineForm, ListFilterForm, RouteForm, SettingsForm, ThemeForm

QUEUE_PER_PAGE = 100

queue_view = component_admin_view("questions", "questions.view_queue")
settings_view = component_admin_view("questions", "questions.change_settings")


def admin_url(component, name: str = "index", *args) -> str:
    return reverse(f"questions_admin:{name}", args=[component.space.slug, component.pk, *args])


@queue_view
def index(request: HttpRequest, component) -> HttpResponse:
    form = ListFilterForm(request.GET or None)
    queue = selectors.queue_for(request.user, component)
    if request.GET and form.is_valid() and form.cleaned_data["status"]:
        queue = queue.filter(status=form.cleaned_data["status"])
    overdue = set(selectors.overdue(component).values_list("pk", flat=True))
    return render(
        request,
        "questions/backoffice/index.html",
        {
            "component": component,
            "filter_form": form,
            "page": Paginator(queue, QUEUE_PER_PAGE).get_page(request.GET.get("page")),
            "overdue": overdue,
            "record": selectors.answer_record(component),
            "may_configure": request.user.has_perm("questions.change_settings", component),
            "themes": selectors.themes(component),
            "theme_form": ThemeForm(),
            "settings_form": SettingsForm(
                initial={"answer_target_days": selectors.target(component).days}
            ),
        },
    )


def _question_page(request, component, question_id: int, *, forms=None) -> HttpResponse:
    question = get_object_or_404(selectors.queue_for(request.user, component), pk=question_id)
    forms = forms or {}
    user = request.user
    others = selectors.questions(component).exclude(pk=question.pk)
    context = {
        "component": component,
        "question": question,
        "events": list(question.events.all()),
        "holders": selectors.holders(question),
        "may_route": user.has_perm("questions.route_question", question),
        "may_decline": user.has_perm("questions.decline_question", question),
        "may_answer": user.has_perm("questions.answer_question", question),
        "route_form": forms.get("route")
        or RouteForm(
            initial={
                "official": question.routed_official or question.addressed_to,
                "service": question.routed_service,
            }
        ),
        "answer_form": forms.get("answer") or AnswerForm(),
        "decline_form": forms.get("decline") or DeclineForm(others=others),
    }
    return render(
        request,
        "questions/backoffice/question.html",
        context,
        status=400 if any(form.errors for form in forms.values()) else 200,
    )


@queue_view
def question(request: HttpRequest, component, question_id: int) -> HttpResponse:
    return _question_page(request, component, question_id)


def _action_view(name: str, form_class, service, message: str):
    """The POST of one of the question page's forms (route, answer, decline): the form, then
    the service, whose refusal goes on the form."""

    @require_POST
    @queue_view
    def view(request: HttpRequest, component, question_id: int) -> HttpResponse:
        question = get_object_or_404(selectors.queue_for(request.user, component), pk=question_id)
        form = form_class(request.POST, **_form_arguments(form_class, component, question))
        if form.is_valid() and run_form_action(
            form, lambda: service(actor=request.user, question=question, **form.cleaned_data)
        ):
            messages.success(request, message)
            return redirect(admin_url(component, "question", question.pk))
        return _question_page(request, component, question_id, forms={name: form})

    return view


def _form_arguments(form_class, component, question) -> dict:
    if form_class is DeclineForm:
        return {"others": selectors.questions(component).exclude(pk=question.pk)}
    return {}


route = _action_view(
    "route", RouteForm, services.question_route, gettext_lazy("Question transmise.")
)
answer = _action_view(
    "answer", AnswerForm, services.question_answer, gettext_lazy("Réponse publiée.")
)
decline = _action_view(
    "decline",
    DeclineForm,
    services.question_decline,
    gettext_lazy("Question non retenue : le motif est publié."),
)


@require_POST
@settings_view
def theme_add(request: HttpRequest, component) -> HttpResponse:
    form = ThemeForm(request.POST)
    if form.is_valid():
        run_action(
            request,
            lambda: services.theme_add(
                actor=request.user, component=component, name=form.cleaned_data["name"]
            ),
            _("Thème ajouté."),
        )
    return redirect(admin_url(component))


@require_POST
@settings_view
def settings(request: HttpRequest, component) -> HttpResponse:
    form = SettingsForm(request.POST)
    if form.is_valid():
        run_action(
            request,
            lambda: services.settings_update(
                actor=request.user, component=component, **form.cleaned_data
            ),
            _("Délai de réponse enregistré."),
        )
    else:
        messages.error(request, " ".join(" ".join(errors) for errors in form.errors.values()))
    return redirect(admin_url(component))
