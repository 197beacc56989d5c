"""The town's pages of an election: its rules, the roll (residents, imported list), the
candidacies to validate, the polling station's paper votes, and the audit."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.views import run_action, run_form_action
from participation import secret_ballots
from participation.components import component_admin_view

from . import selectors, services
from .forms import ElectionForm, PaperEntryForm, RollImportForm
from .models import PaperEntry, box_name
from .roll_import import roll_import

staff_view = component_admin_view("elections", "elections.change_election")
# The election's page: its managers, and the paper-vote agents (who see only the polling
# station's part of it).
page_view = component_admin_view("elections", "elections.open_backoffice")
paper_view = component_admin_view("elections", "elections.enter_paper")


def admin_url(component) -> str:
    return reverse("elections_admin:index", args=[component.space.slug, component.pk])


def _page(request, component, *, status=200, **extra) -> HttpResponse:
    election = services.election_of(component)
    query = request.GET.get("q", "").strip()
    electors = selectors.roll(component)
    found = (
        electors.filter(last_name__icontains=query) | electors.filter(email__icontains=query)
        if query
        else electors.none()
    )
    context = {
        "component": component,
        "election": election,
        "election_form": ElectionForm(
            initial={
                "seats": election.seats,
                "parity": election.parity,
                "tie_rule": election.tie_rule,
            }
        ),
        "import_form": RollImportForm(),
        "paper_form": PaperEntryForm(candidates=selectors.candidates_standing(component)),
        "roll_count": electors.count(),
        "query": query,
        "found": found[:20],
        "candidates": selectors.candidates_all(component),
        "mismatches": PaperEntry.objects.filter(
            component=component, status=PaperEntry.Status.MISMATCH
        ),
        "audit": secret_ballots.box_audit(box=box_name(component)),
        "may_manage": request.user.has_perm("elections.change_election", component),
        "may_enter_paper": request.user.has_perm("elections.enter_paper", component),
        **extra,
    }
    return render(request, "elections/backoffice/index.html", context, status=status)


@page_view
def index(request: HttpRequest, component) -> HttpResponse:
    if request.method != "POST":
        return _page(request, component)
    form = ElectionForm(request.POST)
    if form.is_valid() and run_form_action(
        form,
        lambda: services.election_update(
            actor=request.user, component=component, **form.cleaned_data
        ),
    ):
        messages.success(request, _("Règles de l'élection enregistrées."))
        return redirect(admin_url(component))
    return _page(request, component, election_form=form, status=400)


@require_POST
@staff_view
def roll_residents(request: HttpRequest, component) -> HttpResponse:
    try:
        added = services.roll_add_residents(actor=request.user, component=component)
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(count)d résidents ajoutés à la liste.") % {"count": added})
    return redirect(admin_url(component))


@require_POST
@staff_view
def roll_upload(request: HttpRequest, component) -> HttpResponse:
    form = RollImportForm(request.POST, request.FILES)
    report = form.is_valid() and run_form_action(
        form,
        lambda: roll_import(
            actor=request.user, component=component, data=form.cleaned_data["file"].read()
        ),
    )
    if not report:
        return _page(request, component, import_form=form, status=400)
    return _page(request, component, report=report)


@require_POST
@staff_view
def candidacy(request: HttpRequest, component, candidate_id: int) -> HttpResponse:
    candidate = get_object_or_404(selectors.candidates_all(component), pk=candidate_id)
    decision = request.POST.get("decision")
    if decision == "withdraw":
        run_action(
            request,
            lambda: services.candidacy_withdraw(actor=request.user, candidate=candidate),
            _("Candidature retirée."),
        )
    else:
        validated = decision == "validate"
        run_action(
            request,
            lambda: services.candidacy_decide(
                actor=request.user, candidate=candidate, validated=validated
            ),
            _("Candidature validée.") if validated else _("Candidature refusée."),
        )
    return redirect(admin_url(component))


@require_POST
@paper_view
def paper_mark(request: HttpRequest, component, elector_id: int) -> HttpResponse:
    elector = get_object_or_404(selectors.roll(component), pk=elector_id)
    run_action(
        request,
        lambda: services.paper_voter_mark(actor=request.user, elector=elector),
        _("Électeur marqué comme ayant voté au bureau de vote."),
    )
    return redirect(admin_url(component))


@require_POST
@paper_view
def paper_entry(request: HttpRequest, component) -> HttpResponse:
    form = PaperEntryForm(request.POST, candidates=selectors.candidates_standing(component))
    entry = form.is_valid() and run_form_action(
        form,
        lambda: services.paper_entry_type(
            actor=request.user,
            component=component,
            sheet=form.cleaned_data["sheet"],
            candidate_ids=form.cleaned_data["candidates"],
        ),
    )
    if not entry:
        return _page(request, component, paper_form=form, status=400)
    text = {
        PaperEntry.Status.TYPED: _("Bulletin saisi : un autre agent doit le retaper."),
        PaperEntry.Status.COUNTED: _("Les deux saisies concordent : bulletin compté."),
        PaperEntry.Status.MISMATCH: _("Les deux saisies diffèrent : bulletin signalé."),
    }[entry.status]
    (messages.warning if entry.status == PaperEntry.Status.MISMATCH else messages.success)(
        request, text
    )
    return redirect(admin_url(component))
