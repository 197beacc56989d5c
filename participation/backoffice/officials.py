"""The town's officials and municipal services in the back office: create, edit, order; for
the town's administrators. Thin views over ``participation.officials.services``."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.guards import permission_required
from core.views import form_page, run_action, run_form_action
from participation.models import MunicipalService, Official
from participation.officials import selectors, services

from .forms import MunicipalServiceForm, OfficialForm
from .views import _move

admin_required = permission_required("participation.change_official")


def _edit_page(request, form, action, *, success_url: str, template: str, context: dict):
    """An edit page: on a valid POST, the service; its success goes back to the list, its
    refusal shows the page again with the message on the form (400)."""
    if request.method == "POST" and form.is_valid() and run_form_action(form, action):
        messages.success(request, _("Modifications enregistrées."))
        return redirect(success_url)
    return render(request, template, {**context, "form": form}, status=400 if form.errors else 200)


@admin_required
def official_list(request):
    form = OfficialForm(request.POST or None, request.FILES or None, initial={"published": True})
    return form_page(
        request,
        form=form,
        action=lambda **data: services.official_save(actor=request.user, **data),
        success_message=_("Élu ajouté."),
        success_url=reverse("backoffice:officials"),
        template="backoffice/officials.html",
        context={"officials": selectors.all_officials()},
    )


@admin_required
def official_edit(request, official_id: int):
    official = get_object_or_404(selectors.all_officials(), pk=official_id)
    form = OfficialForm(
        request.POST or None,
        request.FILES or None,
        current_image=official.photo,
        initial={
            "name": official.name,
            "title": official.title,
            "delegations": official.delegations,
            "neighbourhood": official.neighbourhood,
            "account": official.account,
            "services": list(official.services.all()),
            "published": official.published,
        },
    )
    return _edit_page(
        request,
        form,
        lambda: services.official_save(actor=request.user, official=official, **form.cleaned_data),
        success_url="backoffice:officials",
        template="backoffice/official.html",
        context={"official": official},
    )


@admin_required
@require_POST
def official_move(request, official_id: int):
    return _move_and_back(
        request, Official, official_id, services.officials_reorder, "backoffice:officials"
    )


@admin_required
@require_POST
def official_delete(request, official_id: int):
    official = get_object_or_404(Official, pk=official_id)
    run_action(
        request,
        lambda: services.official_delete(actor=request.user, official=official),
        _("Élu retiré."),
    )
    return redirect("backoffice:officials")


@admin_required
def service_list(request):
    return form_page(
        request,
        form=MunicipalServiceForm(request.POST or None),
        action=lambda **data: services.municipal_service_save(actor=request.user, **data),
        success_message=_("Service ajouté."),
        success_url=reverse("backoffice:municipal_services"),
        template="backoffice/municipal_services.html",
        context={"municipal_services": selectors.municipal_services()},
    )


@admin_required
def service_edit(request, service_id: int):
    service = get_object_or_404(selectors.municipal_services(), pk=service_id)
    form = MunicipalServiceForm(
        request.POST or None,
        initial={
            "name": service.name,
            "description": service.description,
            "members": list(service.members.all()),
        },
    )
    return _edit_page(
        request,
        form,
        lambda: services.municipal_service_save(
            actor=request.user, service=service, **form.cleaned_data
        ),
        success_url="backoffice:municipal_services",
        template="backoffice/municipal_service.html",
        context={"service": service},
    )


@admin_required
@require_POST
def service_move(request, service_id: int):
    return _move_and_back(
        request,
        MunicipalService,
        service_id,
        services.municipal_services_reorder,
        "backoffice:municipal_services",
    )


def _move_and_back(request, model, pk: int, reorder, list_url: str):
    """Move a row up or down the list (buttons, no JavaScript needed), back to the list."""
    ids = list(model.objects.values_list("pk", flat=True))
    _move(ids, get_object_or_404(model, pk=pk).pk, request.POST.get("direction"))
    run_action(
        request,
        lambda: reorder(actor=request.user, ordered_ids=ids),
        _("Ordre enregistré."),
    )
    return redirect(list_url)
