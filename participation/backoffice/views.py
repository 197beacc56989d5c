"""The town's back office: spaces, components, phases, neighbourhoods and the dashboard.

Thin views over participation.services; each checks the same permission strings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.guards import permission_required
from core.positions import neighbour_swapped
from core.views import form_page, run_action
from participation import dashboard as dashboard_figures
from participation import selectors, services
from participation.models import Component, Phase, Space

from .forms import ComponentForm, NeighbourhoodForm, PhaseForm, SpaceEditForm, SpaceForm
from .panels import dashboard_panels

staff_required = permission_required("participation.view_backoffice")
"""The town's team only (any role); others are sent to log in or refused."""


def space_of_url(request, *args, slug: str, **kwargs) -> Space:
    return get_object_or_404(selectors.all_spaces(), slug=slug)


space_required = permission_required("participation.change_space", obj=space_of_url)
"""A space's pages: the town's moderators, and the managers of that space."""


@staff_required
def dashboard(request):
    return render(
        request,
        "backoffice/dashboard.html",
        {
            "figures": dashboard_figures.dashboard(),
            "panels": dashboard_panels(connection.tenant),
        },
    )


@permission_required("participation.list_spaces")
def space_list(request):
    return form_page(
        request,
        form=SpaceForm(request.POST or None),
        action=lambda **data: services.space_create(actor=request.user, **data),
        success_message=_("Espace créé (brouillon)."),
        success_url=lambda space: reverse("backoffice:space", kwargs={"slug": space.slug}),
        template="backoffice/spaces.html",
        context={"spaces": selectors.spaces_managed_by(request.user)},
    )


@space_required
def space_detail(request, space: Space, slug: str):
    form = SpaceEditForm(
        request.POST or None,
        request.FILES or None,
        current_image=space.image,
        initial={
            "title": space.title,
            "summary": space.summary,
            "description": space.description,
            "neighbourhood": space.neighbourhood,
        },
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and run_action(
            request,
            lambda: services.space_update(actor=request.user, space=space, **form.cleaned_data),
            _("Espace enregistré."),
        )
    ):
        return redirect("backoffice:space", slug=space.slug)
    return render(
        request,
        "backoffice/space.html",
        {
            "space": space,
            "form": form,
            "component_form": ComponentForm(),
            "phase_forms": {
                c.pk: PhaseForm(component=c, prefix=_phase_prefix(c))
                for c in space.components.all()
            },
        },
        status=400 if form.errors else 200,
    )


@space_required
@require_POST
def space_publish(request, space: Space, slug: str):
    publish = request.POST.get("publish") == "1"
    action = services.space_publish if publish else services.space_unpublish
    run_action(
        request,
        lambda: action(actor=request.user, space=space),
        _("Espace publié.") if publish else _("Espace repassé en brouillon."),
    )
    return redirect("backoffice:space", slug=space.slug)


@space_required
@require_POST
def space_move(request, space: Space, slug: str):
    """Move a space up or down the list (buttons, no JavaScript needed)."""
    ids = list(Space.objects.values_list("pk", flat=True))
    _move(ids, space.pk, request.POST.get("direction"))
    run_action(
        request,
        lambda: services.spaces_reorder(actor=request.user, ordered_ids=ids),
        _("Ordre enregistré."),
    )
    return redirect("backoffice:spaces")


def _move(ids: list[int], pk: int, direction: str | None) -> None:
    neighbour_swapped(ids, ids.index(pk), direction or "")


@space_required
@require_POST
def component_add(request, space: Space, slug: str):
    form = ComponentForm(request.POST)
    if form.is_valid():
        run_action(
            request,
            lambda: services.component_add(actor=request.user, space=space, **form.cleaned_data),
            _("Module ajouté."),
        )
    else:
        messages.error(request, _("Choisissez un module et donnez-lui un titre."))
    return redirect("backoffice:space", slug=space.slug)


@space_required
@require_POST
def component_move(request, space: Space, slug: str, component_id: int):
    ids = list(space.components.values_list("pk", flat=True))
    _move(
        ids,
        get_object_or_404(Component, pk=component_id, space=space).pk,
        request.POST.get("direction"),
    )
    run_action(
        request,
        lambda: services.components_reorder(actor=request.user, space=space, ordered_ids=ids),
        _("Ordre enregistré."),
    )
    return redirect("backoffice:space", slug=space.slug)


@space_required
@require_POST
def phase_add(request, space: Space, slug: str, component_id: int):
    component = get_object_or_404(Component, pk=component_id, space=space)
    form = PhaseForm(request.POST, component=component, prefix=_phase_prefix(component))
    if form.is_valid():
        run_action(
            request,
            lambda: services.phase_add(
                actor=request.user, component=component, **form.cleaned_data
            ),
            _("Phase ajoutée."),
        )
    else:
        messages.error(
            request,
            " ".join(
                f"{form.fields[name].label} : {' '.join(errs)}"
                for name, errs in form.errors.items()
            ),
        )
    return redirect("backoffice:space", slug=slug)


def _phase_prefix(component: Component) -> str:
    """Each component's phase form has its own field ids, so that every label names its field."""
    return f"phase-{component.pk}"


@space_required
@require_POST
def phase_close(request, space: Space, slug: str, phase_id: int):
    phase = get_object_or_404(Phase, pk=phase_id, component__space=space)
    run_action(
        request,
        lambda: services.phase_close_now(actor=request.user, phase=phase),
        _("Phase close."),
    )
    return redirect("backoffice:space", slug=slug)


@space_required
@require_POST
def phase_delete(request, space: Space, slug: str, phase_id: int):
    phase = get_object_or_404(Phase, pk=phase_id, component__space=space)
    run_action(
        request,
        lambda: services.phase_delete(actor=request.user, phase=phase),
        _("Phase supprimée."),
    )
    return redirect("backoffice:space", slug=slug)


@permission_required("participation.view_neighbourhoods")
def neighbourhood_list(request):
    form = NeighbourhoodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not request.user.has_perm("participation.admin_town"):
            raise PermissionDenied
        if run_action(
            request,
            lambda: services.neighbourhood_create(name=form.cleaned_data["name"]),
            _("Quartier ajouté."),
        ):
            return redirect("backoffice:neighbourhoods")
    return render(
        request,
        "backoffice/neighbourhoods.html",
        {"neighbourhoods": selectors.neighbourhoods(), "form": form},
    )
