"""The citizens' page of a polls component: answer, then see the results when allowed."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError, Invalid
from core.rules import why_not
from participation.components import component_url, component_view, contribution_context

from . import selectors, services
from .forms import AnswerForm


def _entries(request: HttpRequest, polls, *, failed=None, error="", selected=()) -> list[dict]:
    user = request.user
    entries = []
    for poll in polls:
        answered = bool(poll.my_choice_ids)
        refusal = None if answered else why_not(user, "polls.answer_poll", poll)
        entries.append(
            {
                "poll": poll,
                "answered": answered,
                "can_answer": not answered and refusal is None,
                # Shown beside the choices, disabled: one reads them before one may answer.
                "refusal": refusal,
                "results": (
                    selectors.results(poll)
                    if user.has_perm("polls.view_results_poll", poll)
                    else None
                ),
                "error": error if poll == failed else "",
                "selected": set(selected) if poll == failed else poll.my_choice_ids,
            }
        )
    return entries


def _page(request: HttpRequest, component, *, status: int = 200, **failure) -> HttpResponse:
    polls = selectors.polls_for_page(component, request.user)
    context = {
        "component": component,
        "entries": _entries(request, polls, **failure),
        "answer_open": component.phase_allows("answer"),
        **contribution_context(request.user),
    }
    return render(request, "polls/detail.html", context, status=status)


@component_view("polls")
def detail(request: HttpRequest, component) -> HttpResponse:
    return _page(request, component)


@require_POST
@component_view("polls")
def answer(request: HttpRequest, component, poll_id: int) -> HttpResponse:
    poll = selectors.poll_in(component, poll_id)
    form = AnswerForm(request.POST)
    choice_ids: list[int] = []
    try:
        if not form.is_valid():
            raise Invalid(form.errors["choice"][0])
        choice_ids = form.cleaned_data["choice"]
        services.poll_answer(user=request.user, poll=poll, choice_ids=choice_ids)
    except ApplicationError as exc:
        status = exc.status_code
        failure = {"failed": poll, "error": str(exc), "selected": choice_ids}
        return _page(request, component, status=status, **failure)
    messages.success(request, _("Merci, votre réponse est enregistrée."))
    return redirect(component_url(component) + f"#poll-{poll.pk}")
