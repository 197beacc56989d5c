"""Staff pages of a polls component: the polls with their results, creating a poll."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from participation.errors import ParticipationError
from participation.selectors import component_for_page

from . import selectors, services
from .exports import polls_results_csv
from .forms import PollCreateForm


def staff_component_view(view):
    """Like ``component_view("polls")``, for those who may manage the polls (403 otherwise)."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, space_slug: str, component_id: int, *args, **kwargs):
        component = component_for_page(
            space_slug=space_slug, component_id=component_id, type_key="polls", user=request.user
        )
        if not request.user.has_perm("polls.change_poll", component):
            raise PermissionDenied
        return view(request, component, *args, **kwargs)

    return wrapper


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
        except ParticipationError as exc:
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
