"""What the homepage shows, read when it is rendered: the blocks of the published or draft
version, and each engine kind's content."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from participation.components import component_url
from participation.models import HomeBlock, Phase, Space
from participation.registry import registry

from . import blocks


@dataclass(frozen=True)
class RenderedBlock:
    block: HomeBlock
    kind: blocks.BlockKind
    context: dict[str, Any]


def home_blocks(*, published: bool) -> list[HomeBlock]:
    """The blocks of one version, in order, with what their forms and templates read."""
    return list(
        HomeBlock.objects.filter(published=published)
        .select_related("image")
        .prefetch_related(
            Prefetch("spaces", queryset=Space.objects.select_related("image", "neighbourhood"))
        )
    )


def rendered(*, published: bool) -> list[RenderedBlock]:
    """The blocks of one version as the page shows them; a block whose kind is no longer
    registered (its module removed) is left out."""
    result = []
    for block in home_blocks(published=published):
        kind = blocks.block_kind(block.kind)
        if kind is None:
            continue
        context = kind.context(block) if kind.context else {}
        result.append(RenderedBlock(block=block, kind=kind, context=context))
    return result


def has_published_home() -> bool:
    return HomeBlock.objects.filter(published=True).exists()


def _published_spaces():
    return Space.objects.filter(status=Space.Status.PUBLISHED).select_related(
        "image", "neighbourhood"
    )


def highlighted_spaces(block: HomeBlock) -> dict:
    chosen = [space for space in block.spaces.all() if space.is_published]
    if chosen:
        return {"spaces": chosen[: block.limit]}
    return {"spaces": list(_published_spaces().order_by("-published_at", "-pk")[: block.limit])}


def _phases_of_published_spaces():
    return (
        Phase.objects.filter(component__space__status=Space.Status.PUBLISHED)
        .filter(registry.live_q("component__"))
        .select_related("component__space__image")
    )


def _with_url(phases) -> list[Phase]:
    phases = list(phases)
    for phase in phases:
        phase.url = component_url(phase.component)
    return phases


def running_now(block: HomeBlock) -> dict:
    """The phases running now, the one closing first first: what a resident can do today."""
    now = timezone.now()
    phases = _phases_of_published_spaces().filter(starts_at__lte=now, ends_at__gt=now)
    return {"phases": _with_url(phases.order_by("ends_at", "pk")[: block.limit])}


def upcoming(block: HomeBlock) -> dict:
    """The next dates: phases about to open and those running, by the date that comes
    first (an opening or a deadline)."""
    now = timezone.now()
    dates = []
    for phase in _with_url(_phases_of_published_spaces().filter(ends_at__gt=now)):
        opens = phase.starts_at > now
        dates.append((phase.starts_at if opens else phase.ends_at, opens, phase))
    dates.sort(key=lambda entry: (entry[0], entry[2].pk))
    return {
        "dates": [
            {"when": when, "opens": opens, "phase": phase}
            for when, opens, phase in dates[: block.limit]
        ]
    }


def participants_count() -> int:
    """People who contributed anything anywhere (a proposal, a vote, an answer, a comment):
    each account once."""
    authors: set[int] = set()
    for source in registry.data_sources():
        if source.contributions is not None:
            authors.update(
                row["author_id"] for row in source.contributions() if row["author_id"] is not None
            )
    return len(authors)


def figures(block: HomeBlock) -> dict:
    participants = participants_count()
    rows = [{"value": participants, "label": blocks.participants_label(participants)}]
    for figure in blocks.key_figures():
        value = figure.value()
        rows.append({"value": value, "label": figure.label(value)})
    return {"figures": rows}
