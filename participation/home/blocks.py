"""The kinds of homepage block, registered once each. The engine registers those it can fill
itself (hero, spaces, consultations, key figures, map, events, free text); a module adds its own
kind (the news module's "latest news") or feeds the engine's (a key figure, places on the map)
from its ``component.py``, so that the engine never imports a module.

A kind names the ``HomeBlock`` fields its form shows (``fields``) and those that must be filled
(``required``), its template, and ``context(block) -> dict``: what the template shows, read
through selectors when the page is rendered."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import ngettext

from participation.registry import registry

if TYPE_CHECKING:
    from participation.models import HomeBlock

# The fields a kind may put on its form, in this order.
FIELDS = ("title", "text", "image", "link", "spaces", "limit")


@dataclass(frozen=True)
class BlockKind:
    key: str
    label: str
    help: str
    template: str
    fields: tuple[str, ...] = ("title",)
    required: tuple[str, ...] = ()
    context: Callable[[HomeBlock], dict[str, Any]] | None = None
    # The module that fills it: its blocks are left out while it is switched off.
    module: str | None = None


@dataclass(frozen=True)
class KeyFigure:
    """A number of the key figures block (``value()`` counted when the page is rendered)."""

    key: str
    label: Callable[[int], str]
    value: Callable[[], int]
    # The module that counts it: left out while it is switched off.
    module: str | None = None


@dataclass
class _Registry:
    kinds: dict[str, BlockKind] = field(default_factory=dict)
    figures: dict[str, KeyFigure] = field(default_factory=dict)


_registry = _Registry()


def register_block_kind(kind: BlockKind) -> BlockKind:
    """Register ``kind`` (again: a module's ``component.py`` imported twice replaces it)."""
    _registry.kinds[kind.key] = kind
    return kind


def register_key_figure(figure: KeyFigure) -> KeyFigure:
    _registry.figures[figure.key] = figure
    return figure


def _on(entry: BlockKind | KeyFigure) -> bool:
    return entry.module is None or registry.is_on(entry.module)


def block_kind(key: str) -> BlockKind | None:
    """The kind of that key; None when unknown, or its module is switched off."""
    kind = _registry.kinds.get(key)
    return kind if kind is not None and _on(kind) else None


def block_kinds() -> list[BlockKind]:
    return [kind for kind in _registry.kinds.values() if _on(kind)]


def key_figures() -> list[KeyFigure]:
    return [figure for figure in _registry.figures.values() if _on(figure)]


def participants_label(count: int) -> str:
    return ngettext("participant", "participants", count)
