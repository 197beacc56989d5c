"""Read-only queries of the budgets: scores are computed by the database, the selection by
``participation.budgets.tally``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Max, Prefetch, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from participation.components import component_url
from participation.hooks import MapPoint
from participation.models import Component

from . import ballot_box, page_cache, secret
from .models import BallotChoice, Budget, PaperBallot, Project


@dataclass(frozen=True)
class ProjectResult:
    id: int
    title: str
    external_id: str
    cost: int
    votes: int  # ballots naming the project
    score: int  # approvals, points or ordinal score (k, k-1... per ballot)
    selected: bool
    computed: bool  # what the rule selected, before the town's overrides
    override_reason: str = ""


@dataclass(frozen=True)
class BudgetResults:
    budget_id: int
    rule: str
    ballots: int
    amount: int
    projects: list[ProjectResult] = field(default_factory=list)

    @property
    def selected(self) -> list[ProjectResult]:
        return [row for row in self.projects if row.selected]

    @property
    def selected_ids(self) -> list[int]:
        return [row.id for row in self.selected]

    @property
    def spent(self) -> int:
        return sum(row.cost for row in self.selected)

    @property
    def spent_percent(self) -> int:
        return round(100 * self.spent / self.amount) if self.amount else 0

    @property
    def max_votes(self) -> int:
        return max((row.votes for row in self.projects), default=0)


def budgets(component: Component) -> QuerySet[Budget]:
    return (
        Budget.objects.filter(component=component)
        .select_related("neighbourhood")
        .prefetch_related(Prefetch("projects", queryset=Project.objects.select_related("image")))
    )


def budget_in(component: Component, budget_id: int) -> Budget:
    """One budget of the component (404 otherwise), attached to this component instance so
    that rules reuse its prefetched phases and space."""
    budget = get_object_or_404(budgets(component), pk=budget_id)
    budget.component = component
    return budget


def paper_ballots_pending(budget: Budget) -> QuerySet[PaperBallot]:
    """Paper ballots typed once, waiting for a second agent's entry (what was typed is not
    shown: the second agent types the ballot again)."""
    return (
        PaperBallot.objects.filter(budget=budget, status=PaperBallot.Status.TYPED)
        .select_related("entered_by")
        .order_by("pk")
    )


def paper_ballots_confirmed_count(budget: Budget) -> int:
    return PaperBallot.objects.filter(budget=budget, status=PaperBallot.Status.COUNTED).count()


@dataclass(frozen=True)
class EntryDifference:
    project: str
    first: int | bool | None  # the rank or points, True when just ticked, None when absent
    second: int | bool | None

    @property
    def differs(self) -> bool:
        return self.first != self.second


@dataclass(frozen=True)
class PaperMismatch:
    paper: PaperBallot
    rows: list[EntryDifference]


def _entry(choices: list) -> dict[int, int | bool]:
    return {project: True if value is None else value for project, value in choices}


def paper_ballots_mismatched(budget: Budget) -> list[PaperMismatch]:
    """Paper ballots whose two entries differ, each with its projects side by side (those
    named by either entry)."""
    titles = dict(Project.objects.filter(budget=budget).values_list("pk", "title"))
    papers = PaperBallot.objects.filter(
        budget=budget, status=PaperBallot.Status.MISMATCH
    ).select_related("entered_by", "confirmed_by")
    mismatches = []
    for paper in papers:
        first, second = _entry(paper.choices), _entry(paper.second_choices or [])
        named = sorted(set(first) | set(second), key=lambda pk: (titles.get(pk, ""), pk))
        rows = [
            EntryDifference(titles.get(pk, str(pk)), first.get(pk), second.get(pk)) for pk in named
        ]
        mismatches.append(PaperMismatch(paper, rows))
    return mismatches


@dataclass(frozen=True)
class RuleComparisonRow:
    id: int
    title: str
    cost: int
    votes: int
    score: int
    greedy: bool
    mes: bool

    @property
    def differs(self) -> bool:
        return self.greedy != self.mes


@dataclass(frozen=True)
class RuleComparison:
    ballots: int
    amount: int
    rows: list[RuleComparisonRow]

    @property
    def differences(self) -> int:
        return sum(row.differs for row in self.rows)

    @property
    def greedy_spent(self) -> int:
        return sum(row.cost for row in self.rows if row.greedy)

    @property
    def mes_spent(self) -> int:
        return sum(row.cost for row in self.rows if row.mes)


def rules_compared(budget: Budget) -> RuleComparison:
    """What the greedy rule and the Method of Equal Shares (completed greedily, as the site
    counts it) each select from the same ballots, before the town's decisions."""
    greedy = results(budget, rule=Budget.ResultRule.GREEDY)
    mes = results(budget, rule=Budget.ResultRule.MES)
    in_mes = {row.id for row in mes.projects if row.computed}
    rows = [
        RuleComparisonRow(
            row.id, row.title, row.cost, row.votes, row.score, row.computed, row.id in in_mes
        )
        for row in greedy.projects
    ]
    return RuleComparison(greedy.ballots, greedy.amount, rows)


