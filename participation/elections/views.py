"""The residents' pages of an election: the candidates, the candidacy form, the secret
ballot and its receipt, the results after the close."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import ApplicationError, NotAllowed
from core.views import run_form_action
from participation.components import component_url, component_view, permission_context

from . import selectors, services, tally
from .forms import CandidacyForm
from .models import Candidate


def _status(request: HttpRequest, component) -> dict:
    user = request.user
    elector = services.elector_of(user, component)
    return {
        "component": component,
        "election": services.election_of(component),
        "on_roll": elector is not None,
        "voted": elector is not None and services.has_voted(user, component),
        "results_visible": user.has_perm("elections.view_results", component),
    }


@component_view("elections")
def detail(request: HttpRequest, component) -> HttpResponse:
    context = {
        **_status(request, component),
        "candidates": selectors.candidates_standing(component),
        "mine": Candidate.objects.filter(component=component, user_id=request.user.pk).first()
        if request.user.is_authenticated
        else None,
        "can_apply": request.user.has_perm("elections.apply_candidate", component),
        "vote": permission_context(request.user, "elections.vote_election", component),
    }
    return render(request, "elections/detail.html", context)


@component_view("elections")
def apply(request: HttpRequest, component) -> HttpResponse:
    form = CandidacyForm(request.POST or None, request.FILES or None)
    permission = permission_context(request.user, "elections.apply_candidate", component)
    if request.method == "POST" and form.is_valid():
        made = run_form_action(
            form,
            lambda: services.candidacy_submit(
                actor=request.user, component=component, **form.cleaned_data
            ),
        )
        if made is not None:
            return render(request, "elections/applied.html", {"component": component})
    context = {"component": component, "form": form, **permission}
    return render(request, "elections/apply.html", context, status=400 if form.errors else 200)


@component_view("elections")
def vote(request: HttpRequest, component) -> HttpResponse:
    context = {
        **_status(request, component),
        "candidates": selectors.candidates_standing(component),
    }
    context.update(permission_context(request.user, "elections.vote_election", component))
    if request.method != "POST":
        return render(request, "elections/vote.html", context)
    try:
        receipt = services.ballot_cast(
            voter=request.user,
            component=component,
            candidate_ids=request.POST.getlist("candidate"),
        )
    except NotAllowed as exc:
        return render(request, "elections/vote.html", {**context, "error": str(exc)}, status=403)
    except ApplicationError as exc:
        status = getattr(exc, "status_code", 400)
        chosen = request.POST.getlist("candidate")
        context.update(error=str(exc), chosen=chosen)
        return render(request, "elections/vote.html", context, status=status)
    # Shown once, never stored with the elector: the receipt is the voter's only link to
    # their ballot.
    return render(request, "elections/receipt.html", {"component": component, "receipt": receipt})


@component_view("elections")
def results(request: HttpRequest, component) -> HttpResponse:
    if not request.user.has_perm("elections.view_results", component):
        return redirect(component_url(component))
    receipts = services.results_open(component)
    election = services.election_of(component)
    outcome = tally.election_count(election)
    top = max((row.votes for row in outcome.rows), default=0)
    chart = {
        "chart_id": f"votes-{component.pk}",
        "title": _("Voix par candidat"),
        "bars": [
            {
                "label": row.candidate.name,
                "value": row.votes,
                "share": row.votes / top if top else 0,
            }
            for row in outcome.rows
        ],
    }
    context = {
        "component": component,
        "election": election,
        "outcome": outcome,
        "chart": chart,
        "receipts": receipts,
    }
    return render(request, "elections/results.html", context)
