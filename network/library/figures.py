"""Network figures: each town sees its participation next to the anonymised distribution of
the towns of its size that opted in: the share of the population registered, the
contributions of the last 30 days per 1,000 residents and the median time to answer residents'
questions (the figures the console's usage snapshots already hold, ``participation.usage``,
the last one through the modules' ``town_figures`` hook).

Never a town's name, never a minimum or maximum (the extremes would single a town out); only
quartiles, and only when at least ``MIN_TOWNS`` towns are in the band: with fewer, a town
could work out another's figures from its own and the quartiles."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from console.selectors import latest_usage
from participation.services import ensure_perm
from tenants.models import Tenant

from .models import TownFigures

MIN_TOWNS = 5
# What a town that stops sharing leaves in the network: nothing.
FIGURES_FORGOTTEN = {
    "registered_share": None,
    "contributions_per_1000": None,
    "answer_days": None,
    "computed_on": None,
}
# Population bands (lower bound, label): a town is compared with towns of its size.
BANDS = (
    (0, gettext_lazy("moins de 2 000 habitants")),
    (2_000, gettext_lazy("2 000 à 10 000 habitants")),
    (10_000, gettext_lazy("10 000 à 50 000 habitants")),
    (50_000, gettext_lazy("50 000 à 100 000 habitants")),
    (100_000, gettext_lazy("100 000 habitants et plus")),
)


def band_of(population: int) -> int:
    """The index of the population band."""
    return max(index for index, (low, _label) in enumerate(BANDS) if population >= low)


def _band_bounds(index: int) -> tuple[int, int | None]:
    upper = BANDS[index + 1][0] if index + 1 < len(BANDS) else None
    return BANDS[index][0], upper


def _figures_store(town: Tenant, usage) -> None:
    TownFigures.objects.filter(tenant=town).update(
        population=usage.population,
        registered_share=usage.registered_citizens / usage.population if usage.population else None,
        contributions_per_1000=1000 * usage.contributions_30d / usage.population
        if usage.population
        else None,
        answer_days=usage.module_figures.get("answer_days"),
        computed_on=usage.day,
    )


def figures_gather() -> int:
    """Copy each opted-in town's last usage snapshot into the public schema (one query for
    all towns); a town that opted out keeps no figures there. Returns the towns gathered."""
    TownFigures.objects.filter(opted_in=False).update(**FIGURES_FORGOTTEN)
    towns = list(
        Tenant.objects.filter(
            pk__in=TownFigures.objects.filter(opted_in=True).values("tenant_id")
        ).exclude(kind=Tenant.Kind.PLATFORM)
    )
    usage = latest_usage(towns)
    with transaction.atomic():
        for town in towns:
            if town.pk in usage:
                _figures_store(town, usage[town.pk])
    return len(usage)


def figures_opt_in(*, actor: User, town: Tenant, opted_in: bool) -> TownFigures:
    """The town's administrators choose to share its figures (or stop sharing them: its
    figures are then removed from the network at once)."""
    ensure_perm(actor, "template_library.use_library")
    with transaction.atomic():
        row, _created = TownFigures.objects.select_for_update().get_or_create(tenant=town)
        row.opted_in = opted_in
        if not opted_in:
            for field, value in FIGURES_FORGOTTEN.items():
                setattr(row, field, value)
        row.save()
    if opted_in:
        usage = latest_usage([town]).get(town.pk)
        if usage is not None:
            _figures_store(town, usage)
            row.refresh_from_db()
    return row


@dataclass(frozen=True)
class Distribution:
    """Quartiles of one figure over the band's towns, and where this town stands."""

    label: str
    own: float | None
    quartiles: tuple[float, float, float] | None
    unit: str


@dataclass(frozen=True)
class NetworkComparison:
    opted_in: bool
    band_label: str
    town_count: int
    enough_towns: bool
    figures: list[Distribution]
    computed_on: object


def _quartiles(values: list[float]) -> tuple[float, float, float] | None:
    if len(values) < MIN_TOWNS:
        return None
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, median, q3


def network_comparison(town: Tenant) -> NetworkComparison:
    own = TownFigures.objects.filter(tenant=town).first()
    band = band_of(town.population)
    low, high = _band_bounds(band)
    peers = TownFigures.objects.filter(
        opted_in=True, computed_on__isnull=False, population__gte=low
    )
    if high is not None:
        peers = peers.filter(population__lt=high)
    rows = list(peers.values("registered_share", "contributions_per_1000", "answer_days"))
    enough = len(rows) >= MIN_TOWNS

    def distribution(field: str, label: str, scale: float, unit: str) -> Distribution:
        values = [row[field] * scale for row in rows if row[field] is not None]
        own_value = getattr(own, field) if own and own.opted_in else None
        return Distribution(
            label=label,
            own=None if own_value is None else own_value * scale,
            quartiles=_quartiles(values) if enough else None,
            unit=unit,
        )

    return NetworkComparison(
        opted_in=bool(own and own.opted_in),
        band_label=str(BANDS[band][1]),
        town_count=len(rows),
        enough_towns=enough,
        figures=[
            distribution("registered_share", _("Part de la population inscrite"), 100, "%"),
            distribution(
                "contributions_per_1000",
                _("Contributions des 30 derniers jours pour 1 000 habitants"),
                1,
                "",
            ),
            distribution("answer_days", _("Délai médian de réponse aux questions (jours)"), 1, ""),
        ],
        computed_on=own.computed_on if own else None,
    )