def _budget_with_page_data(budget_id: int) -> Budget | None:
    """The budget, its component, space and neighbourhood (one query) and the component's
    phases (one query). Not its projects: a vote reads only those its ballot names, and the
    cached entry stays the same size whatever the budget's."""
    try:
        return (
            Budget.objects.select_related("component__space", "neighbourhood")
            .prefetch_related("component__phases")
            .get(pk=budget_id)
        )
    except Budget.DoesNotExist:
        return None


def budget_for_page(*, space_slug: str, component_id: int, budget_id: int, user) -> Budget:
    """One budget as ``component_for_page`` + ``budget_in`` give it (404 if the space, the
    budgets component or the budget does not match the URL, or the user may not see the
    space), with its component, space, neighbourhood and phases (not its projects): from the
    cache (``page_cache``: one round trip) or two queries."""
    budget = page_cache.cached_budget(budget_id, lambda: _budget_with_page_data(budget_id))
    component = budget.component if budget is not None else None
    if (
        component is None
        or component.pk != component_id
        or component.type_key != "budgets"
        or component.space.slug != space_slug
        or not user.has_perm("participation.view_space", component.space)
    ):
        raise Http404
    return budget


def project_scores(budget: Budget) -> dict[int, tuple[int, int]]:
    """{project id: (ballots naming it, score)} in one query.

    approval / knapsack: the number of ballots; cumulative: the points; ranked: each ballot
    gives k points to its first project, k-1 to the second..., k being the longest allowed
    ballot, or the longest ballot if longer (pabulib's ordinal score, as ``tally.scores``). A
    secret budget's, from its box."""
    if budget.secret_ballot:
        return secret.project_scores(budget)
    rows = list(
        BallotChoice.objects.filter(project__budget=budget)
        .order_by()
        .values("project_id")
        .annotate(votes=Count("pk"), ranks=Sum("rank"), longest=Max("rank"), points=Sum("points"))
        .values_list("project_id", "votes", "ranks", "longest", "points")
    )
    if budget.ballot_rule == Budget.BallotRule.CUMULATIVE:
        return {pk: (votes, points or 0) for pk, votes, _ranks, _longest, points in rows}
    if budget.ballot_rule == Budget.BallotRule.RANKED:
        # Ranks run 1, 2... on every ballot: the longest ballot is the highest rank.
        k = max([budget.max_projects or 0, *(longest or 0 for *_r, longest, _p in rows)])
        return {pk: (votes, votes * (k + 1) - (ranks or 0)) for pk, votes, ranks, *_r in rows}
    return {pk: (votes, votes) for pk, votes, *_r in rows}


def _key(pk: int) -> str:
    """Project ids as the tally sees them: zero-padded, so that its tie-breaking (the id first
    in string order) favours the project proposed first."""
    return f"{pk:012d}"


def select(
    budget: Budget,
    projects: list[Project],
    scores: dict[int, tuple[int, int]],
    *,
    rule: str,
    completion: str | None,
    name=None,
    forced_in: Iterable[int] = (),
    forced_out: Iterable[int] = (),
    ballots: ballot_box.Supporters | None = None,
) -> list[int]:
    """Project pks the rule funds, in funding order. ``name(project)`` is the id the tally
    sees (ties go to the first in string order): the zero-padded pk by default (the project
    proposed first), the pabulib id to reproduce pabutools on imported data.

    ``forced_in`` / ``forced_out`` are the town's decisions (overrides): their projects are
    funded first / left out, and the rule shares what is left among the others.

    The Method of Equal Shares reads each project's ballots (``ballot_box.supporters``: one
    query, or ``ballots`` if the caller has read them); greedy needs only ``scores``."""
    from . import tally

    forced_in, forced_out = set(forced_in), set(forced_out)
    funded = [project for project in projects if project.pk in forced_in]
    projects = [p for p in projects if p.pk not in forced_in and p.pk not in forced_out]
    amount = max(budget.amount - sum(project.cost for project in funded), 0)
    name = name or (lambda project: _key(project.pk))
    names = {project.pk: name(project) for project in projects}
    pks = {value: pk for pk, value in names.items()}
    costs = {names[project.pk]: project.cost for project in projects}
    if rule == Budget.ResultRule.MES:
        if ballots is None:
            ballots = ballot_box.supporters(budget)
        empty = np.empty(0, np.int64)
        chosen = tally.equal_shares(
            costs,
            {names[pk]: ballots.by_project.get(pk, empty) for pk in names},
            amount,
            voters=ballots.voters,
            weights=ballots.weights,
            completion=completion,
        )
    else:
        points = {names[project.pk]: scores.get(project.pk, (0, 0))[1] for project in projects}
        chosen = tally.greedy(costs, points, amount)
    return [project.pk for project in funded] + [pks[value] for value in chosen]


