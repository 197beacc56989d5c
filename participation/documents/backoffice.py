"""The space's documents in the back office: upload (multipart form, no JavaScript needed)
and delete, for the space's moderators and the town's staff."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participation.errors import ParticipationError
from participation.models import Component

from . import services
from .forms import DocumentForm
from .selectors import documents


def _moderated_component(view):
    """The view's component from the URL; log in first, then only its space's moderators."""

    @wraps(view)
    def wrapper(request, space_slug: str, component_id: int, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        component = get_object_or_404(
            Component.objects.select_related("space"),
            pk=component_id,
            space__slug=space_slug,
            type_key="documents",
        )
        if not request.user.has_perm("documents.add_document", component):
            raise PermissionDenied
        return view(request, component, *args, **kwargs)

    return wrapper


@_moderated_component
def index(request, component):
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_upload(actor=request.user, component=component, **form.cleaned_data)
        except ParticipationError as exc:
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
    except ParticipationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Document supprimé."))
    return redirect("documents_admin:index", component.space.slug, component.pk)
