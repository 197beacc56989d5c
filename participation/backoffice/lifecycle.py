"""Back-office pages that switch the town's modules and end spaces' and components' lives:
thin views over participation.modules and participation.lifecycle, for the town's admins."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.audit import audit_details_add
from core.guards import permission_required
from core.views import run_action, run_form_action
from participation import lifecycle, modules
from participation.models import Component, Space

from .views import space_of_url

admin_required = permission_required("participation.admin_town")


space_admin_required = permission_required("participation.admin_town", obj=space_of_url)


@admin_required
def module_list(request):
    if request.method == "POST":
        on = request.POST.get("on") == "1"
        run_action(
            request,
            lambda: modules.town_module_switch(
                actor=request.user, key=request.POST.get("key", ""), on=on
            ),
            _("Module activé.") if on else _("Module désactivé : ses données sont conservées."),
        )
        return redirect("backoffice:modules")
    return render(request, "backoffice/modules.html", {"modules": modules.town_modules()})


@space_admin_required
def component_remove(request, space: Space, slug: str, component_id: int):
    """A confirmation page, then the removal (POST)."""
    component = get_object_or_404(Component, pk=component_id, space=space)
    if request.method == "POST" and run_action(
        request,
        lambda: lifecycle.component_remove(actor=request.user, component=component),
        _("Module retiré de l'espace. Ses données sont conservées."),
    ):
        audit_details_add(request, component=component.title, module=component.type_key)
        return redirect("backoffice:space", slug=space.slug)
    return render(
        request, "backoffice/component_remove.html", {"space": space, "component": component}
    )


@space_admin_required
@require_POST
def space_archive(request, space: Space, slug: str):
    archive = request.POST.get("archive") == "1"
    action = lifecycle.space_archive if archive else lifecycle.space_unarchive
    run_action(
        request,
        lambda: action(actor=request.user, space=space),
        _("Espace archivé : il reste public, en lecture seule.")
        if archive
        else _("Espace rouvert aux contributions."),
    )
    return redirect("backoffice:space", slug=space.slug)


class SpaceDeleteForm(forms.Form):
    confirmation = forms.CharField(
        label=gettext_lazy("Titre de l'espace, pour confirmer"), max_length=250
    )


@space_admin_required
def space_delete(request, space: Space, slug: str):
    form = SpaceDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        deleted = run_form_action(
            form,
            lambda: lifecycle.space_delete(actor=request.user, space=space, **form.cleaned_data),
        )
        if not form.errors:
            audit_details_add(request, title=space.title, deleted=deleted)
            messages.success(request, _("Espace « %(title)s » supprimé.") % {"title": space.title})
            return redirect("backoffice:spaces")
    return render(
        request,
        "backoffice/space_delete.html",
        {"space": space, "form": form},
        status=400 if form.errors else 200,
    )
