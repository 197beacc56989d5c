"""Read-only queries of the calls for ideas: lists cost a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from participation.comments.models import Support
from participation.comments.selectors import counts_for_items, counts_key
from participation.components import component_url
from participation.hooks import MapPoint
from participation.models import Component, Neighbourhood
from participation.rules import analyst_service_ids

from .models import Category, Proposal, ProposalStatusChange

Status = Proposal.Status

# How the counters read ("12 déposées · 5 en analyse · 4 recevables…").
# Lazy plural messages keyed by "count": the right form is picked when the number is given.
STATUS_COUNT_LABELS = {
    Status.SUBMITTED: ngettext_lazy("%(count)d déposée", "%(count)d déposées", "count"),
    Status.UNDER_ANALYSIS: ngettext_lazy("%(count)d en analyse", "%(count)d en analyse", "count"),
    Status.ELIGIBLE: ngettext_lazy("%(count)d recevable", "%(count)d recevables", "count"),
    Status.INELIGIBLE: ngettext_lazy(
        "%(count)d non recevable", "%(count)d non recevables", "count"
    ),
    Status.PUT_TO_VOTE: ngettext_lazy(
        "%(count)d soumise au vote", "%(count)d soumises au vote", "count"
    ),
    Status.SELECTED: ngettext_lazy("%(count)d retenue", "%(count)d retenues", "count"),
    Status.NOT_SELECTED: ngettext_lazy("%(count)d non retenue", "%(count)d non retenues", "count"),
    Status.IN_PROGRESS: ngettext_lazy(
        "%(count)d en cours de réalisation", "%(count)d en cours de réalisation", "count"
    ),
    Status.DONE: ngettext_lazy("%(count)d réalisée", "%(count)d réalisées", "count"),
}


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str  # the status's name
    count: int
    text: str  # "5 recevables"


def categories(component: Component) -> QuerySet[Category]:
    return Category.objects.filter(component=component)


def proposals(component: Component) -> QuerySet[Proposal]:
    """The component's proposals as lists show them: merged duplicates left out."""
    return (
        Proposal.objects.filter(component=component, merged_into__isnull=True)
        .select_related("category", "neighbourhood", "author", "image")
        .order_by("-created_at", "-pk")
    )


def proposals_instructed_by(component: Component, user) -> QuerySet[Proposal]:
    """The queue of the back office: every proposal for the space's moderators, those of
    their own services for the analysts of municipal services."""
    if user.has_perm("ideas.analyse_proposal", component):
        return proposals(component)
    return proposals(component).filter(service_id__in=analyst_service_ids(user))


def filtered(queryset: QuerySet[Proposal], filters: dict) -> QuerySet[Proposal]:
    """``filters`` as the list's GET form cleaned them: category, neighbourhood (objects),
    status and service (text); empty values do not filter."""
    if filters.get("category"):
        queryset = queryset.filter(category=filters["category"])
    if filters.get("neighbourhood"):
        queryset = queryset.filter(neighbourhood=filters["neighbourhood"])
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("service"):
        queryset = queryset.filter(assigned_service=filters["service"])
    return queryset


def proposals_for_list(component: Component, filters: dict | None = None) -> list[Proposal]:
    """Filtered proposals, each with ``counts`` (supports and visible comments, fetched for
    all of them at once) and bound to this component: three queries in all."""
    items = list(filtered(proposals(component), filters or {}))
    counts = counts_for_items(items)
    for proposal in items:
        proposal.component = component
        proposal.counts = counts[counts_key(proposal)]
    return items


def status_counts(component: Component) -> list[StatusCount]:
    """How many proposals (merged duplicates left out) are in each status, in the statuses'
    order, those with none left out: one query."""
    rows = dict(
        Proposal.objects.filter(component=component, merged_into__isnull=True)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return [
        StatusCount(
            status=status,
            label=str(Status(status).label),
            count=rows[status],
            text=STATUS_COUNT_LABELS[status] % {"count": rows[status]},
        )
        for status in Status.values
        if rows.get(status)
    ]


def proposal_in(component: Component, proposal_id: int) -> Proposal:
    """One proposal of the component (merged ones too), 404 otherwise, bound to the
    component so rules reuse its prefetched phases."""
    proposal = get_object_or_404(
        Proposal.objects.filter(component=component).select_related(
            "category", "neighbourhood", "author", "merged_into"
        ),
        pk=proposal_id,
    )
    proposal.component = component
    return proposal


def proposal_for_page(component: Component, proposal_id: int) -> Proposal:
    """A proposal with its timeline (oldest first) and co-authors."""
    proposal = get_object_or_404(
        Proposal.objects.filter(component=component)
        .select_related(
            "category", "neighbourhood", "author", "merged_into", "project_link", "image"
        )
        .prefetch_related(
            "co_authors",
            Prefetch(
                "history",
                queryset=ProposalStatusChange.objects.select_related("by").order_by("at", "pk"),
            ),
        ),
        pk=proposal_id,
    )
    proposal.component = component
    return proposal


def services_in_use(component: Component) -> list[str]:
    return list(
        Proposal.objects.filter(component=component)
        .exclude(assigned_service="")
        .order_by("assigned_service")
        .values_list("assigned_service", flat=True)
        .distinct()
    )


def merge_targets(proposal: Proposal) -> QuerySet[Proposal]:
    """The proposals a duplicate may be merged into."""
    return (
        Proposal.objects.filter(component_id=proposal.component_id, merged_into__isnull=True)
        .exclude(pk=proposal.pk)
        .order_by("title", "pk")
    )


def with_support_counts(queryset: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """Annotates ``support_count`` in the same query (exports, API)."""
    content_type = ContentType.objects.get_for_model(Proposal)
    supports = (
        Support.objects.filter(content_type=content_type, object_id=OuterRef("pk"))
        .order_by()
        .values("object_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        support_count=Coalesce(Subquery(supports), Value(0), output_field=IntegerField())
    )


def neighbourhoods() -> QuerySet[Neighbourhood]:
    return Neighbourhood.objects.all()


def map_points(components: QuerySet[Component]) -> list[MapPoint]:
    """The located proposals of these components (the engine passes published ones), merged
    duplicates left out: the registry's ``map_points`` hook."""
    located = (
        Proposal.objects.filter(
            component__in=components,
            merged_into__isnull=True,
            latitude__isnull=False,
            longitude__isnull=False,
        )
        .select_related("component__space")
        .order_by("component__pk", "-created_at", "-pk")
    )
    return [
        MapPoint(
            kind="idea",
            kind_label=_("Idée"),
            title=proposal.title,
            latitude=float(proposal.latitude),
            longitude=float(proposal.longitude),
            url=component_url(proposal.component, "proposal", proposal.pk),
            space=proposal.component.space.title,
            status=proposal.get_status_display(),
        )
        for proposal in located
    ]
