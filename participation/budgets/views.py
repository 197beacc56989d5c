"""The citizens' pages of a budgets component: the projects, the ballot, the results."""

from __future__ import annotations

import re

from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import ApplicationError, Invalid
from core.formats import euros
from participation.components import (
    component_url,
    component_view,
    permission_context,
)

from . import selectors, services
from .census import CensusIdentity
from .exports import budget_results_csv
from .models import Ballot, Budget

FIELD = re.compile(r"^(rank|points)-(\d+)$")


def choices_from_post(budget: Budget, data) -> list:
    """The ballot's choices as the form sent them: ticked ``project`` boxes, or ``rank-<id>``
    / ``points-<id>`` fields (empty ones are not choices)."""
    if budget.ballot_rule in (Budget.BallotRule.RANKED, Budget.BallotRule.CUMULATIVE):
        pairs = []
        for key in data:
            match = FIELD.match(key)
            value = (data.get(key) or "").strip()
            if match and value:
                try:
                    pairs.append((int(match.group(2)), int(value)))
                except ValueError as exc:
                    raise Invalid(
                        _("« %(value)s » n'est pas un nombre entier.") % {"value": value}
                    ) from exc
        return pairs
    try:
        return [int(value) for value in data.getlist("project")]
    except ValueError as exc:
        raise Invalid(_("Ce bulletin contient une valeur illisible.")) from exc


def census_from_post(data) -> CensusIdentity | None:
    last, first, birth = (data.get(k, "").strip() for k in ("last_name", "first_name", "birth"))
    if not (last or first or birth):
        return None
    date = services.parse_census_date(birth)
    if not (last and first and date):
        raise Invalid(
            _("Indiquez vos nom, prénom et date de naissance (jj/mm/aaaa) tels qu'inscrits.")
        )
    return CensusIdentity(last, first, date)


def _selection(budget: Budget, values: dict[int, int | None]) -> dict:
    """What the ballot's summary says of the choices as they stand: the count of projects
    chosen (ranked, or given points), their cost and the envelope left, the points given and
    left. The ballot's script recomputes the same figures as one ticks; the service judges."""
    chosen = {
        pk: value
        for pk, value in values.items()
        if budget.ballot_rule != Budget.BallotRule.CUMULATIVE or value
    }
    spent = sum(p.cost for p in budget.projects.all() if p.pk in chosen)
    points = sum(value or 0 for value in chosen.values())
    ranks = [value for value in chosen.values() if value is not None]
    return {
        "values": values,
        "count": len(chosen),
        "spent": spent,
        "left": budget.amount - spent,
        "points": points,
        "points_left": (budget.max_points or 0) - points,
        "same_rank": budget.ballot_rule == Budget.BallotRule.RANKED
        and len(set(ranks)) < len(ranks),
    }


def _ballot_page(
    request: HttpRequest, component, budget: Budget, *, status=200, error="", values=None
) -> HttpResponse:
    ballot = services.ballot_of(request.user, budget)
    if values is None:
        values = (
            {c.project_id: c.rank if c.rank is not None else c.points for c in ballot.choices.all()}
            if ballot
            else {}
        )
    # The ballot is offered exactly when ballot_record would take it; else its reason shows.
    permission = permission_context(request.user, "budgets.vote_budget", budget)
    context = {
        "component": component,
        "budget": budget,
        "ballot": ballot,
        "error": error,
        "selection": _selection(budget, values),
        "can_vote": permission["refusal"] is None,
        "rank_choices": range(1, (budget.max_projects or budget.projects.count()) + 1),
        "points_choices": range(0, (budget.max_points_per_project or 0) + 1),
        "results_visible": request.user.has_perm("budgets.view_results_budget", budget),
        **permission,
    }
    return render(request, "budgets/ballot.html", context, status=status)


@component_view("budgets")
def detail(request: HttpRequest, component) -> HttpResponse:
    items = list(selectors.budgets(component))
    for budget in items:
        budget.component = component
    mine = set()
    if request.user.is_authenticated:
        mine = set(
            Ballot.objects.filter(budget__in=items, voter=request.user).values_list(
                "budget_id", flat=True
            )
        )
    entries = [
        {
            "budget": budget,
            "voted": budget.pk in mine,
            **permission_context(request.user, "budgets.vote_budget", budget),
            "results_visible": request.user.has_perm("budgets.view_results_budget", budget),
        }
        for budget in items
    ]
    return render(request, "budgets/detail.html", {"component": component, "entries": entries})


def ballot(
    request: HttpRequest, space_slug: str, component_id: int, budget_id: int
) -> HttpResponse:
    # As @component_view("budgets") + budget_in, in one query less (selectors.budget_for_page).
    budget = selectors.budget_for_page(
        space_slug=space_slug, component_id=component_id, budget_id=budget_id, user=request.user
    )
    prefetch_related_objects([budget], "projects")  # the page lists them all
    component = budget.component
    if request.method != "POST":
        return _ballot_page(request, component, budget)
    values: dict = {}
    try:
        choices = choices_from_post(budget, request.POST)
        values = {
            (item[0] if isinstance(item, tuple) else item): (
                item[1] if isinstance(item, tuple) else None
            )
            for item in choices
        }
        receipt = services.ballot_cast(
            voter=request.user,
            budget=budget,
            choices=choices,
            census=census_from_post(request.POST),
        )
    except ApplicationError as exc:
        status = exc.status_code
        return _ballot_page(
            request, component, budget, status=status, error=str(exc), values=values
        )
    messages.success(
        request,
        _("Votre vote est enregistré. Votre reçu : %(receipt)s") % {"receipt": receipt},
    )
    return redirect(component_url(component, "ballot", budget.pk))


def _visible_results(request: HttpRequest, component, budget_id: int):
    budget = selectors.budget_in(component, budget_id)
    if not request.user.has_perm("budgets.view_results_budget", budget):
        raise Http404
    return budget, selectors.results(budget)


@component_view("budgets")
def results(request: HttpRequest, component, budget_id: int) -> HttpResponse:
    budget, outcome = _visible_results(request, component, budget_id)
    top = outcome.max_votes or 1
    bars = [
        {"label": row.title, "value": row.votes, "share": row.votes / top}
        for row in outcome.projects
    ]
    spent_bars = [
        {
            "label": _("Projets retenus"),
            "value": euros(outcome.spent),
            "share": outcome.spent / outcome.amount if outcome.amount else 0,
        },
        {
            "label": _("Non utilisé"),
            "value": euros(max(outcome.amount - outcome.spent, 0)),
            "share": max(outcome.amount - outcome.spent, 0) / outcome.amount
            if outcome.amount
            else 0,
        },
    ]
    context = {
        "component": component,
        "budget": budget,
        "outcome": outcome,
        "votes_chart": {
            "chart_id": f"votes-{budget.pk}",
            "title": _("Voix par projet"),
            "bars": bars,
        },
        "spent_chart": {
            "chart_id": f"spent-{budget.pk}",
            "title": _("Enveloppe utilisée"),
            "bars": spent_bars,
        },
    }
    return render(request, "budgets/results.html", context)


@component_view("budgets")
def results_csv(request: HttpRequest, component, budget_id: int) -> HttpResponse:
    budget, outcome = _visible_results(request, component, budget_id)
    response = HttpResponse(budget_results_csv(budget, outcome), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="budget-{budget.pk}-resultats.csv"'
    return response
