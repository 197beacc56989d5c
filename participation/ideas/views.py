"""The citizens' pages of a call for ideas: the list with its filters and counters, a
proposal's page (timeline, place, supports, comments), submitting and editing. Plain forms:
everything works without JavaScript; the map only adds to the written address."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.errors import ApplicationError
from participation.components import component_url, component_view, permission_context
from participation.submissions import KEY_FIELD, clean_key, submit_once

from . import selectors, services
from .forms import ListFilterForm, ProposalForm


def _counted(number: int, singular: str, plural: str) -> str:
    return ngettext(singular, plural, number) % {"counter": number} if number else ""


@component_view("ideas")
def detail(request: HttpRequest, component) -> HttpResponse:
    form = ListFilterForm(request.GET or None, component=component)
    filters = form.filters() if request.GET else {}
    proposals = selectors.proposals_for_list(component, filters)
    list_url = component_url(component)
    for proposal in proposals:
        proposal.url = f"{list_url}{proposal.pk}/"
        proposal.supports_label = _counted(
            proposal.counts.supports, "%(counter)s soutien", "%(counter)s soutiens"
        )
        proposal.comments_label = _counted(
            proposal.counts.comments, "%(counter)s commentaire", "%(counter)s commentaires"
        )
    context = {
        "component": component,
        "proposals": proposals,
        "filter_form": form,
        "filtered": any(filters.values()) if filters else False,
        "status_counts": selectors.status_counts(component),
        # The button shows exactly when proposal_submit would accept; else its reason does.
        **permission_context(request.user, "ideas.add_proposal", component),
    }
    return render(request, "ideas/list.html", context)


@component_view("ideas")
def proposal(request: HttpRequest, component, proposal_id: int) -> HttpResponse:
    item = selectors.proposal_for_page(component, proposal_id)
    context = {
        "component": component,
        "proposal": item,
        "history": list(item.history.all()),
        "co_authors": list(item.co_authors.all()),
        "can_edit": request.user.has_perm("ideas.change_proposal", item),
        "is_staff": request.user.has_perm("ideas.analyse_proposal", item),
    }
    return render(request, "ideas/proposal.html", context)


def _form_page(request, component, form, *, proposal=None, status=200) -> HttpResponse:
    """The proposal form, or why the service would not take it (a 403)."""
    if proposal is None:
        permission = permission_context(request.user, "ideas.add_proposal", component)
    else:
        permission = permission_context(request.user, "ideas.change_proposal", proposal)
    return render(
        request,
        "ideas/form.html",
        {"component": component, "form": form, "proposal": proposal, **permission},
        status=403 if permission["refusal"] else status,
    )


@login_required
@component_view("ideas")
def submit(request: HttpRequest, component) -> HttpResponse:
    form = ProposalForm(request.POST or None, request.FILES or None, component=component)
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                # A double click or a resent form creates one idea: the second request is sent
                # to the first one's page.
                created, first = submit_once(
                    user=request.user,
                    key=clean_key(request.POST.get(KEY_FIELD)),
                    create=lambda: services.proposal_submit(
                        author=request.user, component=component, **form.cleaned_data
                    ),
                )
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
                status = exc.status_code
            else:
                if first:
                    messages.success(request, _("Merci, votre idée est déposée."))
                return redirect(created.get_absolute_url())
        return _form_page(request, component, form, status=status)
    return _form_page(request, component, form)


@login_required
@component_view("ideas")
def edit(request: HttpRequest, component, proposal_id: int) -> HttpResponse:
    item = selectors.proposal_in(component, proposal_id)
    if request.method != "POST" and not request.user.has_perm("ideas.change_proposal", item):
        return _form_page(request, component, None, proposal=item)
    initial = {
        name: getattr(item, name)
        for name in (
            "title",
            "description",
            "category",
            "neighbourhood",
            "address",
            "latitude",
            "longitude",
            "estimated_cost",
        )
    }
    form = ProposalForm(
        request.POST or None,
        request.FILES or None,
        component=component,
        initial=initial,
        current_image=item.image,
    )
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.proposal_edit(author=request.user, proposal=item, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
                status = exc.status_code
            else:
                messages.success(request, _("Votre idée est modifiée."))
                return redirect(item.get_absolute_url())
        return _form_page(request, component, form, proposal=item, status=status)
    return _form_page(request, component, form, proposal=item)
