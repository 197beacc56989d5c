"""``connection.prepared_cursor()``: the hot hand-written reads are kept prepared by
PostgreSQL, and a prepared statement still reads the tables of the town being served."""

from __future__ import annotations

import pytest
from django.db import connection

from participation.models import Neighbourhood
from tenants.postgresql_backend.base import DatabaseWrapper

pytestmark = pytest.mark.django_db

STATEMENT = "SELECT name FROM participation_neighbourhood WHERE slug = %s"


def _prepared_statements(database) -> set[str]:
    with database.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return {row[0] for row in cursor.fetchall()}


def _read(database) -> str:
    with database.prepared_cursor() as cursor:
        cursor.execute(STATEMENT, ["prepared-cursor"])
        return cursor.fetchone()[0]


def test_a_statement_is_prepared_after_its_threshold_and_serves_each_town_its_own_rows(
    town_a, town_b
):
    for town in (town_a, town_b):
        connection.set_tenant(town)
        Neighbourhood.objects.create(name=town.name, slug="prepared-cursor", position=1)
    threshold = connection.connection.prepare_threshold
    assert threshold == connection.settings_dict["OPTIONS"]["prepare_threshold"] == 5
    for _round in range(threshold + 1):
        for town in (town_a, town_b):
            connection.set_tenant(town)
            # PostgreSQL parses a prepared statement again when the search_path changes.
            assert _read(connection) == town.name
    prepared_text = STATEMENT.replace("%s", "$1")
    assert prepared_text in _prepared_statements(connection)
    # Django's own cursors bind client-side and prepare nothing.
    for _round in range(threshold + 1):
        list(Neighbourhood.objects.filter(slug="prepared-cursor").values_list("name"))
    neighbourhood_statements = {
        text for text in _prepared_statements(connection) if "participation_neighbourhood" in text
    }
    assert neighbourhood_statements == {prepared_text}


def test_behind_a_transaction_pooler_nothing_is_prepared(committed_db, town_a):
    settings_dict = {
        **connection.settings_dict,
        "TRANSACTION_POOLING": True,
        "OPTIONS": {**connection.settings_dict["OPTIONS"], "prepare_threshold": None},
    }
    pooled = DatabaseWrapper(settings_dict, "pooled-prepared")
    try:
        pooled.set_tenant(town_a)
        for _round in range(10):
            with pooled.prepared_cursor() as cursor:
                cursor.execute("SELECT count(*) FROM participation_neighbourhood")
        assert _prepared_statements(pooled) == set()
    finally:
        pooled.close()


def test_the_settings_prepare_on_a_direct_connection_only(monkeypatch):
    from config.settings.env import database_from_url

    monkeypatch.delenv("DATABASE_TRANSACTION_POOLING", raising=False)
    assert (
        database_from_url("postgresql://agora@db:5432/agora")["OPTIONS"]["prepare_threshold"] == 5
    )
    tuned = database_from_url("postgresql://agora@db:5432/agora?prepare_threshold=2")
    assert tuned["OPTIONS"]["prepare_threshold"] == 2
