"""With TRANSACTION_POOLING (pgbouncer in transaction mode), the town's schema is set with
SET LOCAL inside each transaction: nothing stays on the server connection afterwards for
another client to inherit (tests/deploy/test_pgbouncer.py checks it through pgbouncer)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection

from tenants.postgresql_backend.base import DatabaseWrapper


@pytest.fixture
def pooled(committed_db):
    database = DatabaseWrapper({**connection.settings_dict, "TRANSACTION_POOLING": True}, "pooled")
    yield database
    database.close()


def _session_search_path(database) -> str:
    """The search_path the server connection is left with, read outside Django's cursors."""
    with database.connection.cursor() as raw:
        raw.execute("SHOW search_path")
        return raw.fetchone()[0]


def _current_schema(database) -> str:
    with database.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        return cursor.fetchone()[0]


def test_a_statement_outside_a_transaction_sets_its_town_for_itself_only(pooled, town_a, town_b):
    pooled.set_tenant(town_a)
    assert _current_schema(pooled) == town_a.schema_name
    assert town_a.schema_name not in _session_search_path(pooled)
    pooled.set_tenant(town_b)
    assert _current_schema(pooled) == town_b.schema_name
    assert _session_search_path(pooled) == '"$user", public'


def test_a_transaction_sets_its_town_and_leaves_nothing_behind(pooled, town_a, town_b):
    # What atomic() does at its outermost level.
    for town in (town_a, town_b, town_a):
        pooled.set_tenant(town)
        pooled.set_autocommit(False)
        assert _current_schema(pooled) == town.schema_name
        assert _current_schema(pooled) == town.schema_name
        pooled.commit()
        pooled.set_autocommit(True)
        assert _session_search_path(pooled) == '"$user", public'


def test_a_rolled_back_transaction_sets_its_town_again_in_the_next(pooled, town_a):
    pooled.set_tenant(town_a)
    pooled.set_autocommit(False)
    assert _current_schema(pooled) == town_a.schema_name
    pooled.rollback()
    assert _current_schema(pooled) == town_a.schema_name
    pooled.commit()
    pooled.set_autocommit(True)


def test_settings_turn_off_server_side_cursors_and_prepared_statements(monkeypatch):
    from config.settings.env import database_from_url

    monkeypatch.setenv("DATABASE_TRANSACTION_POOLING", "True")
    pooled = database_from_url("postgresql://agora@pgbouncer.internal:6432/agora")
    assert pooled["TRANSACTION_POOLING"] is True
    assert pooled["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert pooled["OPTIONS"]["prepare_threshold"] is None
    monkeypatch.delenv("DATABASE_TRANSACTION_POOLING")
    direct = database_from_url("postgresql://agora@db.internal:5432/agora")
    assert direct["TRANSACTION_POOLING"] is False


def test_a_connection_is_recycled_after_serving_too_many_towns(committed_db, town_a, town_b):
    settings_dict = {**connection.settings_dict, "MAX_TOWNS_PER_CONNECTION": 2}
    database = DatabaseWrapper(settings_dict, "recycled")
    try:
        for town in (town_a, town_b, town_a):
            database.set_tenant(town)
            assert _current_schema(database) == town.schema_name
        database.close_if_unusable_or_obsolete()  # what the end of a request does
        assert database.connection is not None  # two towns: kept
        database.set_schema_to_public()  # (not a town)
        database.close_if_unusable_or_obsolete()
        assert database.connection is not None
        database.set_schema(settings.TENANT_BASE_SCHEMA)  # a third town's schema
        assert _current_schema(database) == settings.TENANT_BASE_SCHEMA
        database.close_if_unusable_or_obsolete()
        assert database.connection is None  # a third town: closed
        database.set_tenant(town_b)
        assert _current_schema(database) == town_b.schema_name
        assert database.towns_served == {town_b.schema_name}
    finally:
        database.close()
