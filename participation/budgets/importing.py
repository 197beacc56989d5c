"""Pabulib import / export of a budget campaign (open data), used by the pb_* commands.

Run inside the town's schema (``tenant_context``). An import creates a space of kind
``budget_campaign`` with one budgets component holding one budget; its id (the component's)
names the campaign for ``pb_results`` and ``pb_export``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Invalid, NotFound
from participation.models import Component, Space
from participation.services import _unique_slug

from . import ballot_box, pabulib, selectors
from .models import Ballot, BallotChoice, Budget, Project

VOTE_TYPE_RULES = {
    "approval": Budget.BallotRule.APPROVAL,
    "ordinal": Budget.BallotRule.RANKED,
    "cumulative": Budget.BallotRule.CUMULATIVE,
    "scoring": Budget.BallotRule.CUMULATIVE,
}
PROJECT_TITLE_MAX = 200


def _int_meta(meta: dict[str, str], key: str) -> int | None:
    value = meta.get(key, "").strip()
    if not value:
        return None
    try:
        return int(float(value))
    except ValueError:
        return None


def _title(meta: dict[str, str], source: str) -> str:
    parts = [meta.get("description") or meta.get("unit") or source]
    for key in ("subunit", "district", "instance"):
        if meta.get(key) and meta[key] not in parts[0]:
            parts.append(meta[key])
    return " · ".join(parts)[:PROJECT_TITLE_MAX]


def budget_settings(instance: pabulib.PabulibInstance) -> dict:
    """The budget's envelope and ballot rules as the file's META gives them."""
    meta = instance.meta
    ballot_rule = VOTE_TYPE_RULES[instance.vote_type]
    if ballot_rule == Budget.BallotRule.APPROVAL and _int_meta(meta, "max_sum_cost"):
        ballot_rule = Budget.BallotRule.KNAPSACK
    min_length = _int_meta(meta, "min_length")
    max_length = _int_meta(meta, "max_length")
    min_projects = min_length if min_length is not None else (1 if instance.votes else 0)
    # Real files hold a few ballots shorter than their announced minimum: keep the rule
    # consistent rather than rejecting open data.
    if instance.votes:
        min_projects = min(min_projects, min(len(vote.projects) for vote in instance.votes))
    return {
        "amount": instance.budget,
        "ballot_rule": ballot_rule,
        "min_projects": min_projects,
        "max_projects": max_length,
        "max_points_per_project": _int_meta(meta, "max_points"),
        "max_points": _int_meta(meta, "max_sum_points"),
        "external_meta": {
            "meta": meta,
            "project_columns": instance.project_columns,
            "vote_columns": instance.vote_columns,
        },
    }


def write_projects_and_ballots(budget: Budget, instance: pabulib.PabulibInstance) -> None:
    """The file's projects and ballots in ``budget`` (bulk writes; the caller's transaction)."""
    projects = Project.objects.bulk_create(
        Project(
            budget=budget,
            title=(row.fields.get("name") or f"Projet {row.project_id}")[:PROJECT_TITLE_MAX],
            description=row.fields.get("description", ""),
            cost=row.cost,
            external_id=row.project_id,
            fields=row.fields,
            position=position,
        )
        for position, row in enumerate(instance.projects.values())
    )
    by_external = {project.external_id: project for project in projects}
    ballots = Ballot.objects.bulk_create(
        Ballot(
            budget=budget,
            voter=None,
            voter_key=f"pb:{vote.voter_id}",
            source=Ballot.Source.IMPORT,
            fields=vote.fields,
        )
        for vote in instance.votes
    )
    ranked = budget.ballot_rule == Budget.BallotRule.RANKED
    BallotChoice.objects.bulk_create(
        (
            BallotChoice(
                ballot=ballot,
                project=by_external[project_id],
                rank=index + 1 if ranked else None,
                points=vote.points[index] if vote.points is not None else None,
            )
            for ballot, vote in zip(ballots, instance.votes, strict=True)
            for index, project_id in enumerate(vote.projects)
        ),
        batch_size=5000,
    )


def import_pabulib(text: str, *, source: str = "<pb>") -> Component:
    """Create a campaign from a pabulib text: all or nothing (PabulibError on a bad file)."""
    instance = pabulib.parse(text, source=source)
    title = _title(instance.meta, source)
    with transaction.atomic():
        space = Space.objects.create(
            kind=Space.Kind.BUDGET_CAMPAIGN,
            title=title,
            slug=_unique_slug(Space, title),
            summary=_("Données ouvertes importées (pabulib)."),
            position=Space.objects.count(),
        )
        component = Component.objects.create(space=space, type_key="budgets", title=title)
        budget = Budget.objects.create(
            component=component,
            title=title,
            result_rule=Budget.ResultRule.GREEDY,
            **budget_settings(instance),
        )
        write_projects_and_ballots(budget, instance)
    return component


def campaign_budget(component_id: int) -> Budget:
    component = Component.objects.filter(pk=component_id, type_key="budgets").first()
    budget = Budget.objects.filter(component=component).first() if component else None
    if budget is None:
        raise NotFound(
            _("Aucune campagne de budget n° %(id)s dans cette collectivité.") % {"id": component_id}
        )
    return budget


@dataclass(frozen=True)
class CampaignResults:
    selected: list[str]
    rule: str
    seconds: float


def campaign_results(budget: Budget, *, rule: str) -> CampaignResults:
    """The selection as pabulib project ids. ``mes`` here is the Method of Equal Shares
    without completion, as pabutools' ``method_of_equal_shares`` computes it; the site's own
    results complete it greedily."""
    if rule not in Budget.ResultRule.values:
        raise Invalid(_("Règle de sélection inconnue : « %(v)s ».") % {"v": rule})
    started = time.perf_counter()
    version = ballot_box.campaign_version(budget)

    def compute() -> list[str]:
        projects = list(Project.objects.filter(budget=budget).order_by("position", "pk"))
        greedy = rule == Budget.ResultRule.GREEDY
        chosen = selectors.select(
            budget,
            projects,
            selectors.project_scores(budget) if greedy else {},
            rule=rule,
            completion=None,
            name=lambda project: project.external_id or str(project.pk),
        )
        by_pk = {project.pk: project for project in projects}
        return [by_pk[pk].external_id or str(pk) for pk in chosen]

    # The projects' ids, costs and pabulib ids are in the version (campaign_version).
    parts = selectors.tally_parts(budget, [], "campaign", rule)
    selected = ballot_box.cached(budget, version, parts, compute)
    return CampaignResults(selected=selected, rule=rule, seconds=time.perf_counter() - started)


def export_pabulib(budget: Budget) -> str:
    """The campaign as a valid pabulib text: every project and ballot (anonymous)."""
    stored = budget.external_meta or {}
    meta = dict(stored.get("meta") or {})
    projects = list(budget.projects.order_by("position", "pk"))
    ballots = list(Ballot.objects.filter(budget=budget).prefetch_related("choices__project"))
    scores = selectors.project_scores(budget)
    vote_type = {
        Budget.BallotRule.APPROVAL: "approval",
        Budget.BallotRule.KNAPSACK: "approval",
        Budget.BallotRule.RANKED: "ordinal",
        Budget.BallotRule.CUMULATIVE: "cumulative",
    }[budget.ballot_rule]
    if meta.get("vote_type") != "scoring" or budget.ballot_rule != Budget.BallotRule.CUMULATIVE:
        meta["vote_type"] = vote_type
    meta.setdefault("description", budget.title)
    meta.setdefault("date_end", timezone.localdate().isoformat())
    meta["num_projects"] = str(len(projects))
    meta["num_votes"] = str(len(ballots))
    meta["budget"] = str(budget.amount)
    limits = {
        "min_length": budget.min_projects if budget.min_projects else None,
        "max_length": budget.max_projects,
        "max_points": budget.max_points_per_project,
        "max_sum_points": budget.max_points,
        "max_sum_cost": budget.amount if budget.ballot_rule == Budget.BallotRule.KNAPSACK else None,
    }
    for key, value in limits.items():
        if value is not None and (key != "min_length" or "min_length" in meta):
            meta[key] = str(value)
    project_columns = list(stored.get("project_columns") or ["project_id", "cost", "votes", "name"])
    for column in ("votes", "name"):
        if column not in project_columns:
            project_columns.append(column)
    project_rows = {}
    for project in projects:
        pid = project.external_id or str(project.pk)
        fields = {**project.fields, "name": project.title}
        fields["votes"] = str(scores.get(project.pk, (0, 0))[0])
        project_rows[pid] = pabulib.ProjectRow(pid, project.cost, fields)
    votes = []
    for ballot in ballots:
        choices = sorted(ballot.choices.all(), key=lambda c: (c.rank or 0, c.pk))
        voter_id = ballot.voter_key[3:] if ballot.voter_key.startswith("pb:") else str(ballot.pk)
        points = (
            [choice.points or 0 for choice in choices]
            if budget.ballot_rule == Budget.BallotRule.CUMULATIVE
            else None
        )
        votes.append(
            pabulib.VoteRow(
                voter_id,
                [c.project.external_id or str(c.project.pk) for c in choices],
                points,
                dict(ballot.fields),
            )
        )
    vote_columns = list(stored.get("vote_columns") or ["voter_id", "vote"])
    cumulative = budget.ballot_rule == Budget.BallotRule.CUMULATIVE
    if cumulative and "points" not in vote_columns:
        vote_columns.insert(vote_columns.index("vote") + 1, "points")
    instance = pabulib.PabulibInstance(meta, project_rows, votes, project_columns, vote_columns)
    return pabulib.write(instance)
