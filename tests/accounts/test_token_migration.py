"""accounts.0003: the clear keys of rest_framework.authtoken become hashed ApiToken rows that
keep working (until they expire), and the old table is dropped."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.db import connection
from django_tenants.utils import tenant_context

from accounts.models import ApiToken
from tests.conftest import client_for
from tests.factories import UserFactory

migration = importlib.import_module("accounts.migrations.0003_api_tokens_from_authtoken")


def _table_exists() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_name = 'authtoken_token'"
        )
        return cursor.fetchone() is not None


def test_old_keys_are_hashed_and_keep_working(town_a):
    old_key = "0123456789abcdef0123456789abcdef01234567"
    with tenant_context(town_a):
        user = UserFactory(email="integration@exemple.fr")
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
                "created timestamptz NOT NULL, user_id bigint NOT NULL)"
            )
            cursor.execute("INSERT INTO authtoken_token VALUES (%s, now(), %s)", [old_key, user.pk])
        with connection.schema_editor() as editor:
            migration.move_keys(apps, editor)

        assert not _table_exists()
        token = ApiToken.objects.get()
        assert token.user_id == user.pk
        assert token.prefix == old_key[:8]
        assert old_key not in token.key_hash
    me = client_for(town_a).get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {old_key}")
    assert me.status_code == 200
    assert me.json()["email"] == "integration@exemple.fr"


def test_a_schema_without_the_old_table_is_left_alone(town_a):
    with tenant_context(town_a), connection.schema_editor() as editor:
        migration.move_keys(apps, editor)
        assert not ApiToken.objects.exists()
