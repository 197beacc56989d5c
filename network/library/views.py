"""The template library in a town's back office (/gestion/modeles/): thin views over the
library's services and selectors, mounted in the towns' urlconf by ``config``."""

from __future__ import annotations

from django.contrib import messages
from django.db import connection
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.guards import permission_required
from core.views import form_page, run_action

from . import selectors, services
from .forms import CopyForm, PublishForm, RateForm, SearchForm

view_required = permission_required("template_library.view_library")
use_required = permission_required("template_library.use_library")


@view_required
def template_list(request):
    form = SearchForm(request.GET or None, tags=selectors.all_tags())
    query, tag = "", ""
    if form.is_valid():
        query, tag = form.cleaned_data["q"], form.cleaned_data["tag"]
    return render(
        request,
        "library/list.html",
        {
            "form": form,
            "templates": selectors.templates(query=query, tag=tag),
            "own_templates": selectors.town_templates(connection.tenant),
        },
    )


def _template_or_404(pk: int):
    template = selectors.template_detail(pk)
    if template is None:
        raise Http404(_("Ce modèle n'est plus dans la bibliothèque."))
    return template


@view_required
def template_detail(request, pk: int):
    template = _template_or_404(pk)
    return render(
        request,
        "library/detail.html",
        {
            "template": template,
            "preview": selectors.version_preview(template.current_version),
            "versions": selectors.template_versions(template),
            "own": template.source_tenant_id == connection.tenant.pk,
            "copy_form": CopyForm(initial={"start": timezone.localdate()}),
            "rate_form": RateForm(
                initial={"stars": selectors.town_rating(template, connection.tenant)}
            ),
        },
    )


@require_POST
@use_required
def template_copy(request, pk: int):
    form = CopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez une date de début valide."))
        return redirect("template_library:detail", pk=pk)
    try:
        space = services.template_copy(
            actor=request.user, template_id=pk, start=form.cleaned_data["start"]
        )
    except ApplicationError as exc:
        messages.error(request, str(exc))
        exists = selectors.template_detail(pk) is not None
        return redirect(
            reverse("template_library:detail", args=[pk]) if exists else "template_library:list"
        )
    messages.success(
        request, _("Modèle copié : voici votre nouvel espace, en brouillon, à adapter.")
    )
    return redirect("backoffice:space", slug=space.slug)


@require_POST
@use_required
def template_rate(request, pk: int):
    form = RateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez une note de 1 à 5."))
    else:
        run_action(
            request,
            lambda: services.template_rate(
                actor=request.user, template_id=pk, stars=form.cleaned_data["stars"]
            ),
            _("Merci, votre note est enregistrée."),
        )
    return redirect("template_library:detail", pk=pk)


@require_POST
@use_required
def template_withdraw(request, pk: int):
    template = _template_or_404(pk)
    run_action(
        request,
        lambda: services.template_withdraw(actor=request.user, template=template),
        _("Modèle retiré de la bibliothèque."),
    )
    return redirect("template_library:list")


@use_required
def template_publish(request):
    initial = {}
    if "espace" in request.GET:
        initial["space_id"] = request.GET["espace"]
    return form_page(
        request,
        form=PublishForm(request.POST or None, initial=initial),
        action=lambda **data: services.template_publish(actor=request.user, **data),
        success_message=_("Espace publié dans la bibliothèque de modèles."),
        success_url=lambda version: reverse("template_library:detail", args=[version.template_id]),
        template="library/publish.html",
        context={},
        error_field="space_id",
    )
