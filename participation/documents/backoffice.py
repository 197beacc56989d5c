"""The space's documents in the back office: upload (multipart form, no JavaScript needed)
and delete, for the space's moderators and the town's staff."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.views import form_page, run_action
from participation.components import component_admin_view

from . import services
from .forms import DocumentForm
from .selectors import documents

_moderated_component = component_admin_view("documents", "documents.add_document")


@_moderated_component
def index(request, component):
    return form_page(
        request,
        form=DocumentForm(request.POST or None, request.FILES or None),
        action=lambda **data: services.document_upload(
            actor=request.user, component=component, **data
        ),
        success_message=_("Document publié."),
        success_url=reverse("documents_admin:index", args=[component.space.slug, component.pk]),
        template="documents/backoffice/index.html",
        context={"component": component, "documents": documents(component)},
        error_field="file",
    )


@require_POST
@_moderated_component
def delete(request, component, document_id: int):
    document = get_object_or_404(documents(component), pk=document_id)
    run_action(
        request,
        lambda: services.document_delete(actor=request.user, document=document),
        _("Document supprimé."),
    )
    return redirect("documents_admin:index", component.space.slug, component.pk)
