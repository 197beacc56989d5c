"""Staff pages of a polls component: the polls with their results, creating a poll."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from participation.components import component_admin_view

from . import selectors, services
from .exports import polls_results_csv
from .forms import PollCreateForm

staff_component_view = component_admin_view("polls", "polls.change_poll")


def admin_url(component, name: str = "index") -> str:
    return reverse(f"polls_admin:{name}", args=[component.space.slug, component.pk])


@staff_component_view
def index(request: HttpRequest, component) -> HttpResponse:
    return render(
        request,
        "polls/backoffice/index.html",
        {"component": component, "polls_results": selectors.component_results(component)},
    )


@staff_component_view
def create(request: HttpRequest, component) -> HttpResponse:
    form = PollCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.poll_create(actor=request.user, component=component, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Sondage créé."))
            return redirect(admin_url(component))
    return render(
        request,
        "polls/backoffice/create.html",
        {"component": component, "form": form},
        status=400 if form.errors else 200,
    )


@staff_component_view
def export_csv(request: HttpRequest, component) -> HttpResponse:
    filename, content_type, content = polls_results_csv(component)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
