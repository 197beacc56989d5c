"""The participation dashboard's figures, aggregated in SQL over every module's contributions.

Each data source gives a queryset of (component_id, author_id, created_at); they are joined
with UNION ALL (each wrapped, so that column order never depends on how a module wrote its
values()) and grouped by space, neighbourhood and week in three queries.
"""

# The SQL below is built from constant text and the querysets' own compiled SQL; every value
# travels as a parameter.
# ruff: noqa: S608

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts.models import User

from .registry import registry


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    share: float  # of the largest bar, for drawing it


@dataclass(frozen=True)
class Dashboard:
    population: int
    registered: int
    verified: int
    registered_share: float | None
    contributions: int
    per_space: list[Bar]
    per_neighbourhood: list[Bar]
    per_week: list[Bar]

    @property
    def registered_percent(self) -> float | None:
        """The registered share in per cent, as the dashboard shows it."""
        return None if self.registered_share is None else self.registered_share * 100


def _contributions_sql() -> tuple[str, list]:
    parts, params = [], []
    for index, source in enumerate(registry.data_sources()):
        if source.contributions is None:
            continue
        sql, source_params = source.contributions().query.sql_with_params()
        parts.append(f"SELECT component_id, author_id, created_at FROM ({sql}) AS source_{index}")
        params.extend(source_params)
    if not parts:
        empty = (
            "SELECT NULL::bigint AS component_id, NULL::bigint AS author_id, "
            "NULL::timestamptz AS created_at WHERE false"
        )
        return empty, []
    return " UNION ALL ".join(parts), params


def contributions_since(since: datetime.datetime) -> int:
    """Contributions of every module made since ``since`` (the console's 30-day figure)."""
    contributions, params = _contributions_sql()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM ({contributions}) AS c WHERE c.created_at >= %s",
            [*params, since],
        )
        return cursor.fetchone()[0]


def bars(rows) -> list[Bar]:
    rows = [(str(label), int(value)) for label, value in rows]
    top = max((value for _label, value in rows), default=0) or 1
    return [Bar(label, value, value / top) for label, value in rows]


def dashboard(*, weeks: int = 12) -> Dashboard:
    citizens = User.objects.filter(role=User.Role.CITIZEN, is_active=True)
    registered = citizens.count()
    verified = citizens.filter(email_verified_at__isnull=False).count()
    population = connection.tenant.population
    contributions, params = _contributions_sql()
    since = timezone.now() - datetime.timedelta(weeks=weeks)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({contributions}) AS c", params)
        total = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT s.title, COUNT(*) FROM ({contributions}) AS c "
            "JOIN participation_component pc ON pc.id = c.component_id "
            "JOIN participation_space s ON s.id = pc.space_id "
            "GROUP BY s.id, s.title ORDER BY 2 DESC, s.title",
            params,
        )
        per_space = bars(cursor.fetchall())
        cursor.execute(
            "SELECT n.name, COUNT(c.author_id) FROM participation_neighbourhood n "
            "LEFT JOIN participation_profile p ON p.neighbourhood_id = n.id "
            f"LEFT JOIN ({contributions}) AS c ON c.author_id = p.user_id "
            "GROUP BY n.id, n.name, n.position ORDER BY n.position, n.name",
            params,
        )
        per_neighbourhood = bars(cursor.fetchall())
    per_week = _weekly(contributions, params, since)
    return Dashboard(
        population=population,
        registered=registered,
        verified=verified,
        registered_share=registered / population if population else None,
        contributions=total,
        per_space=per_space,
        per_neighbourhood=per_neighbourhood,
        per_week=per_week,
    )


def _weekly(contributions: str, params: list, since: datetime.datetime) -> list[Bar]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT date_trunc('week', c.created_at AT TIME ZONE %s)::date AS week, COUNT(*) "
            f"FROM ({contributions}) AS c WHERE c.created_at >= %s GROUP BY week ORDER BY week",
            [settings.TIME_ZONE, *params, since],
        )
        return bars((week.strftime("%d/%m"), count) for week, count in cursor.fetchall())
