"""Reading the template library: the list (search, tag) with each template's reuses and
rating, one template with its versions, what a version will create."""

from __future__ import annotations

from django.db.models import Avg, Count, Q, QuerySet

from participation.blueprints import blueprint_summary

from .models import SpaceTemplate, SpaceTemplateVersion, TemplateRating


def templates(*, query: str = "", tag: str = "") -> QuerySet[SpaceTemplate]:
    """Templates that have a version, with ``reuse_count`` (towns that copied any version,
    each counted once), ``rating_average`` and ``rating_count``."""
    found = SpaceTemplate.objects.filter(current_version__isnull=False)
    if query:
        found = found.filter(Q(title__icontains=query) | Q(description__icontains=query))
    if tag:
        found = found.filter(tags__contains=[tag.strip().lower()])
    return (
        found.select_related("source_tenant", "current_version")
        .annotate(
            reuse_count=Count("versions__reuses__target_tenant", distinct=True),
            rating_average=Avg("ratings__stars"),
            rating_count=Count("ratings", distinct=True),
        )
        .order_by("-updated_at", "pk")
    )


def all_tags() -> list[str]:
    tags = SpaceTemplate.objects.filter(current_version__isnull=False).values_list(
        "tags", flat=True
    )
    return sorted({tag for row in tags for tag in row})


def template_detail(pk: int) -> SpaceTemplate | None:
    return templates().filter(pk=pk).first()


def template_versions(template: SpaceTemplate) -> QuerySet[SpaceTemplateVersion]:
    return template.versions.annotate(
        reuse_count=Count("reuses__target_tenant", distinct=True)
    ).order_by("-number")


def version_preview(version: SpaceTemplateVersion) -> dict:
    return {**blueprint_summary(version.blueprint), "image_count": version.images.count()}


def town_rating(template: SpaceTemplate, town) -> int | None:
    rating = TemplateRating.objects.filter(template=template, tenant=town).first()
    return rating.stars if rating else None


def town_templates(town) -> QuerySet[SpaceTemplate]:
    """The templates this town published, with their reuse counts."""
    return templates().filter(source_tenant=town)
