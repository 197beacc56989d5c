"""The town's side of the hub: validate associations, moderate missions, figures and
exports. For the town's moderators."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.views import form_page, run_action
from participation.components import component_admin_view

from . import exports, selectors, services
from .forms import QuestionnaireForm
from .models import Association, Mission, Questionnaire

_town_staff = component_admin_view("volunteering", "volunteering.moderate_mission")


@_town_staff
def index(request, component):
    return render(
        request,
        "volunteering/backoffice/index.html",
        {
            "component": component,
            "pending": selectors.pending_associations(),
            "missions": Mission.objects.filter(component=component)
            .select_related("association")
            .order_by("-created_at")[:100],
            "figures": selectors.figures(component),
        },
    )


def _back(component):
    return redirect("volunteering_admin:index", component.space.slug, component.pk)


@require_POST
@_town_staff
def association_validate(request, component, association_id: int):
    association = get_object_or_404(Association, pk=association_id)
    validated = request.POST.get("validated") == "1"
    run_action(
        request,
        lambda: services.association_validate(
            actor=request.user, association=association, validated=validated
        ),
        _("Association validée.") if validated else _("Association refusée."),
    )
    return _back(component)


@require_POST
@_town_staff
def mission_moderate(request, component, mission_id: int):
    mission = get_object_or_404(Mission, pk=mission_id, component=component)
    hidden = request.POST.get("hidden") == "1"
    run_action(
        request,
        lambda: services.mission_moderate(actor=request.user, mission=mission, hidden=hidden),
        _("Mission masquée.") if hidden else _("Mission de nouveau visible."),
    )
    return _back(component)


@_town_staff
def questionnaires(request, component):
    """Address a questionnaire to the validated associations; read their answers."""
    return form_page(
        request,
        form=QuestionnaireForm(request.POST or None),
        action=lambda **data: services.questionnaire_create(actor=request.user, **data),
        success_message=_("Questionnaire envoyé aux associations validées."),
        success_url=request.path,
        template="volunteering/backoffice/questionnaires.html",
        context={
            "component": component,
            "questionnaires": Questionnaire.objects.prefetch_related("answers__association"),
        },
    )


@_town_staff
def export(request, component, name: str):
    makers = {
        "associations": exports.associations_csv,
        "associations-xlsx": exports.associations_xlsx,
        "agenda": exports.agenda_csv,
        "agenda-xlsx": exports.agenda_xlsx,
        "chiffres": exports.figures_csv,
        "chiffres-xlsx": exports.figures_xlsx,
    }
    if name not in makers:
        return _back(component)
    filename, content_type, content = makers[name](component)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
