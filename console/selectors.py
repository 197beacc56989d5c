"""What the vendor console reads: towns with their latest figures, one town over time."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet
from django_tenants.utils import tenant_context
from psycopg import sql

from participation.dashboard import Bar, bars
from participation.usage.models import UsageSnapshot
from tenants.models import Tenant
from tenants.selectors import towns_overview

USAGE_COLUMNS = (
    "day",
    "registered_citizens",
    "population",
    "contributions_30d",
    "last_admin_login_at",
    "module_figures",
)


@dataclass(frozen=True)
class TownUsage:
    day: datetime.date
    registered_citizens: int
    population: int
    contributions_30d: int
    last_admin_login_at: datetime.datetime | None
    module_figures: dict

    @property
    def registered_percent(self) -> float | None:
        """Registered citizens in per cent of the population, as towns quote it."""
        return 100 * self.registered_citizens / self.population if self.population else None


@dataclass(frozen=True)
class TownFilters:
    search: str = ""
    status: str = ""
    kind: str = ""
    plan: str = ""


def towns_filtered(filters: TownFilters) -> QuerySet[Tenant]:
    towns = towns_overview()
    if filters.search:
        term = filters.search.strip()
        towns = towns.filter(
            Q(name__icontains=term)
            | Q(slug__icontains=term)
            | Q(insee_code=term)
            | Q(siren=term)
            | Q(domains__domain__icontains=term)
        ).distinct()
    if filters.status:
        towns = towns.filter(status=filters.status)
    if filters.kind:
        towns = towns.filter(kind=filters.kind)
    if filters.plan:
        towns = towns.filter(plan=filters.plan)
    return towns


def town_kinds() -> list[tuple[str, str]]:
    """The kinds a town may be (the platform's own tenant is not one)."""
    return [kind for kind in Tenant.Kind.choices if kind[0] != Tenant.Kind.PLATFORM]


def plans_in_use() -> list[str]:
    return list(
        Tenant.objects.exclude(plan="").order_by("plan").values_list("plan", flat=True).distinct()
    )


def latest_usage(towns: list[Tenant]) -> dict[int, TownUsage]:
    """Each town's last snapshot (taken every hour), read from every town's schema in ONE query
    (a UNION of one indexed row per schema), so the list costs the same whatever the page
    size."""
    if not towns:
        return {}
    columns = sql.SQL(", ").join(sql.Identifier(column) for column in USAGE_COLUMNS)
    parts = [
        sql.SQL("(SELECT {id}::bigint, {columns} FROM {table} ORDER BY day DESC LIMIT 1)").format(
            id=sql.Literal(town.pk),
            columns=columns,
            table=sql.Identifier(town.schema_name, UsageSnapshot._meta.db_table),
        )
        for town in towns
    ]
    query = sql.SQL(" UNION ALL ").join(parts)
    with connection.cursor() as cursor:
        cursor.execute(query.as_string(cursor.connection))
        rows = cursor.fetchall()
    # Django leaves JSON undecoded on raw cursors (its JSONField decodes it): decode it here.
    return {
        row[0]: TownUsage(*row[1:-1], module_figures=json.loads(row[-1] or "{}")) for row in rows
    }


def usage_history(town: Tenant, *, days: int = 365) -> list[UsageSnapshot]:
    """The town's snapshots over the last ``days``, oldest first (for the chart)."""
    since = datetime.date.today() - datetime.timedelta(days=days)
    with tenant_context(town):
        return list(UsageSnapshot.objects.filter(day__gte=since).order_by("day"))


@dataclass(frozen=True)
class UsageChart:
    registered: list[Bar]
    contributions: list[Bar]


def usage_by_month(history: list[UsageSnapshot]) -> UsageChart:
    """The last snapshot of each month: registered citizens and 30-day contributions."""
    month_end: dict[tuple[int, int], UsageSnapshot] = {}
    for snapshot in history:  # oldest first: later days of a month replace earlier ones
        month_end[(snapshot.day.year, snapshot.day.month)] = snapshot
    months = [(f"{month:02d}/{year}", snapshot) for (year, month), snapshot in month_end.items()]
    return UsageChart(
        registered=bars((label, s.registered_citizens) for label, s in months),
        contributions=bars((label, s.contributions_30d) for label, s in months),
    )
