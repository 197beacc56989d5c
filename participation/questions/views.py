"""The residents' pages: the questions and the town's answer-time record, asking a question,
a question's page (its steps, the answer, supports and comments). Plain forms: everything
works without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from participation.components import component_url, component_view, permission_context
from participation.submissions import KEY_FIELD, clean_key, submit_once

from . import selectors, services
from .forms import ListFilterForm, QuestionForm


@component_view("questions")
def detail(request: HttpRequest, component) -> HttpResponse:
    form = ListFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if request.GET and form.is_valid() else ""
    page = selectors.questions_for_list(component, status, request.GET.get("page"))
    list_url = component_url(component)
    for item in page.object_list:
        item.url = f"{list_url}{item.pk}/"
    context = {
        "component": component,
        "page": page,
        "filter_form": form,
        "record": selectors.answer_record(component),
        **permission_context(request.user, "questions.add_question", component),
    }
    return render(request, "questions/list.html", context)


@component_view("questions")
def question(request: HttpRequest, component, question_id: int) -> HttpResponse:
    item = selectors.question_in(component, question_id)
    context = {
        "component": component,
        "question": item,
        "events": list(item.events.all()),
        "target_days": selectors.target(component).days,
        "is_holder": request.user.has_perm("questions.view_queue", component),
    }
    return render(request, "questions/question.html", context)


def _form(request, component) -> QuestionForm:
    return QuestionForm(
        request.POST or None,
        request.FILES or None,
        officials=selectors.askable_officials(),
        themes=selectors.themes(component),
    )


def _form_page(request, component, form, *, status=200) -> HttpResponse:
    permission = permission_context(request.user, "questions.add_question", component)
    return render(
        request,
        "questions/form.html",
        {"component": component, "form": form, **permission},
        status=403 if permission["refusal"] else status,
    )


@login_required
@component_view("questions")
def ask(request: HttpRequest, component) -> HttpResponse:
    form = _form(request, component)
    if request.method != "POST":
        return _form_page(request, component, form)
    status = 400
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "remove_image"}
        try:
            # A double click or a resent form asks once: the second request is sent to the
            # first one's page.
            created, first = submit_once(
                user=request.user,
                key=clean_key(request.POST.get(KEY_FIELD)),
                create=lambda: services.question_ask(
                    author=request.user, component=component, **data
                ),
            )
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            status = exc.status_code
        else:
            if first:
                messages.success(
                    request,
                    _("Merci, votre question est posée : vous serez prévenu de sa réponse."),
                )
            return redirect(created.get_absolute_url())
    return _form_page(request, component, form, status=status)
