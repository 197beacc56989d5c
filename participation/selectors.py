"""Read-only queries of the engine, shaped so a page costs a fixed number of queries."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from accounts.rules import is_town_moderator

from .generation_cache import GenerationCache
from .models import Component, Neighbourhood, Phase, Space

# Where each component of the town is mounted (its space's slug, its type), None once removed:
# the URL guard of every module URL reads it, so a vote pays a cache read there, not a query.
# Its module being switched on is read from the town (``registry.is_on``), not kept here.
COMPONENT_MOUNTS = GenerationCache("components", ("participation.Component", "participation.Space"))


def _components_with_phases() -> Prefetch:
    return Prefetch(
        "components",
        queryset=Component.objects.prefetch_related(
            Prefetch("phases", queryset=Phase.objects.order_by("starts_at"))
        ),
    )


def component_mounted(*, component_id: int, space_slug: str, type_key: str) -> bool:
    """Whether a component of that id, type and space is there and not removed."""

    def load() -> tuple[str, str] | bool:
        # False, not None, for no component: kept too (a probe of ids costs one query each).
        found = (
            Component.all_objects.filter(pk=component_id, removed_at__isnull=True)
            .values_list("space__slug", "type_key")
            .first()
        )
        return tuple(found) if found else False

    return COMPONENT_MOUNTS.get(component_id, load) == (space_slug, type_key)


def published_spaces() -> QuerySet[Space]:
    return (
        Space.objects.filter(status=Space.Status.PUBLISHED)
        .select_related("neighbourhood", "image")
        .prefetch_related(_components_with_phases())
    )


def home_spaces() -> QuerySet[Space]:
    """The published spaces as the home page lists them: title, kind, neighbourhood and
    summary, in one query (the page shows no component, so none is prefetched)."""
    return Space.objects.filter(status=Space.Status.PUBLISHED).select_related(
        "neighbourhood", "image"
    )


def all_spaces() -> QuerySet[Space]:
    return Space.objects.select_related("neighbourhood", "image").prefetch_related(
        _components_with_phases()
    )


def spaces_managed_by(user: User) -> QuerySet[Space]:
    """The back office's list of spaces: all of them for the town's moderators, a space
    manager's own otherwise."""
    if is_town_moderator.test(user):
        return all_spaces()
    return all_spaces().filter(moderators=user)


def space_for_page(*, slug: str, user: User) -> Space:
    """A space with its components and phases; drafts only for those who may see them."""
    space = get_object_or_404(all_spaces(), slug=slug)
    if not user.has_perm("participation.view_space", space):
        raise Http404
    return space


def component_with_phases(component_id: int, type_key: str) -> Component | None:
    """The component of this type with its space and phases, as a cache keeps it (no check
    of the user: the caller does it on what it gets)."""
    return (
        Component.objects.select_related("space")
        .prefetch_related("phases")
        .filter(pk=component_id, type_key=type_key)
        .first()
    )


def component_for_page(*, space_slug: str, component_id: int, type_key: str, user: User):
    component = get_object_or_404(
        Component.objects.select_related("space").prefetch_related("phases"),
        pk=component_id,
        space__slug=space_slug,
        type_key=type_key,
    )
    if not user.has_perm("participation.view_space", component.space):
        raise Http404
    return component


def neighbourhoods() -> QuerySet[Neighbourhood]:
    return Neighbourhood.objects.all()
