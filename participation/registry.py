"""The one registry participatory modules plug into (Decidim's component manifests, adhocracy4's
phase registry).

Each module package under participation/ declares a ComponentType in its ``component.py``;
the registry discovers them when the app registry is ready. The engine (spaces, components,
phases, URLs, back office, exports, statistics, demo seeds, e-mail digest, GDPR export)
reads only this registry: adding a module touches nothing outside its own package. What the
hooks exchange (digest sections, votes) is defined in ``participation.hooks``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Q
from django.utils.module_loading import autodiscover_modules

from .hooks import DigestSection, MapPoint, OpenDataset, VoteReceiver

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.models import User

    from .models import Component, Space

# callable(user, followed_spaces, since, until) -> what is new for this resident in those
# spaces between since and until (None or no items: nothing to say).
DigestProvider = Callable[
    ["User", "QuerySet[Space]", datetime.datetime, datetime.datetime], DigestSection | None
]


@dataclass(frozen=True)
class PhaseKind:
    """A kind of phase a component type can go through, and what it allows while active.

    ``features`` holds action names ("answer", "add", "comment", "support", "vote") that
    predicates test with ``phase_allows(component, action)``.
    """

    key: str
    label: str
    features: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DemoPlacement:
    """One component of this type in the demo towns: in the demo space of ``space_kind``
    (a ``Space.Kind``), with ``phase`` open from a week ago to ``days`` days from now."""

    space_kind: str
    title: str
    phase: str
    days: int


@dataclass(frozen=True)
class ComponentType:
    key: str
    label: str
    description: str
    phase_kinds: tuple[PhaseKind, ...] = ()
    # Python path of the module's citizen-facing urlconf, mounted under the component's URL.
    urls: str | None = None
    # Python path of the module's back-office urlconf, mounted under the component's admin URL.
    backoffice_urls: str | None = None
    # Python path of the module's API urlconf, mounted under /api/v1/ for the component.
    api_urls: str | None = None
    # The template the space page includes to show this component's summary.
    card_template: str | None = None
    # Named exports: name -> callable(component) -> (filename, content_type, bytes).
    exports: dict[str, Callable[[Component], tuple[str, str, bytes]]] = field(default_factory=dict)
    # callable(component) -> dict of figures for the participation dashboard.
    statistics: Callable[[Component], dict[str, Any]] | None = None
    # callable(component) -> None: fills a demo town's component with invented content.
    seed_demo: Callable[[Component], None] | None = None
    # Where the demo towns show this module (None: not in the demo towns).
    demo: DemoPlacement | None = None
    # callable() -> QuerySet of .values("component_id", "author_id", "created_at"), one row per
    # contribution: the participation dashboard adds them up per space, neighbourhood and week.
    contributions: Callable[[], QuerySet] | None = None
    # callable(user) -> JSON-able data of this module about this user (GDPR export).
    personal_data: Callable[[Any], Any] | None = None
    # This module's section of the weekly e-mail digest.
    digest_section: DigestProvider | None = None
    # Set by a module whose votes take other modules' proposals (the participatory budgets).
    vote_receiver: VoteReceiver | None = None
    # callable(components) -> the places of this module's items in those components (the
    # engine passes only components of published spaces): the town's map (participation.maps).
    map_points: Callable[[QuerySet[Component]], list[MapPoint]] | None = None
    # callable(components) -> this module's public datasets of those components (the engine
    # passes only components of published spaces): the town's open data (participation.opendata).
    open_data: Callable[[QuerySet[Component]], list[OpenDataset]] | None = None
    # callable() -> this module's town-wide figures for the usage snapshot, by name (e.g.
    # {"answer_days": 9.5}): the console and the network figures read them from there.
    town_figures: Callable[[], dict[str, float | None]] | None = None
    # callable(now) -> the names of this module's secret ballot boxes
    # (participation.secret_ballots) whose vote has closed by ``now``: the engine closes them
    # (beat, every minute), shuffling their pending ballots into the box.
    secret_boxes_closed: Callable[[datetime.datetime], list[str]] | None = None
    # callable(component) -> the names of the component's secret ballot boxes: deleting its
    # space deletes them too (they hold no key to the component, on purpose).
    secret_boxes: Callable[[Component], list[str]] | None = None
    # Default settings of a new component of this type.
    default_settings: dict[str, Any] = field(default_factory=dict)
    # The template library (participation.blueprints): callable(component) -> JSON-able dict
    # of this component's own structure (questions, choices, categories...), never residents'
    # contributions nor accounts; and callable(component, data) -> None that rebuilds that
    # structure in a new component of another town. None: nothing beyond the component itself.
    blueprint_export: Callable[[Component], dict[str, Any]] | None = None
    blueprint_import: Callable[[Component, dict[str, Any]], None] | None = None

    def phase_kind(self, key: str) -> PhaseKind | None:
        return next((kind for kind in self.phase_kinds if kind.key == key), None)


@dataclass(frozen=True)
class DataSource:
    """Contributions, personal data and digest section of an app that is not a component type
    (comments, supports): counted by the dashboard, exported for GDPR and told in the e-mail
    digest like the modules' own."""

    key: str
    contributions: Callable[[], QuerySet] | None = None
    personal_data: Callable[[Any], Any] | None = None
    digest_section: DigestProvider | None = None