def tally_parts(budget: Budget, projects: list[Project], *parts) -> tuple:
    """Everything a tally depends on besides the ballots (``ballot_box.cached``'s ``parts``):
    the budget's amount and ballot rule, each project's id, cost and pabulib id."""
    rows = [(project.pk, project.cost, project.external_id) for project in projects]
    return (budget.amount, budget.ballot_rule, budget.max_projects, rows, *parts)


def results(budget: Budget, *, rule: str | None = None, completion="greedy") -> BudgetResults:
    """The results with the town's overrides applied (a project it funds or leaves out, the
    rule sharing the rest: a winner found infeasible frees its cost for the next ones), and
    what the rule alone selected (``computed``). Published results keep the selection frozen
    as published."""
    rule = rule or budget.result_rule
    projects, version = ballot_box.projects_and_version(budget)
    overrides = {o.project_id: o for o in budget.overrides.all()}
    forced_in = sorted(pk for pk, o in overrides.items() if o.selected)
    forced_out = sorted(pk for pk, o in overrides.items() if not o.selected)

    def compute() -> tuple[dict, set[int], set[int]]:
        scores = project_scores(budget)
        # Read once for both selections (with and without the town's decisions).
        ballots = ballot_box.supporters(budget) if rule == Budget.ResultRule.MES else None
        computed = set(
            select(budget, projects, scores, rule=rule, completion=completion, ballots=ballots)
        )
        decided = computed
        if overrides:
            decided = set(
                select(
                    budget,
                    projects,
                    scores,
                    rule=rule,
                    completion=completion,
                    forced_in=forced_in,
                    forced_out=forced_out,
                    ballots=ballots,
                )
            )
        return scores, computed, decided

    parts = tally_parts(budget, projects, "results", rule, completion, forced_in, forced_out)
    scores, computed, decided = ballot_box.cached(budget, version, parts, compute)
    frozen = set(budget.published_selection) if budget.is_published else None
    rows = []
    for project in projects:
        votes, score = scores.get(project.pk, (0, 0))
        override = overrides.get(project.pk)
        selected = project.pk in decided
        if frozen is not None:
            selected = project.pk in frozen
        rows.append(
            ProjectResult(
                id=project.pk,
                title=project.title,
                external_id=project.external_id,
                cost=project.cost,
                votes=votes,
                score=score,
                selected=selected,
                computed=project.pk in computed,
                override_reason=override.reason if override else "",
            )
        )
    rows.sort(key=lambda row: (-row.score, row.cost, row.id))
    return BudgetResults(
        budget_id=budget.pk,
        rule=rule,
        ballots=ballot_box.counted(version),
        amount=budget.amount,
        projects=rows,
    )


def map_points(components: QuerySet[Component]) -> list[MapPoint]:
    """The located projects of these components' budgets (the engine passes published ones),
    with what their budget's page says of them: the registry's ``map_points`` hook."""
    located = (
        Project.objects.filter(
            budget__component__in=components, latitude__isnull=False, longitude__isnull=False
        )
        .select_related("budget__component__space")
        .order_by("budget__component__pk", "budget__position", "budget__pk", "position", "pk")
    )
    points = []
    for project in located:
        budget = project.budget
        if not budget.is_published:
            status = _("Soumis au vote · %(budget)s") % {"budget": budget.title}
        elif project.pk in budget.published_selection:
            status = _("Retenu · %(budget)s") % {"budget": budget.title}
        else:
            status = _("Non retenu · %(budget)s") % {"budget": budget.title}
        points.append(
            MapPoint(
                kind="project",
                kind_label=_("Projet"),
                title=project.title,
                latitude=float(project.latitude),
                longitude=float(project.longitude),
                url=f"{component_url(budget.component, 'detail')}#budget-{budget.pk}",
                space=budget.component.space.title,
                status=status,
            )
        )
    return points
