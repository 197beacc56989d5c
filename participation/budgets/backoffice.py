"""Staff pages of a budgets component: budgets and projects, census, paper ballots, result
rule, the town's decisions (overrides) and the publication of results."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.views import form_page
from participation.components import component_admin_view

from . import selectors, services
from .forms import BudgetForm, CensusForm, OverrideForm, PabulibForm, ProjectForm
from .models import PaperBallot, Project
from .pabulib import PabulibError
from .services.pabulib_files import MAX_BYTES, size_refusal
from .views import choices_from_post

staff_component_view = component_admin_view("budgets", "budgets.change_budget")
# The list, a budget's page and its paper ballots: paper-ballot agents too (the forms they
# may not use are refused by the services, with their reason).
agent_component_view = component_admin_view("budgets", "budgets.open_backoffice")
# The second entry of a paper ballot: the town's paper-ballot agents only.
paper_component_view = component_admin_view("budgets", "budgets.enter_paper_ballot")
# The results' decisions: the town's administrators.
admin_component_view = component_admin_view("budgets", "budgets.override_results")


def admin_url(component, name: str = "index", *args) -> str:
    return reverse(f"budgets_admin:{name}", args=[component.space.slug, component.pk, *args])


@agent_component_view
def index(request: HttpRequest, component) -> HttpResponse:
    return form_page(
        request,
        form=BudgetForm(request.POST or None),
        action=lambda **data: services.budget_create(
            actor=request.user, component=component, **data
        ),
        success_message=_("Budget créé."),
        success_url=lambda budget: admin_url(component, "budget", budget.pk),
        template="budgets/backoffice/index.html",
        context={"component": component, "budgets": selectors.budgets(component)},
    )


def _budget_page(
    request, component, budget, *, error="", status=200, pabulib_errors=(), **forms
) -> HttpResponse:
    context = {
        "component": component,
        "budget": budget,
        "error": error,
        "pabulib_errors": pabulib_errors,
        "outcome": selectors.results(budget),
        "pending": selectors.paper_ballots_pending(budget),
        "mismatches": selectors.paper_ballots_mismatched(budget),
        "confirmed_count": selectors.paper_ballots_confirmed_count(budget),
        "pabulib_form": forms.get("pabulib_form") or PabulibForm(),
        "census_count": budget.census.count(),
        "project_form": forms.get("project_form") or ProjectForm(),
        "census_form": forms.get("census_form") or CensusForm(),
        "rank_choices": range(1, (budget.max_projects or budget.projects.count()) + 1),
        "rules": budget.ResultRule.choices,
    }
    return render(request, "budgets/backoffice/budget.html", context, status=status)


def _run(request, component, budget, action, success: str) -> HttpResponse:
    try:
        action()
    except ApplicationError as exc:
        return _budget_page(request, component, budget, error=str(exc), status=exc.status_code)
    messages.success(request, success)
    return redirect(admin_url(component, "budget", budget.pk))


@agent_component_view
def budget(request: HttpRequest, component, budget_id: int) -> HttpResponse:
    return _budget_page(request, component, selectors.budget_in(component, budget_id))


@require_POST
@staff_component_view
def project_add(request: HttpRequest, component, budget_id: int) -> HttpResponse:
    budget = selectors.budget_in(component, budget_id)
    form = ProjectForm(request.POST, request.FILES)
    if not form.is_valid():
        return _budget_page(request, component, budget, status=400, project_form=form)
    return _run(
        request,
        component,
        budget,
        lambda: services.project_add(actor=request.user, budget=budget, **form.cleaned_data),
        _("Projet ajouté."),
    )


@require_POST
@staff_component_view
def census(request: HttpRequest, component, budget_id: int) -> HttpResponse:
    budget = selectors.budget_in(component, budget_id)
    form = CensusForm(request.POST, request.FILES)
    if not form.is_valid():
        return _budget_page(request, component, budget, status=400, census_form=form)
    try:
        text = form.cleaned_data["file"].read().decode("utf-8-sig")
    except UnicodeDecodeError:
        return _budget_page(
            request, component, budget, status=400, error=_("Le fichier doit être en UTF-8.")
        )
    counted: list[int] = []
    response = _run(
        request,
        component,
        budget,
        lambda: counted.append(
            services.census_upload(actor=request.user, budget=budget, text=text)
        ),
        _("Liste des votants enregistrée."),
    )
    if counted:
        messages.info(request, _("%(count)d personnes sur la liste.") % {"count": counted[0]})
    return response


@require_POST
@agent_component_view
def paper_enter(request: HttpRequest, component, budget_id: int) -> HttpResponse:
    budget = selectors.budget_in(component, budget_id)
    return _run(
        request,
        component,
        budget,
        lambda: services.paper_ballot_enter(
            agent=request.user,
            budget=budget,
            polling_station=request.POST.get("polling_station", ""),
            choices=choices_from_post(budget, request.POST),
        ),
        _("Bulletin papier saisi : un autre agent doit le retaper."),
    )


def _paper_page(request, component, budget, paper, *, error="", status=200) -> HttpResponse:
    context = {
        "component": component,
        "budget": budget,
        "paper": paper,
        "error": error,
        "rank_choices": range(1, (budget.max_projects or budget.projects.count()) + 1),
    }
    return render(request, "budgets/backoffice/paper_retype.html", context, status=status)


@paper_component_view
def paper_retype(request: HttpRequest, component, budget_id: int, paper_id: int) -> HttpResponse:
    """The second entry: the ballot typed again, the first entry out of sight."""
    budget = selectors.budget_in(component, budget_id)
    paper = get_object_or_404(PaperBallot, pk=paper_id, budget=budget)
    if request.method != "POST":
        return _paper_page(request, component, budget, paper)
    try:
        paper = services.paper_ballot_retype(
            agent=request.user, paper=paper, choices=choices_from_post(budget, request.POST)
        )
    except ApplicationError as exc:
        return _paper_page(
            request, component, budget, paper, error=str(exc), status=exc.status_code
        )
    if paper.status == PaperBallot.Status.COUNTED:
        messages.success(request, _("Les deux saisies concordent : le bulletin est compté."))
    else:
        messages.warning(
            request,
            _(
                "Les deux saisies diffèrent : le bulletin est signalé et ne compte pas tant "
                "qu'un administrateur ne l'a pas arbitré."
            ),
        )
    return redirect(admin_url(component, "budget", budget.pk))


@require_POST
@admin_component_view
def paper_resolve(request: HttpRequest, component, budget_id: int, paper_id: int) -> HttpResponse:
    """The administrator keeps the first or the second entry, or types the ballot as it is."""
    budget = selectors.budget_in(component, budget_id)
    paper = get_object_or_404(PaperBallot, pk=paper_id, budget=budget)
    version = request.POST.get("version", "")

    def resolve():
        entries = {"first": paper.choices, "second": paper.second_choices or []}
        choices = entries.get(version)
        if choices is None:
            choices = choices_from_post(budget, request.POST)
        services.paper_ballot_resolve(actor=request.user, paper=paper, choices=choices)

    return _run(request, component, budget, resolve, _("Bulletin arbitré : il est compté."))


@require_POST
@staff_component_view
def pabulib_upload(request: HttpRequest, component, budget_id: int) -> HttpResponse:
    budget = selectors.budget_in(component, budget_id)
    form = PabulibForm(request.POST, request.FILES)
    if not form.is_valid():
        return _budget_page(request, component, budget, status=400, pabulib_form=form)
    upload = form.cleaned_data["file"]
    if upload.size > MAX_BYTES:  # refused before it is read into memory
        return _budget_page(request, component, budget, error=size_refusal(), status=413)
    try:
        preview = services.pabulib_stage(
            actor=request.user, budget=budget, data=upload.read(), filename=upload.name
        )
    except PabulibError as exc:
        return _budget_page(request, component, budget, status=400, pabulib_errors=exc.errors)
    except ApplicationError as exc:
        return _budget_page(request, component, budget, error=str(exc), status=exc.status_code)
    query = urlencode({"jeton": preview.token})
    return redirect(f"{admin_url(component, 'pabulib_preview', budget.pk)}?{query}")


@staff_component_view
def pabulib_preview(request: HttpRequest, component, budget_id: int) -> HttpResponse:
    """What the uploaded file holds (GET); its import, all or nothing (POST)."""
    budget = selectors.budget_in(component, budget_id)
    data = request.POST if request.method == "POST" else request.GET
    token = data.get("jeton", "")
    try:
        if request.method == "POST":
            preview = services.pabulib_import(actor=request.user, budget=budget, token=token)
            messages.success(
                request,
                _("Fichier importé : %(projects)d projets, %(ballots)d bulletins.")
                % {"projects": len(preview.projects), "ballots": preview.ballots},
            )
            return redirect(admin_url(component, "budget", budget.pk))
        preview = services.pabulib_preview(actor=request.user, budget=budget, token=token)
    except PabulibError as exc:
        return _budget_page(request, component, budget, status=400, pabulib_errors=exc.errors)
    except ApplicationError as exc:
        return _budget_page(request, component, budget, error=str(exc), status=exc.status_code)
    context = {"component": component, "budget": budget, "preview": preview}
    return render(request, "budgets/backoffice/pabulib_preview.html", context)


@staff_component_view
def pabulib_export(request: HttpRequest, component, budget_id: int) -> HttpResponse:
    budget = selectors.budget_in(component, budget_id)
    text = services.pabulib_export(actor=request.user, budget=budget)
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    name = f"{slugify(budget.title) or 'budget'}.pb"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_component_view
def rules_compared(request: HttpRequest, component, budget_id: int) -> HttpResponse:
    budget = selectors.budget_in(component, budget_id)
    context = {
        "component": component,
        "budget": budget,
        "comparison": selectors.rules_compared(budget),
    }
    return render(request, "budgets/backoffice/rules_compared.html", context)


@require_POST
@staff_component_view
def result_rule(request: HttpRequest, component, budget_id: int) -> HttpResponse:
    budget = selectors.budget_in(component, budget_id)
    return _run(
        request,
        component,
        budget,
        lambda: services.budget_set_result_rule(
            actor=request.user, budget=budget, result_rule=request.POST.get("result_rule", "")
        ),
        _("Règle de sélection enregistrée."),
    )


@require_POST
@admin_component_view
def override(request: HttpRequest, component, budget_id: int) -> HttpResponse:
    budget = selectors.budget_in(component, budget_id)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        return _budget_page(request, component, budget, status=400, error=_("Décision incomplète."))
    project = get_object_or_404(Project, pk=form.cleaned_data["project"], budget=budget)
    return _run(
        request,
        component,
        budget,
        lambda: services.result_override(
            actor=request.user,
            budget=budget,
            project=project,
            selected=form.cleaned_data["selected"],
            reason=form.cleaned_data["reason"],
        ),
        _("Décision enregistrée : son motif est publié avec les résultats."),
    )


@require_POST
@admin_component_view
def publish(request: HttpRequest, component, budget_id: int) -> HttpResponse:
    budget = selectors.budget_in(component, budget_id)
    return _run(
        request,
        component,
        budget,
        lambda: services.results_publish(actor=request.user, budget=budget),
        _("Résultats publiés."),
    )
