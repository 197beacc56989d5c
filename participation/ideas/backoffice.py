"""Staff pages of a call for ideas: the analysis queue, a proposal's analysis (service, notes,
eligibility, merging, putting to the vote, follow-up), the categories and the settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError, NotAllowed
from core.views import run_action
from participation.components import component_admin_view

from . import budgets, selectors, services
from .exports import proposals_csv
from .forms import (
    AssignForm,
    CategoryForm,
    MergeForm,
    NoteForm,
    QueueFilterForm,
    ReasonForm,
    ServiceForm,
    SettingsForm,
    ToVoteForm,
)
from .models import Category, Proposal

staff_component_view = component_admin_view("ideas", "ideas.analyse_proposal")
# The queue and the analysis of a proposal: moderators, and the analysts of municipal services
# (their services' proposals only: ideas.analyse_proposal on each).
analyst_component_view = component_admin_view("ideas", "ideas.open_backoffice")


def admin_url(component, name: str = "index", *args) -> str:
    return reverse(f"ideas_admin:{name}", args=[component.space.slug, component.pk, *args])


@analyst_component_view
def index(request: HttpRequest, component) -> HttpResponse:
    form = QueueFilterForm(request.GET or None, component=component)
    filters = form.filters() if request.GET else {}
    proposals = selectors.with_support_counts(
        selectors.filtered(selectors.proposals_instructed_by(component, request.user), filters)
    )
    return render(
        request,
        "ideas/backoffice/index.html",
        {
            "component": component,
            "filter_form": form,
            "proposals": proposals,
            "status_counts": selectors.status_counts(component),
            "services": selectors.services_in_use(component),
            "settings_form": SettingsForm(
                initial={"max_proposals_per_person": component.setting("max_proposals_per_person")}
            ),
        },
    )


def _proposal_page(request, component, proposal_id: int, *, forms=None, status=200):
    proposal = selectors.proposal_for_page(component, proposal_id)
    if not request.user.has_perm("ideas.analyse_proposal", proposal):
        raise PermissionDenied
    available_budgets = budgets.budgets_open()
    forms = forms or {}
    context = {
        "component": component,
        "proposal": proposal,
        "history": list(proposal.history.all()),
        "co_authors": list(proposal.co_authors.all()),
        "merged_proposals": list(proposal.merged_proposals.order_by("pk")),
        "assign_form": forms.get("assign")
        or AssignForm(initial={"service": proposal.assigned_service}),
        "service_form": ServiceForm(initial={"service": proposal.service_id}),
        "may_assign": request.user.has_perm("ideas.assign_proposal", proposal),
        "note_form": forms.get("note")
        or NoteForm(
            initial={
                "feasibility_note": proposal.feasibility_note,
                "cost_estimate": proposal.cost_estimate,
            }
        ),
        "reason_form": ReasonForm(),
        "merge_form": MergeForm(targets=selectors.merge_targets(proposal)),
        "budgets_available": budgets.available(),
        "to_vote_form": ToVoteForm(budgets=available_budgets) if available_budgets else None,
        "Status": Proposal.Status,
        "can_be_eligible": Proposal.Status.ELIGIBLE in services.TRANSITIONS[proposal.status],
        "can_be_ineligible": Proposal.Status.INELIGIBLE in services.TRANSITIONS[proposal.status],
        "follow_up": [
            (status, label)
            for status, label in Proposal.Status.choices
            if status in services.FOLLOW_UP_STATUSES
            and status in services.TRANSITIONS[proposal.status]
        ],
    }
    return render(request, "ideas/backoffice/proposal.html", context, status=status)


@analyst_component_view
def proposal(request: HttpRequest, component, proposal_id: int) -> HttpResponse:
    return _proposal_page(request, component, proposal_id)


def _act(request, component, proposal_id: int, action, success: str) -> HttpResponse:
    """Run a staff action on the proposal; its refusal is shown on the analysis page."""
    item = selectors.proposal_in(component, proposal_id)
    if not request.user.has_perm("ideas.analyse_proposal", item):
        raise PermissionDenied
    try:
        action(item)
    except NotAllowed as exc:
        raise PermissionDenied from exc
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect(admin_url(component, "proposal", proposal_id))


@require_POST
@staff_component_view
def assign(request: HttpRequest, component, proposal_id: int) -> HttpResponse:
    form = AssignForm(request.POST)
    form.is_valid()
    return _act(
        request,
        component,
        proposal_id,
        lambda item: services.proposal_assign(
            actor=request.user, proposal=item, service=form.cleaned_data.get("service", "")
        ),
        _("Service enregistré."),
    )


@require_POST
@staff_component_view
def service_assign(request: HttpRequest, component, proposal_id: int) -> HttpResponse:
    form = ServiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez un des services de la liste."))
        return redirect(admin_url(component, "proposal", proposal_id))
    return _act(
        request,
        component,
        proposal_id,
        lambda item: services.proposal_service_assign(
            actor=request.user, proposal=item, service=form.cleaned_data["service"]
        ),
        _("Service instructeur enregistré."),
    )


@require_POST
@analyst_component_view
def note(request: HttpRequest, component, proposal_id: int) -> HttpResponse:
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _proposal_page(request, component, proposal_id, forms={"note": form}, status=400)
    return _act(
        request,
        component,
        proposal_id,
        lambda item: services.proposal_note(actor=request.user, proposal=item, **form.cleaned_data),
        _("Analyse enregistrée."),
    )


def _decide(request, component, proposal_id: int, decision, success: str, **extra):
    """A staff decision with the optional reason the author is told."""
    form = ReasonForm(request.POST)
    form.is_valid()
    reason = form.cleaned_data.get("reason", "")
    return _act(
        request,
        component,
        proposal_id,
        lambda item: decision(actor=request.user, proposal=item, reason=reason, **extra),
        success,
    )


@require_POST
@analyst_component_view
def eligible(request: HttpRequest, component, proposal_id: int) -> HttpResponse:
    return _decide(
        request,
        component,
        proposal_id,
        services.proposal_mark_eligible,
        _("L'idée est recevable ; son auteur est prévenu."),
    )


@require_POST
@analyst_component_view
def ineligible(request: HttpRequest, component, proposal_id: int) -> HttpResponse:
    return _decide(
        request,
        component,
        proposal_id,
        services.proposal_mark_ineligible,
        _("L'idée n'est pas recevable ; son auteur est prévenu."),
    )


@require_POST
@analyst_component_view
def follow_up(request: HttpRequest, component, proposal_id: int) -> HttpResponse:
    return _decide(
        request,
        component,
        proposal_id,
        services.proposal_follow_up,
        _("Suivi enregistré ; l'auteur est prévenu."),
        status=request.POST.get("status", ""),
    )


@require_POST
@staff_component_view
def merge(request: HttpRequest, component, proposal_id: int) -> HttpResponse:
    item = selectors.proposal_in(component, proposal_id)
    form = MergeForm(request.POST, targets=selectors.merge_targets(item))
    if not form.is_valid():
        messages.error(request, _("Choisissez l'idée avec laquelle fusionner celle-ci."))
        return redirect(admin_url(component, "proposal", proposal_id))
    into = form.cleaned_data["into"]
    return _act(
        request,
        component,
        proposal_id,
        lambda duplicate: services.proposal_merge(
            actor=request.user, duplicate=duplicate, into=into
        ),
        _("Idée fusionnée avec « %(title)s ».") % {"title": into.title},
    )


@require_POST
@staff_component_view
def to_vote(request: HttpRequest, component, proposal_id: int) -> HttpResponse:
    form = ToVoteForm(request.POST, budgets=budgets.budgets_open())
    if not form.is_valid():
        messages.error(request, _("Choisissez le budget participatif."))
        return redirect(admin_url(component, "proposal", proposal_id))
    return _act(
        request,
        component,
        proposal_id,
        lambda item: services.proposal_to_vote(
            actor=request.user,
            proposal=item,
            budget_id=form.cleaned_data["budget"],
            reason=form.cleaned_data.get("reason", ""),
        ),
        _("L'idée est soumise au vote."),
    )


@staff_component_view
def categories(request: HttpRequest, component) -> HttpResponse:
    form = CategoryForm(request.POST or None)
    status = 200
    if request.method == "POST":
        form.is_valid()
        try:
            services.category_create(
                actor=request.user, component=component, name=form.cleaned_data.get("name", "")
            )
        except ApplicationError as exc:
            form.add_error(None, str(exc))
            status = 400
        else:
            messages.success(request, _("Catégorie ajoutée."))
            return redirect(admin_url(component, "categories"))
    return render(
        request,
        "ideas/backoffice/categories.html",
        {"component": component, "form": form, "categories": selectors.categories(component)},
        status=status,
    )


@require_POST
@staff_component_view
def category_rename(request: HttpRequest, component, category_id: int) -> HttpResponse:
    category = get_object_or_404(Category, component=component, pk=category_id)
    category.component = component
    run_action(
        request,
        lambda: services.category_rename(
            actor=request.user, category=category, name=request.POST.get("name", "")
        ),
        _("Catégorie renommée."),
    )
    return redirect(admin_url(component, "categories"))


@require_POST
@staff_component_view
def category_delete(request: HttpRequest, component, category_id: int) -> HttpResponse:
    category = get_object_or_404(Category, component=component, pk=category_id)
    category.component = component
    services.category_delete(actor=request.user, category=category)
    messages.success(request, _("Catégorie supprimée ; ses idées restent, sans catégorie."))
    return redirect(admin_url(component, "categories"))


@require_POST
@staff_component_view
def settings(request: HttpRequest, component) -> HttpResponse:
    form = SettingsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez un nombre entier d'au moins 1, ou laissez vide."))
        return redirect(admin_url(component))
    run_action(
        request,
        lambda: services.ideas_settings_update(
            actor=request.user, component=component, **form.cleaned_data
        ),
        _("Réglages enregistrés."),
    )
    return redirect(admin_url(component))


@staff_component_view
def export_csv(request: HttpRequest, component) -> HttpResponse:
    filename, content_type, content = proposals_csv(component)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
