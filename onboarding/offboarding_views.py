"""The end of a town's service in the console: export, archive, delete (onboarding.offboarding)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from console.access import console_staff_required
from core.errors import ApplicationError
from core.views import run_action, run_form_action
from tenants.models import Tenant
from tenants.selectors import towns

from .models import TownExport
from .offboarding import (
    export_file,
    latest_export,
    town_archive,
    town_delete,
    town_export_open,
    town_export_request,
    town_exports,
)
from .wizard_views import HTMX_STOP_POLLING

RECENT_EXPORTS = 10


class DeleteForm(forms.Form):
    confirmation = forms.CharField(
        label=gettext_lazy("Identifiant de la collectivité, pour confirmer"), max_length=100
    )

    def __init__(self, *args, town: Tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirmation"].help_text = _("Tapez « %(slug)s ».") % {"slug": town.slug}


def _exports_context(town: Tenant) -> dict:
    exports = list(town_exports(town)[:RECENT_EXPORTS])
    return {
        "tenant": town,
        "exports": exports,
        "exporting": any(not export.is_finished for export in exports),
    }


def _page(request: HttpRequest, town: Tenant, form: DeleteForm, status: int = 200) -> HttpResponse:
    context = {**_exports_context(town), "delete_form": form, "latest": latest_export(town)}
    return render(request, "onboarding/offboarding.html", context, status=status)


@console_staff_required
def town_offboarding(request: HttpRequest, slug: str) -> HttpResponse:
    town = get_object_or_404(towns(), slug=slug)
    return _page(request, town, DeleteForm(town=town))


@console_staff_required
def town_exports_fragment(request: HttpRequest, slug: str) -> HttpResponse:
    town = get_object_or_404(towns(), slug=slug)
    context = _exports_context(town)
    stop = not context["exporting"] and request.headers.get("HX-Request") == "true"
    if stop:  # the export ended: the deletion section's "last export" line changes too
        context |= {"latest": latest_export(town), "out_of_band": True}
    return render(
        request,
        "onboarding/offboarding_exports.html",
        context,
        status=HTMX_STOP_POLLING if stop else 200,
    )


@console_staff_required
@require_POST
def town_export_start(request: HttpRequest, slug: str) -> HttpResponse:
    town = get_object_or_404(towns(), slug=slug)
    run_action(
        request,
        lambda: town_export_request(tenant=town, requested_by=request.user, request=request),
        _("Export lancé : il apparaît ci-dessous une fois prêt."),
    )
    return redirect("console:town_offboarding", slug=town.slug)


@console_staff_required
@require_POST
def town_archive_view(request: HttpRequest, slug: str) -> HttpResponse:
    town = get_object_or_404(towns(), slug=slug)
    run_action(
        request,
        lambda: town_archive(tenant=town, actor=request.user, request=request),
        _(
            "%(town)s est archivée : son site affiche « service suspendu », ses données "
            "sont gardées."
        )
        % {"town": town.name},
    )
    return redirect("console:town_offboarding", slug=town.slug)


@console_staff_required
@require_POST
def town_delete_view(request: HttpRequest, slug: str) -> HttpResponse:
    town = get_object_or_404(towns(), slug=slug)
    form = DeleteForm(request.POST, town=town)
    if form.is_valid():
        export = run_form_action(
            form,
            lambda: town_delete(
                tenant=town,
                actor=request.user,
                confirmation=form.cleaned_data["confirmation"],
                request=request,
            ),
            error_field="confirmation",
        )
        if not form.errors:
            messages.success(
                request,
                _("%(town)s est supprimée. Son export reste téléchargeable ici.")
                % {"town": town.name},
            )
            return redirect("console:town_export", pk=export.pk)
    return _page(request, town, form, status=400)


@console_staff_required
def town_export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    export = get_object_or_404(TownExport.objects.select_related("tenant", "requested_by"), pk=pk)
    return render(
        request,
        "onboarding/offboarding_export.html",
        {"export": export, "available": export_file(export) is not None},
    )


@console_staff_required
def town_export_download(request: HttpRequest, pk: int) -> FileResponse:
    export = get_object_or_404(TownExport.objects.select_related("tenant"), pk=pk)
    try:
        path = town_export_open(export=export, actor=request.user, request=request)
    except ApplicationError as exc:
        raise Http404(str(exc)) from exc
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
