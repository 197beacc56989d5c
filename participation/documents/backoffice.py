"""The space's documents in the back office: upload (multipart form, no JavaScript needed)
and delete, for the space's moderators and the town's staff."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from participation.components import component_admin_view

from . import services
from .forms import DocumentForm
from .selectors import documents

_moderated_component = component_admin_view("documents", "documents.add_document")


@_moderated_component
def index(request, component):
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_upload(actor=request.user, component=component, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(request, _("Document publié."))
            return redirect("documents_admin:index", component.space.slug, component.pk)
    return render(
        request,
        "documents/backoffice/index.html",
        {"component": component, "documents": documents(component), "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@_moderated_component
def delete(request, component, document_id: int):
    document = get_object_or_404(documents(component), pk=document_id)
    try:
        services.document_delete(actor=request.user, document=document)
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Document supprimé."))
    return redirect("documents_admin:index", component.space.slug, component.pk)