class UnknownComponentType(LookupError):
    pass


class ComponentRegistry:
    def __init__(self) -> None:
        self._types: dict[str, ComponentType] = {}
        self._sources: dict[str, DataSource] = {}

    def register(self, component_type: ComponentType) -> ComponentType:
        existing = self._types.get(component_type.key)
        if existing is not None and existing != component_type:
            raise ValueError(f"component type {component_type.key!r} is registered twice")
        if component_type.vote_receiver is not None and any(
            ct.vote_receiver is not None for ct in self if ct.key != component_type.key
        ):
            raise ValueError("only one component type may take proposals to its votes")
        self._types[component_type.key] = component_type
        return component_type

    def get(self, key: str) -> ComponentType:
        try:
            return self._types[key]
        except KeyError as exc:
            raise UnknownComponentType(key) from exc

    def __iter__(self) -> Iterator[ComponentType]:
        return iter(sorted(self._types.values(), key=lambda ct: ct.key))

    def __contains__(self, key: str) -> bool:
        return key in self._types

    def register_data_source(self, source: DataSource) -> DataSource:
        self._sources[source.key] = source
        return source

    def data_sources(self) -> list[DataSource]:
        """Every source of contributions, personal data and digest sections: modules and the
        others."""
        from_types = [
            DataSource(
                ct.key,
                contributions=ct.contributions,
                personal_data=ct.personal_data,
                digest_section=ct.digest_section,
            )
            for ct in self
        ]
        return from_types + sorted(self._sources.values(), key=lambda source: source.key)

    def vote_receiver(self) -> VoteReceiver | None:
        """The one module that takes other modules' proposals to its votes, if installed."""
        return next((ct.vote_receiver for ct in self if ct.vote_receiver is not None), None)

    def choices(self) -> list[tuple[str, str]]:
        return [(ct.key, ct.label) for ct in self]

    # The modules switched on for the town being served (Tenant.enabled_modules, switched by
    # participation.modules). The one test of "is this module on here": the components'
    # default manager, the URL guard of every module URL (participation.urls) and the pages
    # that list modules all ask it.

    def switched_on(self) -> frozenset[str] | None:
        """The keys of the modules switched on for the current town; None when the town
        restricts nothing (every installed module)."""
        enabled = getattr(getattr(connection, "tenant", None), "enabled_modules", None)
        return None if enabled is None else frozenset(enabled)

    def is_on(self, key: str) -> bool:
        switched_on = self.switched_on()
        return key in self and (switched_on is None or key in switched_on)

    def live_q(self, prefix: str = "") -> Q:
        """The condition on Component rows (through ``prefix``, e.g. ``"component__"``) of
        the components shown: not removed, and of a module switched on for the town."""
        condition = Q(**{f"{prefix}removed_at__isnull": True})
        switched_on = self.switched_on()
        if switched_on is not None:
            condition &= Q(**{f"{prefix}type_key__in": sorted(switched_on)})
        return condition

    def autodiscover(self) -> None:
        autodiscover_modules("component")


registry = ComponentRegistry()
register = registry.register
register_data_source = registry.register_data_source
